import type { CertificateRecord, Component, Connection, Finding, Layout, Report, Severity } from "../model.js";
import type { AuditedCertificate } from "../check/types.js";
import type { Facts } from "../model.js";
import { compareText } from "../order.js";

export const TOOL_NAME = "kube-cert-audit";
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ReportInput {
  version: string;
  root: string;
  generatedAt: Date;
  evaluatedAt: Date;
  layout: Layout;
  profiles: string[];
  facts: Facts;
  components: Component[];
  certificates: AuditedCertificate[];
  worstByCertificate: Map<AuditedCertificate, Severity>;
  connections: Connection[];
  findings: Finding[];
}

/** Exit code by the monitoring-plugin convention: 2 critical, 1 warning, else 0. */
export function exitCodeFor(findings: readonly Finding[]): 0 | 1 | 2 {
  if (findings.some((f) => f.severity === "critical")) return 2;
  if (findings.some((f) => f.severity === "warning")) return 1;
  return 0;
}

function record(c: AuditedCertificate, at: Date, worst: Severity | undefined): CertificateRecord {
  const { cert } = c;
  return {
    path: c.path,
    ...(c.resolvedPath ? { resolvedPath: c.resolvedPath } : {}),
    index: c.index,
    references: c.references,
    roles: c.roles.map((role) => role.id),
    subject: cert.subject,
    issuer: cert.issuer,
    sans: cert.sans,
    serial: cert.serial,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    daysRemaining: Math.floor((cert.notAfter.getTime() - at.getTime()) / DAY_MS),
    isCA: cert.basicConstraints?.ca === true,
    selfSigned: cert.selfSigned,
    keyAlgorithm: cert.keyAlgorithm,
    keySize: cert.keySize,
    signatureAlgorithm: cert.signatureAlgorithm,
    keyUsage: cert.keyUsage ?? [],
    extKeyUsage: cert.extKeyUsage ?? [],
    fingerprintSha256: cert.fingerprintSha256,
    status: worst === undefined || worst === "info" ? "ok" : worst,
  };
}

/** Assemble the versioned report every renderer draws from. */
export function buildReport(input: ReportInput): Report {
  const certificates = input.certificates
    .map((c) => record(c, input.evaluatedAt, input.worstByCertificate.get(c)))
    .sort((a, b) => compareText(a.path, b.path) || a.index - b.index);
  const count = (severity: Severity) => input.findings.filter((f) => f.severity === severity).length;
  return {
    schemaVersion: 1,
    tool: { name: TOOL_NAME, version: input.version },
    generatedAt: input.generatedAt.toISOString(),
    evaluatedAt: input.evaluatedAt.toISOString(),
    node: { root: input.root, hostname: input.facts.hostname ?? null, layout: input.layout, profiles: input.profiles, facts: input.facts },
    summary: {
      certificates: certificates.length,
      findings: input.findings.length,
      bySeverity: { ok: certificates.filter((c) => c.status === "ok").length, info: count("info"), warning: count("warning"), critical: count("critical") },
      exitCode: exitCodeFor(input.findings),
    },
    components: input.components,
    certificates,
    connections: input.connections,
    findings: input.findings,
  };
}
