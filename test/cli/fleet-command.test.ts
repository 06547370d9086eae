import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { auditFleet, workerCount } from "../../src/cli/fleet-command.js";
import { loadRules } from "../../src/load/rules-files.js";

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

/**
 * The protocol between auditFleet and its workers, with stand-in worker scripts: a worker says it
 * is ready, answers each batch with one message, and exits when told there is no more work.
 */
describe("auditFleet on workers", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kca-fleet-workers-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const worker = (name: string, source: string) => {
    const file = path.join(dir, `${name}.mjs`);
    fs.writeFileSync(file, `import { parentPort } from "node:worker_threads";\n${source}\n`);
    return pathToFileURL(file);
  };
  const options = { at: new Date("2026-06-01"), generatedAt: new Date("2026-06-01"), warnWithinDays: 30, criticalWithinDays: 7, rules: loadRules(), version: "test" };
  const roots = Array.from({ length: 20 }, (_, i) => `/snapshots/node-${i}`);

  test("every batch is answered once, by however many workers, and the answers come back in order", async () => {
    // Each snapshot "has nothing to audit", which the fleet report then names, all of them.
    const answering = worker(
      "answering",
      `parentPort.on("message", (m) => m.done ? parentPort.close() : parentPort.postMessage({ outcomes: m.batch.map(([i, root]) => [i, { unaudited: "empty " + root }]) }));
parentPort.postMessage({ ready: true });`,
    );
    for (const workers of [2, 3, 5]) {
      await expect(auditFleet(roots, options, { workers, workerScript: answering })).rejects.toThrow(`none of the ${roots.length} snapshots has anything to audit (empty /snapshots/node-0)`);
    }
  });

  test.each([
    ["exits before it is ready", "process.exit(0);"],
    ["exits with its first batch unanswered", `parentPort.on("message", () => process.exit(0));\nparentPort.postMessage({ ready: true });`],
  ])("a worker that %s fails the fleet, rather than leaving it waiting or its nodes out", async (_what, source) => {
    await expect(auditFleet(roots, options, { workers: 2, workerScript: worker(`quits-${source.length}`, source) })).rejects.toThrow("a fleet worker stopped before its work was done");
  });

  test("a worker that answers for only part of a batch fails the fleet, rather than leaving nodes out", async () => {
    const partial = worker(
      "partial",
      `parentPort.on("message", (m) => m.done ? parentPort.close() : parentPort.postMessage({ outcomes: m.batch.slice(1).map(([i]) => [i, { unaudited: "empty" }]) }));
parentPort.postMessage({ ready: true });`,
    );
    await expect(auditFleet(roots, options, { workers: 2, workerScript: partial })).rejects.toThrow(`fleet workers answered for 17 of ${roots.length} snapshots`);
  });

  test("a worker's error fails the fleet with its message", async () => {
    const failing = worker("failing", `parentPort.on("message", () => parentPort.postMessage({ error: "disk on fire" }));\nparentPort.postMessage({ ready: true });`);
    await expect(auditFleet(roots, options, { workers: 2, workerScript: failing })).rejects.toThrow("disk on fire");
  });
});
