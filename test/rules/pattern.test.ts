import { describe, expect, test } from "vitest";
import { matchesPattern } from "../../src/rules/pattern.js";

describe("matchesPattern", () => {
  test.each([
    ["/etc/kubernetes/admin.conf", "/etc/kubernetes/admin.conf", true],
    ["/home/*/admin.kubeconfig", "/home/ops/admin.kubeconfig", true],
    ["/home/*/admin.kubeconfig", "/home/a/b/admin.kubeconfig", true],
    ["system:node:*", "system:node:cp-1", true],
    ["*", "", true],
    ["a.b*", "a.bc", true],
    ["(x)+[y]*", "(x)+[y]z", true],
    ["/etc/kubernetes/admin.conf", "/etc/kubernetes/admin.conf.bak", false],
    ["/home/*/admin.kubeconfig", "/root/admin.kubeconfig", false],
    ["/home/*/admin.kubeconfig", "/home/ops/admin.kubeconfig.old", false],
    ["system:node:*", "system:nodes", false],
    // Characters special in a regular expression are literal in a pattern.
    ["a.b*", "axbc", false],
    ["(x)+[y]*", "xx[y]z", false],
  ])("%s against %s: %s", (pattern, actual, matches) => {
    expect(matchesPattern(pattern, actual)).toBe(matches);
  });

  test("a pattern compiled once answers for every value, and many patterns past the cache's bound still answer right", () => {
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 600; i++) {
        expect(matchesPattern(`system:node:n${i}-*`, `system:node:n${i}-cp`)).toBe(true);
        expect(matchesPattern(`system:node:n${i}-*`, `system:node:n${i + 1}-cp`)).toBe(false);
      }
    }
  });
});
