/**
 * The report as Prometheus metrics in the text exposition format, for node_exporter's textfile
 * collector (write to `<dir>/kube_cert_audit.prom` with --out: the write is atomic, as the
 * collector requires). Every metric is a gauge; names and labels are documented in README.md.
 */
import type { CertificateRecord, Report, Severity } from "../model.js";
import { SEVERITY_ORDER } from "../model.js";
import { compareText } from "../order.js";

const PREFIX = "kube_cert_audit";

/** Label values escaped as the exposition format wants: backslash, double quote, newline. */
function labels(values: Record<string, string>): string {
  const escape = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
  return `{${Object.entries(values)
    .map(([name, value]) => `${name}="${escape(value)}"`)
    .join(",")}}`;
}

class MetricsText {
  private readonly lines: string[] = [];

  family(name: string, help: string, samples: Array<[Record<string, string>, number]>): void {
    if (samples.length === 0) return;
    this.lines.push(`# HELP ${PREFIX}_${name} ${help}`, `# TYPE ${PREFIX}_${name} gauge`);
    for (const [labelValues, value] of samples) this.lines.push(`${PREFIX}_${name}${labels(labelValues)} ${Number.isInteger(value) ? value : value.toFixed(6)}`);
  }

  toString(): string {
    return this.lines.join("\n") + "\n";
  }
}

/** One series per certificate and the place it is used from: a kubeconfig holds two at one path. */
function certificateLabels(node: string, cert: CertificateRecord): Record<string, string> {
  const ref = cert.references[0];
  return {
    node,
    path: cert.path,
    index: String(cert.index),
    use: ref ? (ref.field ?? ref.flag ?? ref.purpose) : "",
    component: ref?.component ?? "",
    purpose: cert.isCA ? "ca" : (ref?.purpose ?? ""),
    role: cert.roles[0] ?? "",
    cn: cert.subject.cn ?? "",
    issuer: cert.issuer.cn ?? "",
    serial: cert.serial,
  };
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export interface PrometheusOptions {
  /** How long the scan took, measured by the caller. */
  scanDurationSeconds?: number;
}

export function renderPrometheus(report: Report, options: PrometheusOptions = {}): string {
  const node = report.node.hostname ?? "";
  const out = new MetricsText();
  const at = Date.parse(report.evaluatedAt);
  out.family("scan_success", "1 when the audit ran to its report, 0 when it could not run.", [[{ node }, 1]]);
  if (options.scanDurationSeconds !== undefined) out.family("scan_duration_seconds", "Wall time of the audit.", [[{ node }, options.scanDurationSeconds]]);
  out.family("scan_timestamp_seconds", "The time the certificates were evaluated at (--at, or now), as a Unix time.", [[{ node }, Math.floor(at / 1000)]]);
  out.family("exit_code", "The audit's exit code: 0 nothing worse than info, 1 a warning, 2 a critical finding.", [[{ node }, report.summary.exitCode]]);
  out.family("info", "The tool version, node layout and rule profiles of the audit (always 1).", [
    [{ node, version: report.tool.version, layout: report.node.layout, profiles: report.node.profiles.join(",") }, 1],
  ]);
  out.family(
    "findings",
    "Number of findings by severity.",
    [...SEVERITY_ORDER].reverse().map((severity): [Record<string, string>, number] => [{ node, severity }, report.summary.bySeverity[severity]]),
  );
  const byCheck = new Map<string, number>();
  for (const finding of report.findings) byCheck.set(`${finding.id}\u0000${finding.severity}`, (byCheck.get(`${finding.id}\u0000${finding.severity}`) ?? 0) + 1);
  out.family(
    "findings_by_check",
    "Number of findings by check id (kube-cert-audit explain ID) and severity; checks without findings are absent.",
    [...byCheck].sort(([a], [b]) => compareText(a, b)).map(([key, count]) => {
      const [check, severity] = key.split("\u0000") as [string, Severity];
      return [{ node, check, severity }, count];
    }),
  );
  const certs = report.certificates.map((cert) => [certificateLabels(node, cert), cert] as const);
  out.family("certificate_not_after_seconds", "The certificate's notAfter as a Unix time: alert on it minus time() being small.", certs.map(([l, c]) => [l, seconds(c.notAfter)]));
  out.family("certificate_not_before_seconds", "The certificate's notBefore as a Unix time.", certs.map(([l, c]) => [l, seconds(c.notBefore)]));
  out.family("certificate_expired", "1 when the certificate is expired at the scan time.", certs.map(([l, c]) => [l, Date.parse(c.notAfter) <= at ? 1 : 0]));
  out.family(
    "certificate_status",
    "Worst finding on the certificate: 0 ok or info, 1 warning, 2 critical.",
    certs.map(([l, c]) => [l, c.status === "critical" ? 2 : c.status === "warning" ? 1 : 0]),
  );
  out.family(
    "connection_ok",
    "1 when both ends of a control-plane TLS connection on this node trust each other (or the end here is sound), 0 when it is broken.",
    report.connections.map((c): [Record<string, string>, number] => [{ node, connection: c.id, client: c.client, server: c.server }, c.status === "broken" ? 0 : 1]),
  );
  return out.toString();
}

/** What the textfile collector should see when the audit could not run: scan_success 0. */
export function renderPrometheusFailure(): string {
  const out = new MetricsText();
  out.family("scan_success", "1 when the audit ran to its report, 0 when it could not run.", [[{ node: "" }, 0]]);
  return out.toString();
}
