import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Report } from "../../src/model.js";
import { screenFor, truncate, wrap, type ScreenRef, type TuiModel } from "../../src/tui/view-model.js";
import { reachableScreens } from "../helpers/tui.js";
import { auditTree } from "../helpers/audit.js";
import { BUNDLED_RULES } from "../helpers/context.js";

const AT = new Date("2026-06-01T00:00:00Z");
const WIDTH = 78;
const SAMPLES = ["kubeadm-broken", "kubeadm-healthy", "hardway-systemd-2021", "hardway-systemd-2024", "kubeadm-external-etcd"];

describe.each(SAMPLES)("terminal UI screens of %s", (sample) => {
  const report: Report = auditTree(`sample-clusters/${sample}`, AT);
  const model: TuiModel = { report, rules: BUNDLED_RULES };
  const screens = reachableScreens(model, WIDTH);

  test("the UI shows the same findings as the JSON report: every finding has a screen, and no other", () => {
    const shown = [...screens.keys()].map((key) => JSON.parse(key) as ScreenRef).filter((ref) => ref.kind === "finding");
    expect(shown.map((ref) => (ref.kind === "finding" ? ref.index : -1)).sort((a, b) => a - b)).toEqual(report.findings.map((_, i) => i));
    const all = screenFor(model, { kind: "findings" }, WIDTH).rows.filter((row) => row.target);
    expect(all).toHaveLength(report.findings.length);
    for (const [i, finding] of report.findings.entries()) {
      const rows = screenFor(model, { kind: "finding", index: i }, WIDTH).rows.map((row) => row.text).join("\n");
      expect(rows).toContain(finding.id);
      expect(rows).toContain(finding.severity.toUpperCase());
      // The fix is shown in full (wrapped, never cut).
      for (const word of finding.remediation.split(/\s+/).filter((w) => w.length > 0 && w.length < WIDTH)) expect(rows).toContain(word);
    }
  });

  test("every certificate of the report has a screen with its decoded fields", () => {
    for (const [index, cert] of report.certificates.entries()) {
      const text = screenFor(model, { kind: "certificate", index }, WIDTH).rows.map((row) => row.text).join("\n");
      expect(text).toContain(cert.serial);
      expect(text).toContain(cert.notAfter);
      expect(text).toContain(cert.fingerprintSha256.slice(0, 20));
      for (const ref of cert.references) expect(text).toContain(ref.component);
    }
    const opened = [...screens.keys()].filter((key) => key.includes('"certificate"'));
    expect(opened.length).toBe(report.certificates.length);
  });

  test("no row is wider than the screen", () => {
    for (const rows of screens.values()) for (const row of rows) expect([...row.text].length, row.text).toBeLessThanOrEqual(WIDTH);
  });
});

describe("text fitting", () => {
  test("truncate keeps short text and ends cut text with an ellipsis", () => {
    expect(truncate("abc", 5)).toBe("abc");
    expect(truncate("abcdef", 4)).toBe("abc…");
  });

  test("property: wrapped lines fit and keep every character but spaces", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.integer({ min: 10, max: 120 }), (text, width) => {
        const lines = wrap(text, width, "  ");
        for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
        expect(lines.join("").replace(/\s/g, "")).toBe(text.replace(/\s/g, ""));
      }),
    );
  });
});
