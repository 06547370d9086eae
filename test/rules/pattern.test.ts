import { describe, expect, test } from "vitest";
import { matchesPattern } from "../../src/rules/pattern.js";

describe("matchesPattern", () => {
  test.each([
    ["/etc/kubernetes/admin.conf", "/etc/kubernetes/admin.conf"],
    ["/home/*/admin.kubeconfig", "/home/ops/admin.kubeconfig"],
    ["/home/*/admin.kubeconfig", "/home/a/b/admin.kubeconfig"],
    ["system:node:*", "system:node:cp-1"],
    ["*", ""],
    ["a.b*", "a.bc"],
    ["(x)+[y]*", "(x)+[y]z"],
  ])("%s matches %s", (pattern, actual) => {
    expect(matchesPattern(pattern, actual)).toBe(true);
  });

  test.each([
    ["/etc/kubernetes/admin.conf", "/etc/kubernetes/admin.conf.bak"],
    ["/home/*/admin.kubeconfig", "/root/admin.kubeconfig"],
    ["/home/*/admin.kubeconfig", "/home/ops/admin.kubeconfig.old"],
    ["system:node:*", "system:nodes"],
    // Characters special in a regular expression are literal in a pattern.
    ["a.b*", "axbc"],
    ["(x)+[y]*", "xx[y]z"],
  ])("%s does not match %s", (pattern, actual) => {
    expect(matchesPattern(pattern, actual)).toBe(false);
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
