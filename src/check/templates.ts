import type { Facts } from "../model.js";
export { matchesPattern } from "../rules/pattern.js";

const PLACEHOLDER = /\$\{([A-Za-z]+)\}/g;

export interface Expansion {
  values: string[];
  /** Facts the template needed that this node did not reveal. */
  unknown: string[];
}

/**
 * Expand `${fact}` placeholders. A list-valued fact (etcdServerHosts) yields one value per item; a
 * template whose fact is unknown yields nothing, and says which fact was missing.
 */
export function expandTemplate(template: string, facts: Facts): Expansion {
  // Most templates are plain names; they need no regular expression.
  if (!template.includes("${")) return { values: [template], unknown: [] };
  const names = [...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
  if (names.length === 0) return { values: [template], unknown: [] };
  const unknown = names.filter((name) => {
    const value = (facts as Record<string, unknown>)[name];
    return value === undefined || (Array.isArray(value) && value.length === 0);
  });
  if (unknown.length > 0) return { values: [], unknown };
  let values = [template];
  for (const name of new Set(names)) {
    const fact = (facts as Record<string, string | string[]>)[name] as string | string[];
    const items = Array.isArray(fact) ? fact : [fact];
    values = values.flatMap((value) => items.map((item) => value.split("${" + name + "}").join(item)));
  }
  return { values: [...new Set(values)], unknown: [] };
}

