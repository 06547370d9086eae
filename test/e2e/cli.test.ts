import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { load } from "js-yaml";
import { afterAll, describe, expect, test } from "vitest";
import type { Report } from "../../src/model.js";
import { EXPECTATIONS } from "../../scripts/samples/expected.js";
import { REPO, runCli } from "../helpers/cli.js";

const HEALTHY = "sample-clusters/kubeadm-healthy";
const BROKEN = "sample-clusters/kubeadm-broken";
const AT = "2026-06-01T00:00:00Z";
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "kca-e2e-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const ANSI = /\u001b\[/;
/** The broken sample's documented findings (scripts/samples/expected.ts), by severity. */
const documented = (severity: string) => EXPECTATIONS["kubeadm-broken"]!.findings.filter((f) => f.severity === severity).length;

describe("scan", () => {
  test("healthy sample: table on stdout, nothing on stderr, exit 0", () => {
    const run = runCli(["--root", HEALTHY, "--at", AT]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/0 critical, 0 warning/);
    expect(run.stdout).toContain("/etc/kubernetes/pki/apiserver.crt");
    expect(run.stdout).not.toMatch(ANSI);
  });

  test("broken sample: exit 2 and every finding in the table with its fix", () => {
    const run = runCli(["scan", "--root", BROKEN, "--at", AT]);
    expect(run.exitCode).toBe(2);
    for (const id of ["ca-inconsistent", "issuer-mismatch", "san-missing", "o-mismatch", "cert-expired", "cn-mismatch", "key-mismatch", "cert-expiring"]) {
      expect(run.stdout).toContain(id);
    }
    expect(run.stdout).toContain("kubeadm certs renew front-proxy-client");
    expect(run.stdout).toMatch(/exit code 2/);
  });

  test("--output json is the report contract", () => {
    const run = runCli(["--root", BROKEN, "--at", AT, "--output", "json"]);
    expect(run.exitCode).toBe(2);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.schemaVersion).toBe(1);
    expect(report.evaluatedAt).toBe("2026-06-01T00:00:00.000Z");
    expect(report.summary).toMatchObject({ exitCode: 2, bySeverity: { critical: documented("critical"), warning: documented("warning") } });
    expect(report.node).toMatchObject({ layout: "kubeadm", hostname: "cp-1" });
  });

  test("--output yaml carries the same report", () => {
    const json = JSON.parse(runCli(["--root", BROKEN, "--at", AT, "-o", "json"]).stdout) as Report;
    const yaml = load(runCli(["--root", BROKEN, "--at", AT, "-o", "yaml"]).stdout) as Report;
    expect({ ...yaml, generatedAt: "" }).toEqual({ ...json, generatedAt: "" });
  });

  test("--at moves the audit time: a year later everything has expired", () => {
    const run = runCli(["--root", HEALTHY, "--at", "2027-06-01", "-o", "json"]);
    const report = JSON.parse(run.stdout) as Report;
    expect(run.exitCode).toBe(2);
    expect(report.findings.filter((f) => f.id === "cert-expired").length).toBeGreaterThan(5);
  });

  test("--warn-within and --critical-within set the expiry windows", () => {
    // Healthy leaves expire 2027-01-15T10:00Z: 26 days after this audit time.
    const args = ["--root", HEALTHY, "--at", "2026-12-20T10:00:00Z", "-o", "json"];
    expect(runCli(args).exitCode).toBe(1);
    expect(runCli([...args, "--warn-within", "3w"]).exitCode).toBe(0);
    expect(runCli([...args, "--critical-within", "30d", "--warn-within", "60d"]).exitCode).toBe(2);
  });

  test("--out writes the report atomically and prints nothing", () => {
    const out = path.join(scratch, "report.json");
    const run = runCli(["--root", BROKEN, "--at", AT, "-o", "json", "--out", out]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe("");
    const written = JSON.parse(fs.readFileSync(out, "utf8")) as Report;
    expect(written.findings.filter((f) => f.severity !== "info")).toHaveLength(EXPECTATIONS["kubeadm-broken"]!.findings.length);
    expect(fs.readdirSync(scratch).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  test("--out inside --root is refused and the tree is untouched", () => {
    const root = path.join(scratch, "copy");
    fs.cpSync(path.join(REPO, HEALTHY), root, { recursive: true, verbatimSymlinks: true });
    const before = fs.readdirSync(root, { recursive: true }).sort();
    const run = runCli(["--root", root, "--at", AT, "--out", path.join(root, "etc", "report.json")]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain("inside --root");
    expect(fs.readdirSync(root, { recursive: true }).sort()).toEqual(before);
  });

  test("--profile kubeadm holds a hand-built node to kubeadm's names; auto does not", () => {
    const root = "test/fixtures/independent/hardway-systemd-openssl/tree";
    const ids = (args: string[]) => (JSON.parse(runCli(["--root", root, "--at", AT, "-o", "json", ...args]).stdout) as Report).findings.filter((f) => f.severity !== "info").map((f) => f.id);
    expect(ids([])).not.toContain("cn-mismatch");
    expect(ids(["--profile", "kubeadm"])).toContain("cn-mismatch");
  });

  test("--quiet prints nothing and keeps the exit code; with --out it still writes the file", () => {
    const quiet = runCli(["--root", BROKEN, "--at", AT, "--quiet"]);
    expect(quiet).toEqual({ exitCode: 2, stdout: "", stderr: "" });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kca-quiet-"));
    const out = path.join(dir, "report.json");
    expect(runCli(["--root", BROKEN, "--at", AT, "-q", "-o", "json", "--out", out])).toEqual({ exitCode: 2, stdout: "", stderr: "" });
    expect(JSON.parse(fs.readFileSync(out, "utf8")).summary.exitCode).toBe(2);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("--fail-on critical: warnings alone exit 0, criticals still 2; the report's exit code is unchanged", () => {
    // At 2026-12-20 the healthy sample's leaves expire within 30 days: warnings (and within 7 days, criticals) only.
    const warningsOnly = runCli(["--root", HEALTHY, "--at", "2026-12-20", "-o", "json"]);
    expect(warningsOnly.exitCode).toBe(1);
    const relaxed = runCli(["--root", HEALTHY, "--at", "2026-12-20", "-o", "json", "--fail-on", "critical"]);
    expect(relaxed.exitCode).toBe(0);
    expect(JSON.parse(relaxed.stdout).summary.exitCode).toBe(1);
    expect(runCli(["--root", BROKEN, "--at", AT, "--fail-on", "critical", "-q"]).exitCode).toBe(2);
    expect(runCli(["--root", HEALTHY, "--fail-on", "notice"]).exitCode).toBe(3);
  });

  test("NO_COLOR and pipes never get colour codes", () => {
    expect(runCli(["--root", BROKEN, "--at", AT], { NO_COLOR: "1" }).stdout).not.toMatch(ANSI);
  });
});

describe("the audit could not run: exit 3, a one-line reason on stderr, nothing on stdout", () => {
  test.each([
    ["an unknown flag", ["--frobnicate"], "Unknown option"],
    ["an unknown output format", ["--output", "xml"], "--output must be one of"],
    ["an unparsable --at", ["--at", "yesterday"], "--at takes an ISO 8601"],
    ["a bad duration", ["--warn-within", "soon"], "--warn-within takes a duration"],
    ["critical window longer than warn", ["--critical-within", "40d"], "must not be longer"],
    ["a root that does not exist", ["--root", "no/such/dir"], "no such directory"],
    ["an unknown command", ["audit-everything"], "unknown command"],
    ["an unknown profile", ["--profile", "k3s"], "--profile must be one of"],
  ])("%s", (_name, args, message) => {
    const run = runCli([...args, ...(args.includes("--root") ? [] : ["--root", HEALTHY])]);
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test("an empty root has nothing to audit", () => {
    const empty = fs.mkdtempSync(path.join(scratch, "empty-"));
    const run = runCli(["--root", empty]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain("nothing to audit");
  });
});

describe("help, version, rules, explain", () => {
  test("--help explains usage and the exit codes", () => {
    const run = runCli(["--help"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("Exit codes");
    expect(run.stdout).toContain("--root DIR");
  });

  test("--version prints the package version", () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string };
    expect(runCli(["--version"]).stdout.trim()).toBe(version);
  });

  test("rules prints every role; -o json is data", () => {
    const table = runCli(["rules"]);
    expect(table.exitCode).toBe(0);
    for (const role of ["apiserver", "etcd-peer", "kubelet-client", "front-proxy-ca"]) expect(table.stdout).toContain(role);
    const data = JSON.parse(runCli(["rules", "-o", "json"]).stdout) as { roles: Array<{ id: string }> };
    expect(data.roles.map((r) => r.id)).toContain("apiserver-etcd-client");
  });

  test("explain a check and a role", () => {
    const check = runCli(["explain", "issuer-mismatch"]);
    expect(check.exitCode).toBe(0);
    expect(check.stdout).toContain("CN=kubernetes");
    const role = runCli(["explain", "apiserver"]);
    expect(role.stdout).toContain("kubeadm certs renew apiserver");
    const unknown = runCli(["explain", "no-such-check"]);
    expect(unknown.exitCode).toBe(3);
    expect(unknown.stderr).toContain("no check, role, connection or setting");
  });

  test("--rules overrides a bundled role", () => {
    const file = path.join(scratch, "rules.yaml");
    fs.writeFileSync(
      file,
      [
        "roles:",
        "  - id: scheduler.conf",
        "    title: scheduler client certificate, CN relaxed",
        "    profile: kubeadm",
        "    match: [{ component: kube-scheduler, flag: --kubeconfig, field: client-certificate }]",
        "    issuer: ca",
        "    cn: { anyOf: [kube-scheduler], severity: warning }",
        "    citation: local policy",
        "",
      ].join("\n"),
    );
    const report = JSON.parse(runCli(["--root", BROKEN, "--at", AT, "-o", "json", "--rules", file]).stdout) as Report;
    expect(report.findings.filter((f) => f.id === "cn-mismatch")).toEqual([]);
  });

  test("an invalid --rules file names the file and the field", () => {
    const file = path.join(scratch, "bad-rules.yaml");
    fs.writeFileSync(file, "roles:\n  - id: x\n    title: t\n    profile: kubeadm\n    match: [{ component: etcd }]\n    citation: c\n    cn: { anyOf: [a], severity: fatal }\n");
    const run = runCli(["--root", HEALTHY, "--rules", file]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain("bad-rules.yaml");
    expect(run.stderr).toContain("/cn/severity");
  });
});
