import { aboutCertificate, reissueAdvice } from "../describe.js";
import type { CheckKind, FindingDraft } from "../types.js";

const show = (values: readonly string[]) => (values.length === 0 ? "(none)" : values.join(", "));

export const oMismatch: CheckKind = {
  id: "o-mismatch",
  title: "Subject O (groups) is not what the role requires",
  description: "The subject organizations equal one of the role's accepted sets (version differences are alternatives).",
  citation: "kubeadm cmd/kubeadm/app/phases/certs/certlist.go and phases/kubeconfig/kubeconfig.go (Organization); O values changed in v1.29 (kubernetes/kubernetes#121305, #121837, #119859, #120521)",
  explanation:
    "Kubernetes maps each O of a client certificate to a group. The admin's rights (kubeadm:cluster-admins since v1.29, system:masters before), the API server's rights on kubelets and a kubelet's membership of system:nodes all come from O. etcd ignores O, so there a mismatch is only a warning. Renewed certificates keep their old O, so either version's value is accepted.",
  remediation: "Re-issue the certificate with the expected O: `kubeadm certs renew` keeps the current O, so regenerate it (`kubeadm init phase certs <name>` / `kubeadm init phase kubeconfig <name>`).",
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const c of ctx.certificates) {
      for (const role of c.roles) {
        if (!role.o) continue;
        const actual = [...c.cert.subject.o].sort();
        const accepted = role.o.anyOf.map((set) => [...set].sort());
        if (accepted.some((set) => set.length === actual.length && set.every((value, i) => value === actual[i]))) continue;
        findings.push(
          aboutCertificate(c, role, role.o.severity, {
            message: `${role.id}: subject O is ${show(actual)}, expected ${accepted.map(show).join(" or ")}${role.o.why ? ` (${role.o.why})` : ""}`,
            expected: accepted.map(show).join(" | "),
            actual: show(actual),
            remediation: reissueAdvice(c, ctx, "regenerate", { o: role.o.anyOf[0] ?? [] }),
          }),
        );
      }
    }
    return findings;
  },
};
