import { aboutCertificate, reissueAdvice } from "../describe.js";
import type { CheckKind, FindingDraft } from "../types.js";

export const keyUsageMissing: CheckKind = {
  id: "key-usage-missing",
  title: "Key usage lacks a bit the role needs",
  description: "A leaf certificate's key usage extension, when present, includes the bits its role requires (digitalSignature).",
  citation: "kubeadm cmd/kubeadm/app/util/pkiutil/pki_helpers.go (NewSignedCert: KeyUsageDigitalSignature|KeyUsageKeyEncipherment); RFC 5280 §4.2.1.3",
  explanation:
    "TLS 1.3 and ECDHE handshakes sign with the certificate key, which RFC 5280 ties to digitalSignature. Go does not enforce key usage bits, but OpenSSL-based clients (curl, many probes) do, so a missing bit breaks some clients only. An absent extension allows every usage.",
  remediation: "Re-issue the certificate with keyUsage=digitalSignature,keyEncipherment (kubeadm always sets both).",
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const c of ctx.certificates) {
      for (const role of c.roles) {
        const present = c.cert.keyUsage;
        if (!role.keyUsage || present === null) continue;
        const missing = role.keyUsage.filter((usage) => !present.includes(usage));
        if (missing.length === 0) continue;
        findings.push(
          aboutCertificate(c, role, "warning", {
            message: `${role.id}: key usage lacks ${missing.join(", ")}`,
            expected: role.keyUsage.join(", "),
            actual: present.join(", ") || "(none)",
            remediation: reissueAdvice(c, ctx, "regenerate"),
          }),
        );
      }
    }
    return findings;
  },
};
