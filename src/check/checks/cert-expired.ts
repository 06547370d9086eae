import { aboutCertificate, humanDuration, capSeverity, reissueAdvice } from "../describe.js";
import type { CheckKind } from "../types.js";

export const certExpired: CheckKind = {
  id: "cert-expired",
  title: "Certificate has expired",
  description: "The audit time is not past the certificate's notAfter (notAfter itself is still valid, as in RFC 5280 and Go).",
  citation: "RFC 5280 §4.1.2.5; Go crypto/x509 Certificate.Verify (x509: certificate has expired or is not yet valid)",
  explanation:
    "Every TLS peer rejects an expired certificate: an expired API server or etcd certificate takes the control plane down, an expired client certificate locks that client out. kubeadm renews leaf certificates only on `kubeadm upgrade` or `kubeadm certs renew`.",
  remediation: "Renew it (`kubeadm certs renew <name>` on kubeadm clusters) and restart the components that use it.",
  run(ctx) {
    return ctx.certificates
      // RFC 5280 §4.1.2.5: validity includes notAfter; Go rejects only when now is after it.
      .filter((c) => ctx.at.getTime() > c.cert.notAfter.getTime())
      .map((c) =>
        aboutCertificate(c, c.roles[0], capSeverity("critical", c.expirySeverityCap), {
          message: `expired ${humanDuration(c.cert.notAfter, ctx.at)} ago (CN=${c.cert.subject.cn ?? "(none)"})`,
          expected: `notAfter no earlier than ${ctx.at.toISOString()}`,
          actual: `notAfter ${c.cert.notAfter.toISOString()}`,
          remediation: reissueAdvice(c, ctx),
        }),
      );
  },
};

