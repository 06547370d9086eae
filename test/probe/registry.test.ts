import * as fs from "node:fs";
import { describe, expect, test } from "vitest";
import { CHECKS } from "../../src/check/registry.js";
import { explain } from "../../src/cli/rules-command.js";
import { findProbeCheck, PROBE_CHECKS, probeChecksOver } from "../../src/probe/registry.js";
import { BUNDLED_RULES } from "../helpers/context.js";

const CHECKS_DIR = new URL("../../src/probe/checks/", import.meta.url);

describe("probe check registry", () => {
  test("every module in src/probe/checks is registered, ids sorted and unique", () => {
    const modules = fs.readdirSync(CHECKS_DIR).filter((name) => name.endsWith(".ts"));
    expect(PROBE_CHECKS.map((check) => `${check.id}.ts`).sort()).toEqual(modules.sort());
    const ids = PROBE_CHECKS.map((check) => check.id);
    expect(ids).toEqual([...new Set(ids)].sort());
    expect(ids).toEqual(["probe-handshake-failed", "probe-stale-certificate", "probe-unreachable"]);
  });

  test("probe kinds never run in the offline audit", () => {
    const offline = new Set(CHECKS.map((check) => check.id));
    for (const check of PROBE_CHECKS) expect(offline.has(check.id), check.id).toBe(false);
  });

  test.each(PROBE_CHECKS.map((check) => [check.id, check] as const))("%s has metadata, and explain shows it", (id, check) => {
    for (const field of ["title", "description", "citation", "explanation", "remediation"] as const) {
      expect(check[field].trim().length, `${id}.${field}`).toBeGreaterThan(10);
    }
    const text = explain(id, BUNDLED_RULES);
    expect(text).toContain(`${id}: ${check.title}`);
    expect(text).toContain("Runs only with --probe");
    expect(text).toContain(check.remediation);
    expect(findProbeCheck(id)).toBe(check);
  });

  test("over no results, the probe kinds find nothing", () => {
    expect(probeChecksOver([]).map((check) => check.id)).toEqual(PROBE_CHECKS.map((check) => check.id));
    const ctx = {} as Parameters<(typeof CHECKS)[number]["run"]>[0];
    for (const check of probeChecksOver([])) expect(check.run(ctx)).toEqual([]);
  });

  test("explain of an offline check does not claim it needs --probe; unknown ids list the probe kinds", () => {
    expect(explain("issuer-mismatch", BUNDLED_RULES)).not.toContain("--probe");
    expect(() => explain("no-such-check", BUNDLED_RULES)).toThrow(/probe-stale-certificate/);
  });
});
