import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseCliOptions, parseJobs, UsageError } from "../../src/cli/options.js";

const FLAGS = ["--root", "-o", "--output", "--out", "--at", "--warn-within", "--critical-within", "--rules", "--profile", "--no-color", "--guided", "--probe", "--probe-timeout", "-q", "--quiet", "--fail-on", "-j", "--jobs", "-h", "--help", "--version"];
const WORDS = ["scan", "tui", "fleet", "merge", "rules", "explain", "json", "table", "yaml", "prom", "30d", "7d", "2026-06-01", "1", "2", "0", "-1", "auto", "kubeadm", "hardway", "warning", "critical", "2s", "500ms", ""];

describe("command-line parsing", () => {
  test("property: any argument list parses or fails with a UsageError, never anything else", () => {
    const argument = fc.oneof(fc.constantFrom(...FLAGS), fc.constantFrom(...WORDS), fc.string({ maxLength: 12 }), fc.constantFrom(...FLAGS).chain((flag) => fc.string({ maxLength: 8 }).map((value) => `${flag}=${value}`)));
    fc.assert(
      fc.property(fc.array(argument, { maxLength: 8 }), (argv) => {
        try {
          const options = parseCliOptions(argv);
          // What parses is coherent: durations ordered, --jobs only for fleet and in range.
          expect(options.criticalWithinDays).toBeLessThanOrEqual(options.warnWithinDays);
          if (options.jobs !== undefined) {
            expect(options.command).toBe("fleet");
            expect(options.jobs).toBeGreaterThanOrEqual(1);
            expect(options.jobs).toBeLessThanOrEqual(64);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test.each([
    ["1", 1],
    ["8", 8],
    [" 64 ", 64],
  ])("--jobs %j is %i", (text, jobs) => expect(parseJobs(text)).toBe(jobs));

  test.each(["0", "65", "1.5", "-2", "two", ""])("--jobs %j is refused", (text) => {
    expect(() => parseJobs(text)).toThrow(UsageError);
  });
});
