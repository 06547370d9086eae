/**
 * Text from the audited tree — certificate names, file paths, flag values — made safe to show on
 * a terminal. A certificate can carry any characters in its subject and SANs; written raw, an
 * escape sequence in a CN could retitle the window, clear the screen or recolour what follows, and
 * a newline could forge a line of the report. Control characters (C0, DEL, C1) and the Unicode
 * bidirectional controls, which can make text read in another order than it is, are shown as
 * escapes instead (\n, \x1b, \u202e). The JSON and YAML reports keep the exact values.
 */

const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function escape(character: string): string {
  const code = character.charCodeAt(0);
  return NAMED[character] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
}

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escape);
}

/** Like printable, but the line breaks of our own multi-line text (remediation steps) stay. */
export function printableLines(text: string): string {
  return text.split("\n").map(printable).join("\n");
}

/** Fields whose line breaks are the tool's own: each line is made printable, the breaks kept. */
const MULTI_LINE_FIELDS = new Set(["remediation"]);

/**
 * A copy of a report (or any plain data drawn from one) with every string made printable, for
 * the renderers that write to a terminal: the table, the fleet table and the terminal UI.
 */
export function printableCopy<T>(value: T): T {
  return copy(value, undefined) as T;
}

function copy(value: unknown, key: string | undefined): unknown {
  if (typeof value === "string") return key !== undefined && MULTI_LINE_FIELDS.has(key) ? printableLines(value) : printable(value);
  if (Array.isArray(value)) return value.map((item) => copy(item, undefined));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, copy(item, name)]));
  }
  return value;
}
