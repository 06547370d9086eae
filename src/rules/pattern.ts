/** Does an actual value match a rules pattern (an expanded template, a kubeconfig path)? `*` matches any run of characters. */
export function matchesPattern(pattern: string, actual: string): boolean {
  if (!pattern.includes("*")) return pattern === actual;
  const regex = new RegExp("^" + pattern.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$");
  return regex.test(actual);
}
