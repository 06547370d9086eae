import { describe, expect, test } from "vitest";
import { parseCliOptions, parseProbeTimeout, UsageError } from "../../src/cli/options.js";

describe("--probe and --probe-timeout", () => {
  test.each([
    ["2s", 2000],
    ["500ms", 500],
    ["1.5s", 1500],
    ["3", 3000],
    ["60s", 60_000],
    [" 250 ms ", 250],
  ])("--probe-timeout %s is %d ms", (value, ms) => {
    expect(parseProbeTimeout(value)).toBe(ms);
  });

  test.each(["0", "0ms", "61s", "2m", "soon", "-1s", ""])("--probe-timeout '%s' is refused", (value) => {
    expect(() => parseProbeTimeout(value)).toThrow(UsageError);
  });

  test("off by default; 2 s when on", () => {
    expect(parseCliOptions([])).toMatchObject({ probe: false, probeTimeoutMs: 2000 });
    expect(parseCliOptions(["--probe"])).toMatchObject({ probe: true, probeTimeoutMs: 2000 });
    expect(parseCliOptions(["tui", "--probe", "--probe-timeout", "750ms"])).toMatchObject({ command: "tui", probe: true, probeTimeoutMs: 750 });
  });

  test("--probe-timeout without --probe, and --probe on a command that audits nothing, are usage errors", () => {
    expect(() => parseCliOptions(["--probe-timeout", "5s"])).toThrow("--probe-timeout needs --probe");
    expect(() => parseCliOptions(["rules", "--probe"])).toThrow(UsageError);
    expect(() => parseCliOptions(["explain", "san-missing", "--probe"])).toThrow(UsageError);
  });
});
