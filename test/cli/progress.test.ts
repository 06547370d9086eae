import { describe, expect, test } from "vitest";
import { progressLine, progressReporter } from "../../src/cli/progress.js";

describe("fleet progress line", () => {
  test.each([
    [0, 1000, 80, "[········································]    0/1000 nodes   0%"],
    [512, 1000, 80, "[####################····················]  512/1000 nodes  51%"],
    [1000, 1000, 80, "[########################################] 1000/1000 nodes 100%"],
    [3, 7, 40, "[#########·············] 3/7 nodes  42%"],
    // Too narrow for a bar: the counts alone.
    [3, 7, 20, "3/7 nodes  42%"],
  ])("%i of %i at %i columns", (done, total, width, line) => {
    expect(progressLine(done, total, width)).toBe(line);
    expect(line.length).toBeLessThanOrEqual(width);
  });

  test("redraws in place at most every 100 ms, always draws the end, and ends the line", () => {
    const writes: string[] = [];
    let clock = 0;
    const report = progressReporter({ write: (text: string) => writes.push(text), columns: 60 } as unknown as NodeJS.WriteStream, () => clock);
    report(1, 4);
    clock = 50;
    report(2, 4); // within 100 ms: skipped
    clock = 150;
    report(3, 4);
    clock = 160;
    report(4, 4); // the end: drawn at once
    expect(writes.length).toBe(3);
    expect(writes.every((w) => w.startsWith("\r"))).toBe(true);
    expect(writes[2]).toMatch(/4\/4 nodes 100%\n$/);
    expect(writes.slice(0, 2).some((w) => w.includes("\n"))).toBe(false);
  });
});
