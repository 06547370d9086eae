import { RecentlyUsed } from "../cache.js";
import { load } from "js-yaml";

export class ConfigParseError extends Error {}

/**
 * Parse one YAML document from a node file. Nesting and the expansion of aliases are bounded so a
 * hostile file (a "billion laughs" alias bomb) cannot exhaust memory; any failure is a
 * ConfigParseError.
 */
export function parseYamlDocument(text: string, what: string): unknown {
  if (text.length > MAX_CACHED_TEXT) return parseUncached(text, what);
  // Wrapped, as an empty document is undefined. A parse error is thrown, not kept.
  return parsed.obtain(text, () => ({ value: parseUncached(text, what) })).value;
}

/**
 * Parsed documents by their text (V8 hashes a string once, where a SHA-256 of it cost more): a
 * fleet's nodes share most manifests and kubeconfigs. Callers only read what they get. Bounded in
 * entries and in the size of the texts kept (manifests and kubeconfigs are a few KiB); failures
 * are not kept (their message names the file).
 */
const parsed = new RecentlyUsed<string, { value: unknown }>(512);
/** In characters (UTF-16 code units, which is what a string's length counts). */
const MAX_CACHED_TEXT = 64 * 1024;

/** js-yaml refuses collections nested deeper (an option of js-yaml 4.2 on, which @types/js-yaml predates). */
const NESTING_BOUND = { maxDepth: 100 };

function parseUncached(text: string, what: string): unknown {
  let value: unknown;
  try {
    value = load(text.replace(/^\uFEFF/, ""), { filename: what, ...NESTING_BOUND });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ConfigParseError(`${what} is not valid YAML: ${reason}`);
  }
  // js-yaml shares aliased nodes instead of copying them, so a few aliases can stand for
  // billions of nodes; the kubelet and client-go (go-yaml) refuse such a document.
  if (expandedSize(value, MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES) {
    throw new ConfigParseError(`${what} is not valid YAML: its aliases expand to more than ${MAX_EXPANDED_NODES} nodes (go-yaml: "document contains excessive aliasing")`);
  }
  return value;
}

/** Nodes a document has once every alias is expanded; counting stops past `limit`. */
const MAX_EXPANDED_NODES = 1_000_000;
function expandedSize(value: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && count <= limit) {
    const node = stack.pop();
    count++;
    if (Array.isArray(node)) stack.push(...node);
    else if (typeof node === "object" && node !== null) stack.push(...Object.values(node));
  }
  return count;
}

/**
 * A config file's text, as Go reads it: invalid UTF-8 is an error (go-yaml: "invalid leading
 * UTF-8 octet"), never silently replaced.
 */
export function configText(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ConfigParseError(`${what} is not valid UTF-8; the kubelet and client-go refuse it`);
  }
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
}
