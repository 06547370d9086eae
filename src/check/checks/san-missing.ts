import { normalizeIP } from "../../ip.js";
import { aboutCertificate, reissueAdvice } from "../describe.js";
import { missingRequiredSans } from "../sans.js";
import type { CheckKind, FindingDraft } from "../types.js";

export const sanMissing: CheckKind = {
  id: "san-missing",
  title: "Serving certificate lacks a name its clients dial",
  description: "Every name and address the role requires (node name, advertise address, service IP, cluster domain names, --etcd-servers hosts) is a SAN.",
  citation: "kubeadm cmd/kubeadm/app/util/pkiutil/pki_helpers.go (GetAPIServerAltNames, GetEtcdAltNames, GetEtcdPeerAltNames); Go 1.15 ignores the CN as a host name (https://go.dev/doc/go1.15#commonname)",
  explanation:
    "A TLS client checks that the host it dialed is a subject alternative name of the server's certificate; the CN is not considered since Go 1.15. Pods reach the API server as kubernetes.default.svc and the service IP, nodes through the advertise address, the API server reaches etcd through the --etcd-servers host. A missing SAN fails those clients with 'x509: certificate is valid for …, not …'.",
  remediation: "Re-issue the certificate with the missing names (`kubeadm certs renew` keeps the old SANs: regenerate with the names in ClusterConfiguration certSANs).",
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const c of ctx.certificates) {
      for (const role of c.roles) {
        if (!role.sans) continue;
        const missing = missingRequiredSans(c, role, ctx.facts);
        if (missing.length === 0) continue;
        const present = [...c.cert.sans.dns.map((d) => `DNS:${d}`), ...c.cert.sans.ip.map((i) => `IP:${i}`)];
        findings.push(
          aboutCertificate(c, role, role.sans.severity, {
            message: `${role.id}: missing SAN${missing.length > 1 ? "s" : ""} ${missing.join(", ")}; clients that dial ${missing.length > 1 ? "them" : "it"} fail TLS verification`,
            expected: missing.map((m) => (normalizeIP(m) !== null ? `IP:${m}` : `DNS:${m}`)).join(", "),
            actual: present.join(", ") || "(no SANs)",
            remediation: reissueAdvice(c, ctx, "regenerate"),
          }),
        );
      }
    }
    return findings;
  },
};
