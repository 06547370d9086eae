/**
 * systemd unit files, as far as the certificate audit needs them: the [Service] section's
 * ExecStart, Environment and EnvironmentFile, merged over drop-ins the way systemd does
 * (systemd.unit(5), systemd.service(5), systemd.exec(5)).
 */

/** One unit file or drop-in: its [Service] assignments in order. */
export interface UnitFragment {
  source: string;
  assignments: Array<{ key: string; value: string }>;
}

export interface EnvironmentFileRef {
  path: string;
  /** A leading "-" in EnvironmentFile= makes a missing file no error. */
  optional: boolean;
}

/** What a unit runs after drop-ins are applied, before variables are expanded. */
export interface ServiceDefinition {
  /** The raw ExecStart command line in force (the last, after any empty reset). */
  execStart: string | null;
  /** Environment= assignments in order (later ones win). */
  environment: Array<[string, string]>;
  environmentFiles: EnvironmentFileRef[];
}

/**
 * Parse the [Service] section of a unit file or drop-in. Lines ending in a backslash continue on
 * the next line (joined with a space, as systemd does); "#" and ";" start comment lines.
 */
export function parseUnitFragment(text: string, source: string): UnitFragment {
  const assignments: UnitFragment["assignments"] = [];
  let section = "";
  let pending = "";
  for (const rawLine of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
    const line = pending + rawLine;
    if (line.endsWith("\\")) {
      pending = line.slice(0, -1) + " ";
      continue;
    }
    pending = "";
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    const header = /^\[(.+)\]$/.exec(trimmed);
    if (header) {
      section = header[1] as string;
      continue;
    }
    const eq = trimmed.indexOf("=");
    if (section !== "Service" || eq <= 0) continue;
    assignments.push({ key: trimmed.slice(0, eq).trim(), value: trimmed.slice(eq + 1).trim() });
  }
  if (pending.trim() !== "" && section === "Service") {
    const eq = pending.indexOf("=");
    if (eq > 0) assignments.push({ key: pending.slice(0, eq).trim(), value: pending.slice(eq + 1).trim() });
  }
  return { source, assignments };
}

/** Apply the unit and its drop-ins in order: later assignments win, an empty ExecStart= or EnvironmentFile= resets. */
export function mergeFragments(fragments: UnitFragment[]): ServiceDefinition {
  const definition: ServiceDefinition = { execStart: null, environment: [], environmentFiles: [] };
  for (const { assignments } of fragments) {
    for (const { key, value } of assignments) {
      if (key === "ExecStart") definition.execStart = value === "" ? null : value;
      else if (key === "Environment") {
        if (value === "") definition.environment = [];
        else for (const word of splitWords(value)) {
          const eq = word.indexOf("=");
          if (eq > 0) definition.environment.push([word.slice(0, eq), word.slice(eq + 1)]);
        }
      } else if (key === "EnvironmentFile") {
        if (value === "") definition.environmentFiles = [];
        else definition.environmentFiles.push({ path: value.replace(/^-/, ""), optional: value.startsWith("-") });
      }
    }
  }
  return definition;
}

/**
 * Parse an EnvironmentFile: KEY=VALUE lines, "#"/";" comments, optional "export", quoted values,
 * backslash continuations.
 */
export function parseEnvironmentFile(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const line of text.replace(/\\\r?\n/g, "").split(/\r?\n/)) {
    const trimmed = line.trim().replace(/^export\s+/, "");
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    const eq = trimmed.indexOf("=");
    if (eq <= 0) continue;
    const key = trimmed.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) continue;
    pairs.push([key, splitWords(trimmed.slice(eq + 1)).join(" ")]);
  }
  return pairs;
}

/** Split a command line into words: whitespace separates, single and double quotes group, backslash escapes. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quote) {
      if (char === quote) quote = null;
      else if (char === "\\" && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += char;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (char === "\\" && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Stands in for an undefined variable's value, so the flag that carries it is known to be unknown. */
export const UNRESOLVED = "\u0000";

export interface ExpandedCommand {
  argv: string[];
  /** Variables used in a word (`--x=${VAR}`, `${VAR}`) that nothing defines. */
  unresolved: string[];
}

/**
 * Expand an ExecStart line as systemd does: "$VAR" standing alone becomes zero or more words (split
 * at whitespace; undefined is nothing, as with an optional EnvironmentFile that is absent), "${VAR}"
 * is substituted within its word. An undefined "${VAR}" has no knowable value: it becomes
 * UNRESOLVED, so the flag it feeds is reported as unknown instead of taking a literal
 * "${INTERNAL_IP}". ExecStart prefixes (-, @, +, !, !!, :) are removed.
 */
export function expandCommand(execStart: string, environment: ReadonlyMap<string, string>): ExpandedCommand {
  const argv: string[] = [];
  const unresolved: string[] = [];
  const words = splitWords(execStart.replace(/^[-@+!:]+/, ""));
  for (const word of words) {
    const alone = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(word);
    if (alone && word.startsWith("$") && !word.startsWith("${")) {
      const value = environment.get((alone[2] ?? alone[1]) as string);
      if (value !== undefined) argv.push(...splitWords(value));
      continue;
    }
    const expanded = word.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_match, braced: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare) as string;
      const value = environment.get(name);
      if (value !== undefined) return value;
      if (!unresolved.includes(name)) unresolved.push(name);
      return UNRESOLVED;
    });
    argv.push(expanded);
  }
  return { argv, unresolved };
}

const SHELLS = new Set(["sh", "bash", "dash"]);

/**
 * The command a shell wrapper runs: distribution units start etcd as
 * `/bin/bash -c "GOMAXPROCS=$(nproc) /usr/bin/etcd --name=…"`. Leading variable assignments and
 * `exec` are skipped; anything else is returned as it is.
 */
export function unwrapShell(argv: readonly string[]): readonly string[] {
  const shell = argv[0]?.split("/").pop() ?? "";
  const dashC = argv.indexOf("-c");
  if (!SHELLS.has(shell) || dashC < 1 || argv[dashC + 1] === undefined) return argv;
  const words = splitWords(argv[dashC + 1] as string);
  let start = 0;
  while (start < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[start] as string) || words[start] === "exec")) start++;
  return words.slice(start);
}
