import { aboutCertificate, describeCA } from "../describe.js";
import type { CheckKind, FindingDraft } from "../types.js";

export const caOutlived: CheckKind = {
  id: "ca-outlived",
  title: "Certificate outlives the CA that signed it",
  description: "A certificate's notAfter is not later than its issuing CA's notAfter.",
  citation: "RFC 5280 §6.1.3 (every certificate of the path must be valid); kubeadm never renews CAs (reference: kubeadm certs check-expiration)",
  explanation:
    "A certificate is usable only while its whole chain is valid. When the CA expires first, the leaf stops working on the CA's expiry date, not its own, so the leaf's notAfter overstates how long the cluster has. kubeadm renews leaves yearly but never its 10-year CAs.",
  remediation: "Plan the CA rotation before the CA's notAfter: https://kubernetes.io/docs/tasks/tls/manual-rotation-of-ca-certificates/",
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const c of ctx.certificates) {
      if (c.cert.selfSigned) continue;
      const issuers = ctx.issuersOf(c);
      // Outlived only if every CA that verifies it expires first.
      if (issuers.length === 0 || issuers.some((ca) => ca.cert.notAfter.getTime() >= c.cert.notAfter.getTime())) continue;
      const ca = issuers[0]!;
      findings.push(
        aboutCertificate(c, c.roles[0], "warning", {
          message: `valid until ${c.cert.notAfter.toISOString()}, but its CA ${describeCA(ca)} ${ca.cert.notAfter.getTime() < ctx.at.getTime() ? "expired" : "expires"} ${ca.cert.notAfter.toISOString()}; it stops working then`,
          expected: `notAfter no later than the CA's ${ca.cert.notAfter.toISOString()}`,
          actual: `notAfter ${c.cert.notAfter.toISOString()}`,
          remediation:
            ca.cert.notAfter.getTime() < ctx.at.getTime()
              ? `The CA has already expired: renew it (re-signing ${ca.path} with its existing key keeps every certificate it issued valid), then restart the components that trust it.`
              : this.remediation,
        }),
      );
    }
    return findings;
  },
};
