import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { AUDIT_AT } from "../../scripts/samples/expected.js";
import { generateFleet, nodeDirName } from "../../scripts/samples/fleet.js";
import { runCli } from "../helpers/cli.js";

/** Four nodes: cluster 0 is nodes 0-2, cluster 1 is node 3 alone. */
const NODES = 4;

let fleetDir: string;
const nodeRoot = (index: number) => path.join(fleetDir, nodeDirName(index));
const read = (index: number, file: string) => fs.readFileSync(path.join(nodeRoot(index), file));

/** Finding ids of a one-node JSON audit by the built CLI, sorted, with its exit code. */
function auditFindingIds(root: string): { exitCode: number; ids: string[] } {
  const run = runCli(["--root", root, "--at", AUDIT_AT, "-o", "json"]);
  const report = JSON.parse(run.stdout) as { findings: Array<{ id: string }> };
  return { exitCode: run.exitCode, ids: report.findings.map((finding) => finding.id).sort() };
}

beforeAll(async () => {
  fleetDir = fs.mkdtempSync(path.join(os.tmpdir(), "kca-fleet-generator-"));
  await generateFleet(fleetDir, NODES);
});

afterAll(() => {
  fs.rmSync(fleetDir, { recursive: true, force: true });
});

describe("scripts/samples/fleet.ts", () => {
  test("writes one directory per node", () => {
    expect(fs.readdirSync(fleetDir).sort()).toEqual(["node-0000", "node-0001", "node-0002", "node-0003"]);
  });

  test("nodes of a cluster share its CA certificates byte for byte; the next cluster has its own", () => {
    for (const file of ["etc/kubernetes/pki/ca.crt", "etc/kubernetes/pki/etcd/ca.crt", "etc/kubernetes/pki/front-proxy-ca.crt"]) {
      expect(read(1, file).equals(read(0, file)), file).toBe(true);
      expect(read(2, file).equals(read(0, file)), file).toBe(true);
      expect(read(3, file).equals(read(0, file)), file).toBe(false);
    }
  });

  test("every node has its own leaf certificates", () => {
    const apiservers = Array.from({ length: NODES }, (_, index) => read(index, "etc/kubernetes/pki/apiserver.crt").toString("latin1"));
    expect(new Set(apiservers).size).toBe(NODES);
  });

  test("every node audits like kubeadm-healthy", () => {
    const healthy = auditFindingIds("sample-clusters/kubeadm-healthy");
    expect(healthy.exitCode).toBe(0);
    for (let index = 0; index < NODES; index++) {
      expect(auditFindingIds(nodeRoot(index)), nodeDirName(index)).toEqual(healthy);
    }
  });

  test("kube-cert-audit fleet sees every node", () => {
    const run = runCli(["fleet", fleetDir, "--at", AUDIT_AT, "-o", "json"]);
    const report = JSON.parse(run.stdout) as { summary: { nodes: number }; nodes: Array<{ exitCode: number }>; findings: Array<{ id: string }> };
    expect(report.summary.nodes).toBe(NODES);
    expect(report.nodes.map((node) => node.exitCode)).toEqual([0, 0, 0, 0]);
    // `fleet` compares CAs across all its nodes as if they were one cluster; two clusters differ in every CA.
    expect(report.findings.map((finding) => finding.id)).toEqual(Array(3).fill("ca-differs-across-nodes"));
  });
});
