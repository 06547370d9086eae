import { aboutCertificate, reissueAdvice } from "../describe.js";
import type { CheckKind, FindingDraft } from "../types.js";

export const extKeyUsageMissing: CheckKind = {
  id: "ext-key-usage-missing",
  title: "Extended key usage does not fit the direction of use",
  description: "Serving certificates carry serverAuth, client certificates clientAuth, etcd server and peer certificates both.",
  citation: "Go crypto/x509 VerifyOptions.KeyUsages (servers require clientAuth of clients, clients serverAuth of servers); kubeadm cmd/kubeadm/app/phases/certs/certlist.go (etcd needs both, etcd-io/etcd#9785)",
  explanation:
    "Go's TLS stack, which every Kubernetes component and etcd use, rejects a client certificate without clientAuth and a server certificate without serverAuth ('x509: certificate specifies an incompatible key usage'). etcd also uses its serving certificate as a client towards itself and peers, so both usages are needed there. A certificate with no EKU extension is accepted for any use.",
  remediation: "Re-issue the certificate with the required extendedKeyUsage.",
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const c of ctx.certificates) {
      for (const role of c.roles) {
        const present = c.cert.extKeyUsage;
        if (!role.extKeyUsage || present === null || present.includes("anyExtendedKeyUsage")) continue;
        const missing = role.extKeyUsage.filter((usage) => !present.includes(usage));
        if (missing.length === 0) continue;
        findings.push(
          aboutCertificate(c, role, "critical", {
            message: `${role.id}: extended key usage lacks ${missing.join(", ")}; Go TLS peers reject it`,
            expected: role.extKeyUsage.join(", "),
            actual: present.join(", ") || "(empty)",
            remediation: reissueAdvice(c, ctx, "regenerate"),
          }),
        );
      }
    }
    return findings;
  },
};
