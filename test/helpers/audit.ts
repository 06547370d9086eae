import { audit } from "../../src/audit.js";
import type { Report } from "../../src/model.js";
import { BUNDLED_RULES } from "./context.js";

/** Fixed stand-in for the wall clock, so golden reports do not change from run to run. */
export const GENERATED_AT = new Date("2026-06-01T00:00:00Z");

/** Audit a node tree in-process at a fixed time with the bundled rules. */
export function auditTree(root: string, at: Date): Report {
  return audit({ root, at, generatedAt: GENERATED_AT, warnWithinDays: 30, criticalWithinDays: 7, rules: BUNDLED_RULES, version: "test" });
}
