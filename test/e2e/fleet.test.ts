import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { REPO, runCli } from "../helpers/cli.js";

// kube-cert-audit fleet DIR: one subdirectory per node snapshot, audited in one process.
describe("kube-cert-audit fleet", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kca-fleet-"));
  const copy = (sample: string, name: string) => fs.cpSync(path.join(REPO, "sample-clusters", sample), path.join(dir, name), { recursive: true, verbatimSymlinks: true });
  copy("kubeadm-healthy", "a-cp-1");
  copy("kubeadm-broken", "b-cp-2");
  copy("hardway-systemd-2021", "c-controller-0");
  fs.mkdirSync(path.join(dir, "d-empty"));
  fs.writeFileSync(path.join(dir, "notes.txt"), "not a node");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("audits every snapshot and shows the fleet: per-node results, CAs that differ, what could not be audited", () => {
    const run = runCli(["fleet", dir, "--at", "2026-06-01", "-o", "json"]);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(2);
    const fleet = JSON.parse(run.stdout);
    // Two snapshots of hosts named cp-1 keep their roots in their names; the file beside them is no node.
    expect(fleet.nodes.map((n: { node: string; exitCode: number }) => [n.node, n.exitCode])).toEqual([
      [`cp-1 (${path.join(dir, "a-cp-1")})`, 0],
      [`cp-1 (${path.join(dir, "b-cp-2")})`, 2],
      ["controller-0", 2],
    ]);
    expect(fleet.unaudited).toEqual([{ root: path.join(dir, "d-empty"), reason: expect.stringContaining("nothing to audit") }]);
    expect(fleet.findings.map((f: { id: string; role: string }) => `${f.id} ${f.role}`)).toContain("ca-differs-across-nodes ca");
  });

  test("the same as auditing each node and merging the reports", () => {
    const reports = ["a-cp-1", "b-cp-2", "c-controller-0"].map((name) => {
      const file = path.join(os.tmpdir(), `kca-fleet-${name}.json`);
      fs.writeFileSync(file, runCli(["--root", path.join(dir, name), "--at", "2026-06-01", "-o", "json"]).stdout);
      return file;
    });
    const merged = JSON.parse(runCli(["merge", ...reports, "-o", "json"]).stdout);
    const fleet = JSON.parse(runCli(["fleet", dir, "--at", "2026-06-01", "-o", "json"]).stdout);
    expect({ ...fleet, unaudited: [] }).toEqual(merged);
    reports.forEach((file) => fs.rmSync(file));
  });

  test("worker threads (--jobs 2) give the same fleet view as the main thread (--jobs 1)", () => {
    const inThread = runCli(["fleet", dir, "--at", "2026-06-01", "-o", "json", "--jobs", "1"]);
    const onWorkers = runCli(["fleet", dir, "--at", "2026-06-01", "-o", "json", "-j", "2"]);
    expect(onWorkers.stderr).toBe("");
    expect(onWorkers.exitCode).toBe(inThread.exitCode);
    expect(JSON.parse(onWorkers.stdout)).toEqual(JSON.parse(inThread.stdout));
  });

  test.each([
    ["--jobs 0", ["fleet", dir, "--jobs", "0"], "--jobs takes a whole number from 1 to 64, not '0'"],
    ["--jobs two", ["fleet", dir, "--jobs", "two"], "--jobs takes a whole number"],
    ["--jobs on a single-node scan", ["--jobs", "2"], "--jobs applies to fleet, not scan"],
  ])("%s: exit code 3 and why", (_name, args, message) => {
    const run = runCli(args);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(message);
  });

  test.each([
    ["no directory", [], "fleet takes one directory"],
    ["a missing directory", ["/nonexistent-kca"], "no such directory"],
    ["a directory without snapshots", [path.join(REPO, "schema")], "no node snapshots"],
  ])("%s: exit code 3 and why", (_name, args, message) => {
    const run = runCli(["fleet", ...args]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(message);
  });
});
