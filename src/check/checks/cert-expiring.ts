import type { Severity } from "../../model.js";
import { aboutCertificate, humanDuration, capSeverity, reissueAdvice } from "../describe.js";
import type { CheckKind, FindingDraft } from "../types.js";

const DAY_MS = 24 * 60 * 60 * 1000;

export const certExpiring: CheckKind = {
  id: "cert-expiring",
  title: "Certificate expires soon",
  description: "The certificate stays valid for longer than --warn-within (default 30 days; critical within --critical-within, default 7 days).",
  citation: "kubeadm certs check-expiration (RESIDUAL TIME); https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/",
  explanation:
    "kubeadm leaf certificates live one year and are renewed only by `kubeadm upgrade` or `kubeadm certs renew`; a cluster not upgraded within the year stops when they expire. Warning and critical windows give time to renew in a maintenance window.",
  remediation: "Renew it before it expires (`kubeadm certs renew <name>`) and restart the components that use it.",
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const c of ctx.certificates) {
      const remaining = c.cert.notAfter.getTime() - ctx.at.getTime();
      if (remaining < 0 || ctx.at.getTime() < c.cert.notBefore.getTime()) continue;
      let severity: Severity | undefined;
      if (remaining <= ctx.criticalWithinDays * DAY_MS) severity = "critical";
      else if (remaining <= ctx.warnWithinDays * DAY_MS) severity = "warning";
      if (!severity) continue;
      const window = severity === "critical" ? ctx.criticalWithinDays : ctx.warnWithinDays;
      findings.push(
        aboutCertificate(c, c.roles[0], capSeverity(severity, c.expirySeverityCap), {
          message: `expires in ${humanDuration(ctx.at, c.cert.notAfter)} (CN=${c.cert.subject.cn ?? "(none)"})`,
          expected: `more than ${window} days of validity left`,
          actual: `notAfter ${c.cert.notAfter.toISOString()}`,
          remediation: reissueAdvice(c, ctx),
        }),
      );
    }
    return findings;
  },
};
