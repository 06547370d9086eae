import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import type { Report } from "../../src/model.js";
import { renderPrometheus, renderPrometheusFailure } from "../../src/report/prometheus.js";
import { auditTree } from "../helpers/audit.js";
import { runCli } from "../helpers/cli.js";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * A strict reader of the text exposition format, with the rules promtool's `check metrics` and
 * the textfile collector enforce: HELP and TYPE once per family, before its samples; valid metric
 * and label names; quoted, escaped label values; a float value; no series twice.
 */
function parseExposition(text: string): { families: Map<string, { help: string; type: string }>; samples: Sample[] } {
  const families = new Map<string, { help: string; type: string }>();
  const samples: Sample[] = [];
  const series = new Set<string>();
  const pending = new Map<string, string>();
  expect(text.endsWith("\n")).toBe(true);
  for (const line of text.slice(0, -1).split("\n")) {
    const help = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (help) {
      expect(families.has(help[1]!) || pending.has(help[1]!), `HELP twice for ${help[1]}`).toBe(false);
      pending.set(help[1]!, help[2]!);
      continue;
    }
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter|untyped)$/.exec(line);
    if (type) {
      expect(pending.has(type[1]!), `TYPE without HELP for ${type[1]}`).toBe(true);
      families.set(type[1]!, { help: pending.get(type[1]!)!, type: type[2]! });
      pending.delete(type[1]!);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\} (\S+)$/.exec(line);
    expect(sample, `not a valid sample line: ${line}`).not.toBeNull();
    const [, name, labelText, value] = sample!;
    expect(families.has(name!), `sample of ${name} before its TYPE`).toBe(true);
    const labels: Record<string, string> = {};
    for (const m of labelText!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      expect(labels[m[1]!], `label ${m[1]} twice`).toBeUndefined();
      labels[m[1]!] = m[2]!.replace(/\\(.)/g, (_all, c: string) => (c === "n" ? "\n" : c));
    }
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    expect(series.has(key), `series twice: ${line}`).toBe(false);
    series.add(key);
    expect(Number.isFinite(Number(value))).toBe(true);
    samples.push({ name: name!, labels, value: Number(value) });
  }
  expect([...pending.keys()], "HELP without TYPE").toEqual([]);
  return { families, samples };
}

const AT = new Date("2026-06-01T00:00:00Z");
const SAMPLES = ["kubeadm-healthy", "kubeadm-broken", "kubeadm-trust-broken", "hardway-systemd-2021", "hardway-systemd-2024"];

describe.each(SAMPLES)("prom output of %s", (sample) => {
  const report: Report = auditTree(`sample-clusters/${sample}`, AT);
  const { families, samples } = parseExposition(renderPrometheus(report, { scanDurationSeconds: 0.125 }));
  const values = (name: string) => samples.filter((s) => s.name === `kube_cert_audit_${name}`);

  test("is valid exposition text with only gauges", () => {
    expect([...families.values()].every((f) => f.type === "gauge")).toBe(true);
    expect(values("scan_success")).toEqual([{ name: "kube_cert_audit_scan_success", labels: { node: report.node.hostname! }, value: 1 }]);
    expect(values("scan_duration_seconds")[0]?.value).toBe(0.125);
  });

  test("one series per certificate with its dates, expiry and labels", () => {
    const notAfter = values("certificate_not_after_seconds");
    expect(notAfter).toHaveLength(report.certificates.length);
    for (const cert of report.certificates) {
      const series = notAfter.filter((s) => s.labels.path === cert.path && s.labels.index === String(cert.index) && s.labels.serial === cert.serial);
      expect(series).toHaveLength(1);
      expect(series[0]!.value).toBe(Date.parse(cert.notAfter) / 1000);
      expect(series[0]!.labels.cn).toBe(cert.subject.cn ?? "");
      expect(series[0]!.labels.component).toBe(cert.references[0]!.component);
      const expired = values("certificate_expired").find((s) => s.labels.path === cert.path && s.labels.serial === cert.serial && s.labels.use === series[0]!.labels.use);
      expect(expired?.value).toBe(cert.daysRemaining < 0 ? 1 : 0);
    }
  });

  test("finding counts match the report's summary", () => {
    for (const severity of ["critical", "warning", "info"] as const) {
      expect(values("findings").find((s) => s.labels.severity === severity)?.value).toBe(report.summary.bySeverity[severity]);
    }
    expect(values("findings_by_check").reduce((sum, s) => sum + s.value, 0)).toBe(report.findings.length);
    expect(values("exit_code")[0]?.value).toBe(report.summary.exitCode);
    expect(values("connection_ok").filter((s) => s.value === 0).map((s) => s.labels.connection)).toEqual(report.connections.filter((c) => c.status === "broken").map((c) => c.id));
  });
});

describe("prom label values", () => {
  test("quotes, backslashes and newlines are escaped and read back unchanged", () => {
    const report = auditTree("sample-clusters/kubeadm-healthy", AT);
    const odd = 'C:\\odd "name"\nsecond line';
    const cert = { ...report.certificates[0]!, subject: { cn: odd, o: [] } };
    const { samples } = parseExposition(renderPrometheus({ ...report, certificates: [cert] }));
    expect(samples.find((s) => s.name === "kube_cert_audit_certificate_not_after_seconds")?.labels.cn).toBe(odd);
  });
});

describe("prom when the audit cannot run", () => {
  test("the failure text says scan_success 0", () => {
    const { samples } = parseExposition(renderPrometheusFailure());
    expect(samples).toEqual([{ name: "kube_cert_audit_scan_success", labels: { node: "" }, value: 0 }]);
  });

  test("the CLI replaces the --out file with scan_success 0 and exits 3", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kca-prom-"));
    const out = path.join(dir, "kube_cert_audit.prom");
    fs.writeFileSync(out, "kube_cert_audit_scan_success 1\n");
    const run = runCli(["--root", path.join(dir, "no-such-root"), "-o", "prom", "--out", out]);
    expect(run.exitCode).toBe(3);
    expect(fs.readFileSync(out, "utf8")).toBe(renderPrometheusFailure());
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
