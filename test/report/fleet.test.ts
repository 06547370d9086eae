import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { Report } from "../../src/model.js";
import { fleetInput, mergeReports, renderFleetTable } from "../../src/report/fleet.js";
import { auditTree } from "../helpers/audit.js";
import { runCli } from "../helpers/cli.js";

const AT = new Date("2026-06-01T00:00:00Z");
const report = (sample: string): Report => auditTree(`sample-clusters/${sample}`, AT);

describe("renderFleetTable", () => {
  test("many nodes on one CA: one-line cells, the first few nodes named and the rest counted, every name printable", () => {
    const healthy = fleetInput(report("kubeadm-healthy"));
    const nodes = Array.from({ length: 250 }, (_, i) => ({ ...healthy, node: { ...healthy.node, hostname: i === 0 ? "cp-\u001b]0;PWNED\u0007x" : `cp-${i}`, root: `/fleet/${i}` } }));
    const text = renderFleetTable(mergeReports(nodes));
    expect(text).toContain("250 nodes: cp-\\x1b]0;PWNED\\x07x, cp-1, cp-2, cp-3, cp-4, …");
    expect(text).not.toContain("\u001b");
    // Every CA role on one line of the CA table: no cell spans lines.
    const caTable = text.slice(text.indexOf("CAs across the nodes"), text.indexOf("Soonest expiring"));
    expect(caTable.split("\n").filter((line) => line.startsWith("│")).map((line) => line.split("│")[1]!.trim())).toEqual(["CA role", "ca", "etcd-ca", "front-proxy-ca"]);
  });
});

describe("mergeReports", () => {
  test("nodes of one cluster share their CAs: no fleet finding; the soonest expiry of the fleet comes first", () => {
    // kubeadm-broken's stray CA files (ca-old.crt, a foreign client CA) are that node's own findings;
    // the CA most of its flags name is the cluster's.
    const fleet = mergeReports([report("kubeadm-healthy"), report("kubeadm-broken"), report("kubeadm-trust-broken")]);
    expect(fleet.cas.map((ca) => [ca.role, ca.consistent])).toEqual([
      ["ca", true],
      ["etcd-ca", true],
      ["front-proxy-ca", true],
    ]);
    expect(fleet.findings).toEqual([]);
    // kubeadm-broken's front-proxy-client expired on 2026-05-01.
    expect(fleet.soonestExpiring[0]).toMatchObject({ node: "cp-1 (sample-clusters/kubeadm-broken)", path: "/etc/kubernetes/pki/front-proxy-client.crt", daysRemaining: -31 });
    expect(fleet.soonestExpiring.map((c) => c.notAfter)).toEqual([...fleet.soonestExpiring.map((c) => c.notAfter)].sort());
    // Three reports from hosts all named cp-1: each keeps its root in its name.
    expect(fleet.nodes.map((n) => n.node)).toEqual(["cp-1 (sample-clusters/kubeadm-healthy)", "cp-1 (sample-clusters/kubeadm-broken)", "cp-1 (sample-clusters/kubeadm-trust-broken)"]);
    expect(fleet.summary).toMatchObject({ nodes: 3, exitCode: 2 });
    expect(fleet.summary.bySeverity.critical).toBe(fleet.nodes.reduce((sum, n) => sum + n.bySeverity.critical, 0));
  });

  test("nodes with different cluster CAs: one critical finding per CA role that differs, naming the nodes", () => {
    const fleet = mergeReports([report("kubeadm-healthy"), report("hardway-systemd-2021")]);
    const ca = fleet.cas.find((c) => c.role === "ca")!;
    expect(ca.consistent).toBe(false);
    expect(ca.variants.map((v) => v.nodes)).toEqual([["cp-1"], ["controller-0"]]);
    expect(fleet.findings.map((f) => [f.id, f.severity, f.role])).toContainEqual(["ca-differs-across-nodes", "critical", "ca"]);
    expect(fleet.findings.find((f) => f.role === "ca")!.message).toContain("cp-1: CN=kubernetes");
    expect(fleet.summary.exitCode).toBe(2);
  });

  test("one healthy node: exit code 0, nothing to report", () => {
    const fleet = mergeReports([report("kubeadm-healthy")]);
    expect(fleet).toMatchObject({ findings: [], summary: { nodes: 1, exitCode: 0 } });
    expect(fleet.nodes[0]!.node).toBe("cp-1");
  });
});

describe("kube-cert-audit merge", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kca-merge-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (sample: string) => {
    const file = path.join(dir, `${sample}.json`);
    fs.writeFileSync(file, runCli(["--root", `sample-clusters/${sample}`, "--at", "2026-06-01", "-o", "json"]).stdout);
    return file;
  };

  test("reads the nodes' JSON reports and prints the fleet; the exit code is the fleet's worst", () => {
    const files = [write("kubeadm-healthy"), write("hardway-systemd-2024")];
    const table = runCli(["merge", ...files]);
    expect(table.exitCode).toBe(2);
    expect(table.stderr).toBe("");
    expect(table.stdout).toContain("2 nodes");
    expect(table.stdout).toContain("ca-differs-across-nodes");
    const json = runCli(["merge", ...files, "-o", "json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: "fleet", summary: { nodes: 2, exitCode: 2 } });
    expect(runCli(["merge", files[0]!]).exitCode).toBe(0);
  });

  test.each([
    ["no report", [], "merge takes one or more JSON reports"],
    ["a missing file", ["missing.json"], "missing.json: cannot be read"],
    ["a file that is not JSON", ["README.md"], "README.md: not JSON"],
    ["JSON that is not a report", ["package.json"], "package.json: not a kube-cert-audit report"],
  ])("%s is refused with exit code 3, naming the input", (_name, files, message) => {
    const run = runCli(["merge", ...files]);
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(message);
  });
});
