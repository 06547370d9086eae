import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Report } from "../../src/model.js";
import { REPO, runCli } from "../helpers/cli.js";

/**
 * The healthy sample, damaged the ways real nodes get damaged. Every problem must come back as a
 * finding with exit code 2 — never a crash, a hang or exit code 3.
 */
let root: string;
let report: Report;
let run: ReturnType<typeof runCli>;

function edit(file: string, change: (text: string) => string): void {
  const full = path.join(root, file);
  fs.writeFileSync(full, change(fs.readFileSync(full, "utf8")));
}

beforeAll(() => {
  root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kca-broken-input-")), "node");
  fs.cpSync(path.join(REPO, "sample-clusters/kubeadm-healthy"), root, { recursive: true, verbatimSymlinks: true });
  // A flag naming a file that does not exist, and one naming a path no volume mounts.
  edit("etc/kubernetes/manifests/kube-apiserver.yaml", (t) =>
    t.replace("--tls-cert-file=/etc/kubernetes/pki/apiserver.crt", "--tls-cert-file=/etc/kubernetes/pki/apiserver-new.crt").replace("--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt", "--etcd-cafile=/opt/etcd/ca.crt"),
  );
  // A manifest that is not YAML any more.
  fs.writeFileSync(path.join(root, "etc/kubernetes/manifests/kube-scheduler.yaml"), "apiVersion: v1\nkind: Pod\nspec: [unclosed\n");
  // A FIFO where a CA should be: reading it must not block.
  fs.rmSync(path.join(root, "etc/kubernetes/pki/front-proxy-ca.crt"));
  execFileSync("mkfifo", [path.join(root, "etc/kubernetes/pki/front-proxy-ca.crt")]);
  // Garbage instead of a key, and a kubeconfig whose certificate data is not base64.
  fs.writeFileSync(path.join(root, "etc/kubernetes/pki/apiserver-kubelet-client.key"), "this is not a key\r\n");
  edit("etc/kubernetes/admin.conf", (t) => t.replace(/client-certificate-data: \S+/, "client-certificate-data: '%%% not base64 %%%'"));
  // The kubelet's symlink pointing at the host's real /etc (outside the audited tree).
  fs.rmSync(path.join(root, "var/lib/kubelet/pki/kubelet-client-current.pem"));
  fs.symlinkSync("/../../../../etc/passwd", path.join(root, "var/lib/kubelet/pki/kubelet-client-current.pem"));
  run = runCli(["--root", root, "--at", "2026-06-01", "-o", "json"]);
  report = JSON.parse(run.stdout) as Report;
});

afterAll(() => fs.rmSync(path.dirname(root), { recursive: true, force: true }));

test("exit code 2, JSON on stdout, nothing on stderr", () => {
  expect(run.exitCode).toBe(2);
  expect(run.stderr).toBe("");
});

test.each([
  ["file-missing", "kube-apiserver", "/etc/kubernetes/pki/apiserver-new.crt"],
  ["not-mounted", "kube-apiserver", "/opt/etcd/ca.crt"],
  ["config-invalid", "kube-scheduler", "/etc/kubernetes/manifests/kube-scheduler.yaml"],
  ["file-unreadable", "kube-apiserver", "/etc/kubernetes/pki/front-proxy-ca.crt"],
  ["file-invalid", "kube-apiserver", "/etc/kubernetes/pki/apiserver-kubelet-client.key"],
  ["file-invalid", "admin.conf", "/etc/kubernetes/admin.conf"],
  ["file-missing", "kubelet", "/var/lib/kubelet/pki/kubelet-client-current.pem"],
])("%s for %s %s", (id, component, file) => {
  expect(report.findings.filter((f) => f.id === id && f.component === component && f.path === file).map((f) => f.severity)).toContain("critical");
});

test("the escaping symlink was resolved inside the root, not to the host's /etc/passwd", () => {
  const finding = report.findings.find((f) => f.path === "/var/lib/kubelet/pki/kubelet-client-current.pem");
  expect(finding?.message).toContain("does not exist");
  expect(run.stdout).not.toContain("root:x:0:0");
});
