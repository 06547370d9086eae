import type { Severity } from "../../model.js";
import { aboutCertificate, reissueAdvice } from "../describe.js";
import type { CheckKind, FindingDraft } from "../types.js";

export const weakKey: CheckKind = {
  id: "weak-key",
  title: "Key is too small",
  description: "RSA keys have at least 2048 bits and ECDSA keys at least 256.",
  citation: "NIST SP 800-131A Rev. 2 (112-bit security); Go 1.24 crypto/rsa rejects keys under 1024 bits; kubeadm defaults to RSA-2048 (cmd/kubeadm/app/apis/kubeadm/v1beta4/defaults.go)",
  explanation:
    "RSA keys under 2048 bits are below today's minimum security level, and Go 1.24 and later refuse RSA keys under 1024 bits outright, so components built with it fail the handshake. kubeadm never generates smaller keys, so a small key means a hand-made or very old certificate.",
  remediation: "Re-issue the certificate with a fresh RSA-2048 (or larger) or ECDSA P-256 key.",
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const c of ctx.certificates) {
      const { keyAlgorithm, keySize } = c.cert;
      if (keySize === null) continue;
      let severity: Severity | undefined;
      let minimum = 0;
      if (keyAlgorithm === "RSA") {
        minimum = 2048;
        if (keySize < 1024) severity = "critical";
        else if (keySize < 2048) severity = "warning";
      } else if (keyAlgorithm.startsWith("ECDSA") && keySize < 256) {
        minimum = 256;
        severity = "warning";
      }
      if (!severity) continue;
      findings.push(
        aboutCertificate(c, c.roles[0], severity, {
          message: `${keyAlgorithm} key of ${keySize} bits${severity === "critical" ? "; Go 1.24+ components refuse it" : ""}`,
          expected: `${keyAlgorithm} ≥ ${minimum} bits`,
          actual: `${keyAlgorithm} ${keySize} bits`,
          remediation: reissueAdvice(c, ctx, "regenerate"),
        }),
      );
    }
    return findings;
  },
};
