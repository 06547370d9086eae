import { aboutCertificate, reissueAdvice } from "../describe.js";
import { expandTemplate, matchesPattern } from "../templates.js";
import type { CheckKind, FindingDraft } from "../types.js";

export const cnMismatch: CheckKind = {
  id: "cn-mismatch",
  title: "Subject CN is not what the role requires",
  description: "The subject common name matches the role's expected CN (exact, templated on node facts, or a pattern).",
  citation: "kubeadm cmd/kubeadm/app/phases/certs/certlist.go and phases/kubeconfig/kubeconfig.go (CommonName of each certificate)",
  explanation:
    "For client certificates the CN is the user name Kubernetes authenticates: RBAC binds system:kube-scheduler and system:kube-controller-manager by name, and the Node authorizer admits a kubelet only as system:node:<node name>. A wrong CN there means 'forbidden' errors. For serving certificates and CAs the CN is only a kubeadm naming convention, so a mismatch is a warning or a note.",
  remediation: "Re-issue the certificate with the expected CN (`kubeadm certs renew` keeps the old CN, so regenerate it: `kubeadm init phase certs <name>` or `kubeadm init phase kubeconfig <name>`).",
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const c of ctx.certificates) {
      for (const role of c.roles) {
        if (!role.cn || (role.cn.profile !== undefined && !ctx.profiles.includes(role.cn.profile))) continue;
        const expansions = role.cn.anyOf.map((template) => expandTemplate(template, ctx.facts));
        const expected = expansions.flatMap((expansion) => expansion.values);
        const actual = c.cert.subject.cn;
        if (actual !== null && expected.some((pattern) => matchesPattern(pattern, actual))) continue;
        // An alternative that could not be expanded might be the one that matches: fact-unknown says so.
        if (expansions.some((expansion) => expansion.unknown.length > 0)) continue;
        findings.push(
          aboutCertificate(c, role, role.cn.severity, {
            message: `${role.id}: subject CN is ${actual === null ? "missing" : `'${actual}'`}, expected ${expected.map((e) => `'${e}'`).join(" or ")}${role.cn.why ? ` (${role.cn.why})` : ""}`,
            expected: expected.join(" | "),
            actual: actual ?? "(no CN)",
            // Re-issued with the first CN the role accepts that is a name, not a pattern.
            remediation: reissueAdvice(c, ctx, "regenerate", { cn: expected.find((e) => !e.includes("*")) ?? actual ?? "" }),
          }),
        );
      }
    }
    return findings;
  },
};
