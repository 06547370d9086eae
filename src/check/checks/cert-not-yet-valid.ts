import { aboutCertificate, humanDuration, capSeverity, reissueAdvice } from "../describe.js";
import type { CheckKind } from "../types.js";

export const certNotYetValid: CheckKind = {
  id: "cert-not-yet-valid",
  title: "Certificate is not valid yet",
  description: "The certificate's notBefore is not later than the audit time.",
  citation: "RFC 5280 §4.1.2.5; Go crypto/x509 Certificate.Verify",
  explanation:
    "A certificate from the future is rejected exactly like an expired one. It usually means the clock of the machine that issued it was ahead, or this node's clock is behind (check `timedatectl`). kubeadm backdates notBefore by 5 minutes to absorb small clock skew.",
  remediation: "Fix the clock (NTP) on the issuing machine or this node; re-issue the certificate if its notBefore is really in the future.",
  run(ctx) {
    return ctx.certificates
      .filter((c) => ctx.at.getTime() < c.cert.notBefore.getTime())
      .map((c) =>
        aboutCertificate(c, c.roles[0], capSeverity("critical", c.expirySeverityCap), {
          message: `not valid for another ${humanDuration(ctx.at, c.cert.notBefore)}`,
          expected: `notBefore before ${ctx.at.toISOString()}`,
          actual: `notBefore ${c.cert.notBefore.toISOString()}`,
          remediation: `${this.remediation}\n${reissueAdvice(c, ctx)}`,
        }),
      );
  },
};
