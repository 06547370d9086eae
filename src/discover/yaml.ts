import { load } from "js-yaml";

export class ConfigParseError extends Error {}

/**
 * Parse one YAML document from a node file. Aliases and nesting are bounded so a hostile file
 * (a "billion laughs" alias bomb) cannot exhaust memory; any failure is a ConfigParseError.
 */
export function parseYamlDocument(text: string, what: string): unknown {
  try {
    return load(text.replace(/^\uFEFF/, ""), { maxAliases: 100, maxDepth: 100, filename: what });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ConfigParseError(`${what} is not valid YAML: ${reason}`);
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
