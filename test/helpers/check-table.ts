/**
 * Table-driven tests of one check kind, after ESLint's RuleTester: a check is described by the
 * contexts it must pass (no finding at all) and the contexts it must fail, with the findings it
 * must report. Each case runs the check through the real runner (findingsOf), so ids, citations
 * and the runner's ordering are the ones production produces.
 */
import { describe, expect, test } from "vitest";
import type { CheckKind } from "../../src/check/types.js";
import type { Finding } from "../../src/model.js";
import { findingsOf, type ContextSpec } from "./context.js";

/** A context in which the check must report nothing. */
export interface PassCase {
  /** Unique within the table; the test is titled `passes: <name>` (or `fails: <name>`). */
  name: string;
  spec: () => ContextSpec | Promise<ContextSpec>;
  /**
   * Other check kinds run in the same context, their findings sorted in with the check's own: a
   * case about a problem another check owns expects that check's finding and none of this one's.
   */
  alongside?: CheckKind[];
}

/**
 * A context in which the check must report exactly these findings, in this order (the order
 * runChecks sorts them in). Each finding is matched with expect.objectContaining, so a
 * case states the fields it is about; values may be asymmetric matchers (expect.stringContaining …).
 * A function gives them when the test runs, after `spec` (for values only known then, such as the
 * fingerprint of a certificate made in beforeAll).
 */
export interface FailCase extends PassCase {
  findings: Array<Partial<Finding>> | (() => Array<Partial<Finding>>);
}

export interface CheckTableCases {
  passes: PassCase[];
  fails: FailCase[];
}

/**
 * Reject a table that cannot be a useful test, the way RuleTester does: it needs at least one
 * passing and one failing case, unique non-empty names (across both lists), and every fail case
 * must expect at least one finding (one that expects none belongs in `passes`).
 */
export function assertValidTable(checkId: string, { passes, fails }: CheckTableCases): void {
  const problems: string[] = [];
  if (passes.length === 0) problems.push("it has no pass cases (at least one context the check accepts is required)");
  if (fails.length === 0) problems.push("it has no fail cases (at least one context the check reports is required)");
  const seen = new Map<string, string>();
  const cases: Array<[string, PassCase]> = [...passes.map((c, i): [string, PassCase] => [`passes[${i}]`, c]), ...fails.map((c, i): [string, PassCase] => [`fails[${i}]`, c])];
  for (const [where, testCase] of cases) {
    if (typeof testCase.name !== "string" || testCase.name.trim() === "") {
      problems.push(`${where} has no name`);
      continue;
    }
    const first = seen.get(testCase.name);
    if (first) problems.push(`duplicate case name ${JSON.stringify(testCase.name)} (${first} and ${where})`);
    else seen.set(testCase.name, where);
  }
  fails.forEach((testCase, i) => {
    const problem = noFindings(testCase, i, testCase.findings);
    if (problem) problems.push(problem);
  });
  if (problems.length > 0) throw new Error(`checkTable(${checkId}): invalid test table:\n  - ${problems.join("\n  - ")}`);
}

/** Why a fail case expecting `findings` is no fail case (a function is asked when the test runs). */
function noFindings(testCase: FailCase, i: number, findings: FailCase["findings"]): string | null {
  if (typeof findings === "function" || (Array.isArray(findings) && findings.length > 0)) return null;
  return `fails[${i}] ${JSON.stringify(testCase.name)} expects no findings (a case that expects none belongs in passes)`;
}

/**
 * Declare `describe(check.id)` with one test per case. The table is validated when the file is
 * collected, so a broken table fails the file before any test runs.
 */
export function checkTable(check: CheckKind, cases: CheckTableCases): void {
  assertValidTable(check.id, cases);
  describe(check.id, () => {
    // A plain loop rather than test.each: test.each's $name is quoted and cut at 40 characters.
    for (const { name, spec, alongside } of cases.passes) {
      test(`passes: ${name}`, async () => {
        expect(findingsOf(check, await spec(), alongside)).toEqual([]);
      });
    }
    cases.fails.forEach((testCase, i) => {
      test(`fails: ${testCase.name}`, async () => {
        const found = findingsOf(check, await testCase.spec(), testCase.alongside);
        const findings = typeof testCase.findings === "function" ? testCase.findings() : testCase.findings;
        const problem = noFindings(testCase, i, findings);
        if (problem) throw new Error(`checkTable(${check.id}): invalid test table: ${problem}`);
        expect(found).toEqual(findings.map((finding) => expect.objectContaining(finding)));
      });
    });
  });
}
