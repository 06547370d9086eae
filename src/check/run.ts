import { SEVERITY_ORDER, type Connection, type Finding, type Severity } from "../model.js";
import { connectionsOf } from "./connections.js";
import { CHECKS } from "./registry.js";
import type { AuditedCertificate, CheckContext, CheckKind } from "./types.js";
import { compareText } from "../order.js";

export interface CheckResults {
  findings: Finding[];
  connections: Connection[];
  /** Worst severity found on each certificate. */
  worstByCertificate: Map<AuditedCertificate, Severity>;
}

const rank = (severity: Severity) => SEVERITY_ORDER.indexOf(severity);

/** Run every check kind over the context; findings come out in a stable order, worst first. */
export function runChecks(ctx: CheckContext, checks: readonly CheckKind[] = CHECKS): CheckResults {
  const findings: Finding[] = [];
  const worstByCertificate = new Map<AuditedCertificate, Severity>();
  for (const check of checks) {
    for (const draft of check.run(ctx)) {
      const { certificate, citation, ...rest } = draft;
      findings.push({ id: check.id, ...rest, citation: citation ?? check.citation });
      if (certificate) {
        const current = worstByCertificate.get(certificate);
        if (current === undefined || rank(draft.severity) > rank(current)) worstByCertificate.set(certificate, draft.severity);
      }
    }
  }
  findings.sort(
    (a, b) =>
      rank(b.severity) - rank(a.severity) ||
      compareText(a.component, b.component) ||
      compareText(a.path, b.path) ||
      compareText(a.id, b.id) ||
      compareText(a.message, b.message),
  );
  return { findings, connections: connectionsOf(ctx, findings), worstByCertificate };
}
