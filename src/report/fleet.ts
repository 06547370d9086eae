/**
 * Many nodes' reports as one fleet view: each node's result, whether the control-plane nodes
 * agree on their CAs, and the certificates that expire soonest anywhere. Pure: reports in, data
 * and text out.
 */
import Table from "cli-table3";
import type { Report, Severity } from "../model.js";
import { SEVERITY_ORDER } from "../model.js";
import { compareText } from "../order.js";
import { printableCopy } from "./printable.js";

export interface FleetNode {
  node: string;
  root: string;
  evaluatedAt: string;
  layout: string;
  exitCode: 0 | 1 | 2;
  bySeverity: Report["summary"]["bySeverity"];
  certificates: number;
}

/** A certificate of one node, for the fleet-wide expiry list. */
export interface FleetCertificate {
  node: string;
  path: string;
  cn: string | null;
  notAfter: string;
  daysRemaining: number;
}

/** One CA role as each node has it: the fingerprints it was found with and the nodes behind each. */
export interface FleetCA {
  role: string;
  consistent: boolean;
  variants: Array<{ fingerprintSha256: string; subject: string | null; notAfter: string; nodes: string[] }>;
}

export interface FleetFinding {
  id: "ca-differs-across-nodes";
  severity: Severity;
  role: string;
  message: string;
}

export interface FleetReport {
  schemaVersion: 1;
  kind: "fleet";
  nodes: FleetNode[];
  cas: FleetCA[];
  /** The certificates that expire soonest across the fleet, soonest first. */
  soonestExpiring: FleetCertificate[];
  findings: FleetFinding[];
  /** Node snapshots that could not be audited (fleet mode), and why: each counts as critical. */
  unaudited: Array<{ root: string; reason: string }>;
  summary: { nodes: number; exitCode: 0 | 1 | 2; bySeverity: Record<Severity, number> };
}

const SOONEST = 10;

type CertificateRecord = Report["certificates"][number];

/**
 * What the fleet view reads of one node's report. A fleet worker sends this much instead of the
 * whole report, and the fleet keeps no more than this per node while it runs.
 */
export interface FleetInput {
  evaluatedAt: string;
  node: Pick<Report["node"], "root" | "hostname" | "layout">;
  summary: Pick<Report["summary"], "certificates" | "bySeverity" | "exitCode">;
  certificates: Array<
    Pick<CertificateRecord, "path" | "isCA" | "fingerprintSha256" | "notAfter" | "daysRemaining"> & {
      subject: Pick<CertificateRecord["subject"], "cn">;
      references: Array<Pick<CertificateRecord["references"][number], "role">>;
    }
  >;
}

export function fleetInput(report: Report): FleetInput {
  const { root, hostname, layout } = report.node;
  const { certificates, bySeverity, exitCode } = report.summary;
  return {
    evaluatedAt: report.evaluatedAt,
    node: { root, hostname, layout },
    summary: { certificates, bySeverity, exitCode },
    certificates: report.certificates.map((c) => ({
      path: c.path,
      isCA: c.isCA,
      fingerprintSha256: c.fingerprintSha256,
      notAfter: c.notAfter,
      daysRemaining: c.daysRemaining,
      subject: { cn: c.subject.cn },
      // Only CA certificates' roles are compared across nodes.
      references: c.isCA ? c.references.map((ref) => ({ role: ref.role })) : [],
    })),
  };
}

/**
 * Each node's name in the fleet: its hostname, made unique with its audited root when two
 * reports share one (snapshots of the same node, or clones).
 */
function nodeNames(reports: readonly FleetInput[]): Map<FleetInput, string> {
  const host = (report: FleetInput) => report.node.hostname ?? report.node.root;
  const count = new Map<string, number>();
  for (const r of reports) count.set(host(r), (count.get(host(r)) ?? 0) + 1);
  return new Map(reports.map((r) => [r, (count.get(host(r)) as number) > 1 ? `${host(r)} (${r.node.root})` : host(r)]));
}

type FleetCertificateInput = FleetInput["certificates"][number];

/**
 * The CA a node has for each CA role: the certificate most of the node's references to that role
 * name. (A flag pointing at a stray CA is that node's own finding, not a fleet difference.)
 */
function nodeCAs(report: FleetInput): Map<string, FleetCertificateInput> {
  const votes = new Map<string, Map<string, { cert: FleetCertificateInput; count: number }>>();
  for (const cert of report.certificates) {
    if (!cert.isCA) continue;
    for (const ref of cert.references) {
      if (ref.role === undefined) continue;
      const tally = votes.get(ref.role) ?? new Map<string, { cert: FleetCertificateInput; count: number }>();
      votes.set(ref.role, tally);
      // The same CA may sit in several files: votes count by fingerprint.
      const entry = tally.get(cert.fingerprintSha256) ?? { cert, count: 0 };
      entry.count += 1;
      tally.set(cert.fingerprintSha256, entry);
    }
  }
  return new Map(
    [...votes].map(([role, tally]) => {
      const [winner] = [...tally.values()].sort((a, b) => b.count - a.count || compareText(a.cert.fingerprintSha256, b.cert.fingerprintSha256));
      return [role, (winner as { cert: FleetCertificateInput }).cert];
    }),
  );
}

function caVariants(reports: readonly FleetInput[], names: Map<FleetInput, string>): FleetCA[] {
  const byRole = new Map<string, Map<string, FleetCA["variants"][number]>>();
  for (const report of reports) {
    for (const [role, cert] of nodeCAs(report)) {
      const variants = byRole.get(role) ?? new Map<string, FleetCA["variants"][number]>();
      byRole.set(role, variants);
      const variant = variants.get(cert.fingerprintSha256) ?? { fingerprintSha256: cert.fingerprintSha256, subject: cert.subject.cn, notAfter: cert.notAfter, nodes: [] };
      variants.set(cert.fingerprintSha256, variant);
      variant.nodes.push(names.get(report) as string);
    }
  }
  return [...byRole]
    .sort(([a], [b]) => compareText(a, b))
    .map(([role, variants]) => ({ role, consistent: variants.size === 1, variants: [...variants.values()] }));
}

export function mergeReports(reports: readonly FleetInput[], unaudited: FleetReport["unaudited"] = []): FleetReport {
  const names = nodeNames(reports);
  const nodes: FleetNode[] = reports.map((r) => ({
    node: names.get(r) as string,
    root: r.node.root,
    evaluatedAt: r.evaluatedAt,
    layout: r.node.layout,
    exitCode: r.summary.exitCode,
    bySeverity: r.summary.bySeverity,
    certificates: r.summary.certificates,
  }));
  const cas = caVariants(reports, names);
  const findings: FleetFinding[] = cas
    .filter((ca) => !ca.consistent)
    .map((ca) => ({
      id: "ca-differs-across-nodes",
      severity: "critical",
      role: ca.role,
      message: `The nodes do not share one ${ca.role} CA: ${ca.variants.map((v) => `${v.nodes.join(", ")}: CN=${v.subject ?? "?"} (SHA-256 ${v.fingerprintSha256.slice(0, 11)}…)`).join("; ")}. Certificates issued on one node are then rejected on the others; copy the CA (certificate and key) from one node to all, or finish the CA rotation on every node.`,
    }));
  const soonestExpiring = reports
    .flatMap((r) => r.certificates.map((c): FleetCertificate => ({ node: names.get(r) as string, path: c.path, cn: c.subject.cn, notAfter: c.notAfter, daysRemaining: c.daysRemaining })))
    .sort((a, b) => compareText(a.notAfter, b.notAfter) || compareText(a.node, b.node) || compareText(a.path, b.path))
    .slice(0, SOONEST);
  const bySeverity = Object.fromEntries(
    SEVERITY_ORDER.map((severity) => [severity, reports.reduce((sum, r) => sum + r.summary.bySeverity[severity], 0) + findings.filter((f) => f.severity === severity).length]),
  ) as Record<Severity, number>;
  const exitCode = Math.max(
    unaudited.length > 0 ? 2 : 0,
    ...nodes.map((n) => n.exitCode),
    ...findings.map((f) => (f.severity === "critical" ? 2 : f.severity === "warning" ? 1 : 0)),
  ) as 0 | 1 | 2;
  return { schemaVersion: 1, kind: "fleet", nodes, cas, soonestExpiring, findings, unaudited, summary: { nodes: nodes.length, exitCode, bySeverity } };
}

/** Nodes named in one table cell; beyond, a count and the first few (-o json lists them all). */
const NODES_IN_CELL = 6;

function nodesCell(nodes: readonly string[]): string {
  if (nodes.length <= NODES_IN_CELL) return nodes.join(", ");
  return `${nodes.length} nodes: ${nodes.slice(0, NODES_IN_CELL - 1).join(", ")}, …`;
}

/**
 * The fleet as tables: nodes, CA agreement, the soonest expiries, fleet findings. Every cell is
 * one line (cli-table3 lays out a multi-line cell in time quadratic in its length), and a CA
 * variant's nodes are listed only up to a few.
 */
export function renderFleetTable(audited: FleetReport): string {
  // Node names and paths come from the audited trees: on a terminal, only as printable text.
  const fleet = printableCopy(audited);
  const table = (head: string[], rows: string[][]) => {
    const t = new Table({ head, style: { head: [], border: [] } });
    t.push(...rows);
    return t.toString();
  };
  const parts = [
    `kube-cert-audit fleet — ${fleet.summary.nodes} nodes, ${fleet.summary.bySeverity.critical} critical, ${fleet.summary.bySeverity.warning} warning; exit code ${fleet.summary.exitCode}`,
    "",
    table(
      ["Node", "Layout", "Critical", "Warning", "Certificates", "Evaluated at", "Exit"],
      fleet.nodes.map((n) => [n.node, n.layout, String(n.bySeverity.critical), String(n.bySeverity.warning), String(n.certificates), n.evaluatedAt, String(n.exitCode)]),
    ),
    "",
    "CAs across the nodes",
    table(
      ["CA role", "Same on every node", "SHA-256", "CN", "Nodes"],
      fleet.cas.flatMap((ca) =>
        ca.variants.map((v, i) => [i === 0 ? ca.role : "", i === 0 ? (ca.consistent ? "yes" : "NO") : "", `${v.fingerprintSha256.slice(0, 11)}…`, v.subject ?? "?", nodesCell(v.nodes)]),
      ),
    ),
    "",
    "Soonest expiring certificates",
    table(
      ["Node", "Path", "CN", "Expires", "Days left"],
      fleet.soonestExpiring.map((c) => [c.node, c.path, c.cn ?? "", c.notAfter.slice(0, 10), String(c.daysRemaining)]),
    ),
  ];
  for (const finding of fleet.findings) parts.push("", `${finding.severity.toUpperCase()} ${finding.id} ${finding.role}`, `  ${finding.message}`);
  for (const node of fleet.unaudited) parts.push("", `CRITICAL not audited: ${node.root}`, `  ${node.reason}`);
  return parts.join("\n") + "\n";
}
