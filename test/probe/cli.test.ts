import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as tls from "node:tls";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Report } from "../../src/model.js";
import { close, runCliAsync, tlsServer } from "./helpers.js";
import { buildTree, makePki, type Pki } from "./standin-tree.js";

/** The built CLI with --probe, against a kube-apiserver stand-in serving an old certificate. */

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats.default(ajv);
const validateReport = ajv.compile(JSON.parse(fs.readFileSync(new URL("../../schema/report.schema.json", import.meta.url), "utf8")) as object);

let scratch: string;
let root: string;
let pki: Pki;
let server: tls.Server;
let connections = 0;

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "kca-probe-cli-"));
  pki = await makePki();
  const standIn = await tlsServer({ cert: pki.apiserver.cert, key: pki.apiserver.key });
  server = standIn.server;
  server.on("connection", () => connections++);
  root = path.join(scratch, "node");
  // On disk: the renewed certificate; served: the old one.
  buildTree(root, pki, { apiserverPort: standIn.port, advertise: "127.0.0.1", apiserverCert: pki.apiserverRenewed, clientCa: pki.ca.cert });
});

afterAll(async () => {
  await close(server);
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe("kube-cert-audit --probe", () => {
  test("without --probe nothing is contacted; with it the stale certificate is a critical finding and the exit code says so", async () => {
    const offline = await runCliAsync(["--root", root, "-o", "json"]);
    expect(connections).toBe(0);
    const offlineReport = JSON.parse(offline.stdout) as Report;
    expect(offlineReport.findings.filter((f) => f.id.startsWith("probe-"))).toEqual([]);

    const probed = await runCliAsync(["--root", root, "--probe", "--probe-timeout", "10s", "-o", "json"]);
    expect(connections).toBeGreaterThan(0);
    expect(probed.exitCode).toBe(2);
    // A snapshot's addresses are dialled knowingly: said on stderr, never on stdout.
    expect(probed.stderr).toContain(`--probe with --root ${root}: dialling the addresses its configuration names`);
    const report = JSON.parse(probed.stdout) as Report;
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    const stale = report.findings.filter((f) => f.id === "probe-stale-certificate");
    expect(stale.map((f) => [f.severity, f.component, f.path])).toEqual([["critical", "kube-apiserver", "/etc/kubernetes/pki/apiserver.crt"]]);
    expect(report.summary.bySeverity.critical).toBe(offlineReport.summary.bySeverity.critical + 1);
    expect(report.summary.exitCode).toBe(2);
  });

  test("the table, Prometheus metrics and --quiet carry the probe's findings too", async () => {
    const table = await runCliAsync(["--root", root, "--probe", "--probe-timeout", "10s"]);
    expect(table.stdout).toMatch(/CRITICAL\s+probe-stale-certificate\s+kube-apiserver --tls-cert-file/);
    expect(table.stdout).toContain("Restart kube-apiserver: systemctl restart kube-apiserver");
    const prom = await runCliAsync(["--root", root, "--probe", "--probe-timeout", "10s", "-o", "prom"]);
    expect(prom.stdout).toContain('check="probe-stale-certificate",severity="critical"} 1');
    const quiet = await runCliAsync(["--root", root, "--probe", "--probe-timeout", "10s", "-q"]);
    expect([quiet.exitCode, quiet.stdout, quiet.stderr]).toEqual([2, "", ""]);
  });

  test("usage errors exit 3; explain knows the probe's check kinds", async () => {
    const zero = await runCliAsync(["--root", root, "--probe", "--probe-timeout", "0s"]);
    expect(zero.exitCode).toBe(3);
    expect(zero.stderr).toContain("--probe-timeout takes a time from 1ms to 60s");
    const alone = await runCliAsync(["--root", root, "--probe-timeout", "2s"]);
    expect(alone.exitCode).toBe(3);
    expect(alone.stderr).toContain("--probe-timeout needs --probe");
    const explained = await runCliAsync(["explain", "probe-stale-certificate"]);
    expect(explained.exitCode).toBe(0);
    expect(explained.stdout).toContain("probe-stale-certificate: A component serves a different certificate than the file its configuration names");
    expect(explained.stdout).toContain("Runs only with --probe");
  });
});
