import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { printable, printableCopy, printableLines } from "../../src/report/printable.js";

/** What a terminal acts on instead of showing: C0, DEL, C1 and the bidirectional controls. */
const ACTS_ON_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe("printable", () => {
  test.each([
    ["kube-apiserver", "kube-apiserver"],
    ["évènement 証明書 ✓", "évènement 証明書 ✓"],
    ["evil\u001b]0;PWNED\u0007", "evil\\x1b]0;PWNED\\x07"],
    ["\u001b[2J\u001b[31mred", "\\x1b[2J\\x1b[31mred"],
    ["line\nforged CRITICAL", "line\\nforged CRITICAL"],
    ["tab\tcr\r", "tab\\tcr\\r"],
    ["nul\u0000del\u007f", "nul\\x00del\\x7f"],
    ["c1 csi \u009b2J", "c1 csi \\x9b2J"],
    ["admin\u202etxt.crt", "admin\\u202etxt.crt"],
    ["\u2066isolate\u2069", "\\u2066isolate\\u2069"],
  ])("%j is shown as %j", (raw, shown) => {
    expect(printable(raw)).toBe(shown);
  });

  test("property: nothing a terminal acts on survives, and printable text is left as it is", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => {
        const shown = printable(text);
        expect(shown).not.toMatch(ACTS_ON_TERMINAL);
        if (!ACTS_ON_TERMINAL.test(text)) expect(shown).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  test("printableLines keeps the line breaks of the tool's own multi-line text, and only those", () => {
    expect(printableLines("chmod 600 /a\u001b[2J\nThen restart it")).toBe("chmod 600 /a\\x1b[2J\nThen restart it");
  });

  test("printableCopy escapes every string of a report, deep, keeps remediation's lines, and leaves the original alone", () => {
    const report = {
      certificates: [{ subject: { cn: "a\u001b[31m", o: ["o\n"] }, sans: { dns: ["x\u0007"], ip: [] }, daysRemaining: 3, isCA: false }],
      findings: [{ message: "bad\nline", remediation: "step 1 \u001b[2J\nstep 2", expected: null }],
    };
    const before = structuredClone(report);
    expect(printableCopy(report)).toEqual({
      certificates: [{ subject: { cn: "a\\x1b[31m", o: ["o\\n"] }, sans: { dns: ["x\\x07"], ip: [] }, daysRemaining: 3, isCA: false }],
      findings: [{ message: "bad\\nline", remediation: "step 1 \\x1b[2J\nstep 2", expected: null }],
    });
    expect(report).toEqual(before);
  });
});
