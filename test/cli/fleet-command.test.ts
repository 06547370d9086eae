import * as os from "node:os";
import { describe, expect, test } from "vitest";
import { workerCount } from "../../src/cli/fleet-command.js";

describe("workerCount: how many worker threads a fleet gets", () => {
  const cores = os.availableParallelism();

  test.each([
    ["--jobs 1 keeps it in the main thread", 1000, 1, 1],
    ["--jobs is capped by the number of snapshots", 3, 8, 3],
    ["--jobs is taken as given otherwise", 1000, 6, 6],
    ["a small fleet stays in the main thread", 63, undefined, 1],
  ])("%s", (_why, snapshots, jobs, expected) => {
    expect(workerCount(snapshots, jobs)).toBe(expected);
  });

  test("from 64 snapshots on, one worker per core, no more than there are batches of 8", () => {
    expect(workerCount(64, undefined)).toBe(Math.min(cores, 8));
    expect(workerCount(1000, undefined)).toBe(Math.min(cores, 125));
  });
});
