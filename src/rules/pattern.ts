import { RecentlyUsed } from "../cache.js";

/**
 * Patterns as regular expressions, compiled once: the same kubeconfig globs and expanded names are
 * matched for every reference of every node (bounded, as expanded names differ per node).
 */
const compiled = new RecentlyUsed<string, RegExp>(256);

/** Does an actual value match a rules pattern (an expanded template, a kubeconfig path)? `*` matches any run of characters. */
export function matchesPattern(pattern: string, actual: string): boolean {
  if (!pattern.includes("*")) return pattern === actual;
  const regex = compiled.obtain(pattern, () => new RegExp("^" + pattern.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$"));
  return regex.test(actual);
}
