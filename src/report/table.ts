import { locatorOf } from "../check/describe.js";
import Table from "cli-table3";
import type { CertificateRecord, Finding, Report } from "../model.js";
import { printableCopy } from "./printable.js";
import type { Style } from "./style.js";
import { compareText } from "../order.js";

export interface TableOptions {
  style: Style;
  /** Terminal width; the table is laid out to fit it. */
  width: number;
}

const PURPOSE_LABEL: Record<string, string> = {
  serving: "serving",
  client: "client",
  peer: "peer",
  "verify-clients": "CA (clients)",
  "verify-server": "CA (server)",
  "verify-peers": "CA (peers)",
  signing: "signing CA",
  "root-ca": "root CA",
  "sa-public-key": "SA public key",
  "sa-private-key": "SA key",
};

function altNames(certificate: CertificateRecord): string {
  return [...certificate.sans.dns, ...certificate.sans.ip].join(", ") || "-";
}

function expiry(certificate: CertificateRecord, separator = " "): string {
  const days = certificate.daysRemaining;
  const when = certificate.notAfter.slice(0, 10);
  return days < 0 ? `${when}${separator}(expired)` : `${when}${separator}(${days}d)`;
}

function statusLabel(certificate: CertificateRecord, style: Style): string {
  return style.severity(certificate.status, certificate.status === "ok" ? "ok" : certificate.status.toUpperCase());
}

/**
 * Characters of a certificate field shown in a table cell. cli-table3 measures a cell's whole text
 * again for every line it draws, so a huge SAN list or subject would take seconds to lay out (and
 * pages to read); the rest is counted instead, and -o json has every value.
 */
const CELL_CHARACTERS = 1000;

function clip(text: string): string {
  return text.length <= CELL_CHARACTERS ? text : `${text.slice(0, CELL_CHARACTERS)}… (${text.length - CELL_CHARACTERS} more characters; -o json has them all)`;
}

/** Below this width the certificate table cannot be read; certificates are listed instead. */
export const TABLE_MIN_WIDTH = 180;

interface Row {
  certificate: CertificateRecord;
  type: string;
  via: string;
}

/** Rows per component, in the order of the health-check spreadsheet: one per use of a certificate. */
function rowsByComponent(report: Report): Array<[string, Row[]]> {
  const byComponent = new Map<string, Row[]>();
  for (const certificate of report.certificates) {
    for (const ref of certificate.references) {
      const rows = byComponent.get(ref.component) ?? [];
      const type = PURPOSE_LABEL[ref.purpose] ?? ref.purpose;
      const via = locatorOf(ref) ?? "";
      if (!rows.some((row) => row.certificate === certificate && row.type === type && row.via === via)) rows.push({ certificate, type, via });
      byComponent.set(ref.component, rows);
    }
  }
  return [...byComponent.entries()].sort(([a], [b]) => compareText(a, b));
}

function pathOf(certificate: CertificateRecord): string {
  const path = certificate.resolvedPath ? `${certificate.path}\n→ ${certificate.resolvedPath}` : certificate.path;
  return certificate.index > 0 ? `${path} #${certificate.index + 1}` : path;
}

function issuerOf(certificate: CertificateRecord): string {
  return certificate.selfSigned ? "(self-signed)" : (certificate.issuer.cn ?? "-");
}

function certificateTable(report: Report, options: TableOptions): string {
  const { style } = options;
  // type, path, CN, O, issuer, expires, status; the alt names take what is left.
  const fixed = [28, 36, 26, 18, 16, 12, 10];
  const names = Math.max(20, options.width - fixed.reduce((a, b) => a + b, 0) - 25);
  const table = new Table({
    head: ["Type", "Certificate path", "CN", "Alt names", "O", "Issuer", "Expires", "Status"].map((h) => style.bold(h)),
    colWidths: [fixed[0]!, fixed[1]!, fixed[2]!, names, fixed[3]!, fixed[4]!, fixed[5]!, fixed[6]!],
    wordWrap: true,
    // Paths and DNS names are long single words: break them rather than cut them off.
    wrapOnWordBoundary: false,
    style: { head: [], border: [], compact: true },
  });
  for (const [component, rows] of rowsByComponent(report)) {
    table.push([{ colSpan: 8, content: style.bold(component) }]);
    for (const { certificate, type, via } of rows) {
      table.push([
        via ? `${type}\n${via}` : type,
        clip(pathOf(certificate)),
        clip(certificate.subject.cn ?? "-"),
        clip(altNames(certificate)),
        clip(certificate.subject.o.join(", ") || "-"),
        clip(issuerOf(certificate)),
        expiry(certificate, "\n"),
        statusLabel(certificate, style),
      ]);
    }
  }
  return table.toString();
}

/** The same rows as a list, for terminals too narrow for the table. */
function certificateList(report: Report, options: TableOptions): string {
  const { style } = options;
  const lines: string[] = [];
  for (const [component, rows] of rowsByComponent(report)) {
    lines.push(style.bold(component));
    for (const { certificate, type, via } of rows) {
      const o = certificate.subject.o.length > 0 ? `  O=${certificate.subject.o.join(",")}` : "";
      lines.push(
        `  ${statusLabel(certificate, style).padEnd(8)} ${type}${via ? ` ${via}` : ""}`,
        `           ${pathOf(certificate)}`,
        `           CN=${certificate.subject.cn ?? "-"}${o}  issuer ${issuerOf(certificate)}  expires ${expiry(certificate)}`,
      );
      if (certificate.sans.dns.length + certificate.sans.ip.length > 0) lines.push(`           SANs ${altNames(certificate)}`);
    }
  }
  return lines.join("\n");
}

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");
}

function findingBlock(finding: Finding, style: Style): string {
  const where = [finding.component, finding.flag].filter(Boolean).join(" ");
  const lines = [
    `${style.severity(finding.severity, finding.severity.toUpperCase().padEnd(8))} ${style.bold(finding.id)}  ${where}  ${style.dim(finding.path)}`,
    indent(finding.message, "  "),
  ];
  if (finding.expected !== null || finding.actual !== null) {
    lines.push(`  expected: ${finding.expected ?? "-"}`, `  actual:   ${finding.actual ?? "-"}`);
  }
  lines.push(`  fix:`, indent(finding.remediation, "    "));
  return lines.join("\n");
}

/** The human report: certificates grouped by component, then findings with their fixes. */
export function renderTable(audited: Report, options: TableOptions): string {
  const { style } = options;
  // Names and paths come from the audited tree: on a terminal, only as printable text.
  const report = printableCopy(audited);
  const { summary, node } = report;
  const parts = [
    `${style.bold("kube-cert-audit")} ${report.tool.version} — ${node.root} (${node.layout}${node.facts.nodeName ? `, node ${node.facts.nodeName}` : ""}) at ${report.evaluatedAt}`,
    "",
    report.certificates.length === 0 ? "No certificates found." : options.width >= TABLE_MIN_WIDTH ? certificateTable(report, options) : certificateList(report, options),
    "",
  ];
  if (report.findings.length === 0) {
    parts.push(style.severity("ok", "No findings."));
  } else {
    parts.push(style.bold(`Findings (${report.findings.length})`), "");
    parts.push(report.findings.map((finding) => findingBlock(finding, style)).join("\n\n"));
  }
  const s = summary.bySeverity;
  parts.push(
    "",
    `${summary.certificates} certificates: ${style.severity("critical", `${s.critical} critical`)}, ${style.severity("warning", `${s.warning} warning`)}, ${style.severity("info", `${s.info} info`)} — exit code ${summary.exitCode}`,
  );
  return parts.join("\n") + "\n";
}
