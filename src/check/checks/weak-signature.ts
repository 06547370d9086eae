import { aboutCertificate, reissueAdvice } from "../describe.js";
import type { CheckKind, FindingDraft } from "../types.js";

const WEAK = /md2|md5|sha1|SHA1/i;

export const weakSignature: CheckKind = {
  id: "weak-signature",
  title: "Signed with a broken hash (MD5 or SHA-1)",
  description: "Certificates are signed with SHA-256 or stronger.",
  citation: "Go 1.18 release notes (crypto/x509 rejects SHA-1 signed certificates); RFC 6151 (MD5)",
  explanation:
    "Go 1.18 and later reject certificates signed with SHA-1 (and always rejected MD5), so a current API server, etcd or kubelet fails the handshake with such a certificate. A self-signed root's own signature is never verified, so on a root it is only a note.",
  remediation: "Re-issue the certificate with a SHA-256 signature (openssl: -sha256; kubeadm always uses SHA-256).",
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const c of ctx.certificates) {
      if (!WEAK.test(c.cert.signatureAlgorithm)) continue;
      const selfSigned = c.cert.selfSigned;
      findings.push(
        aboutCertificate(c, c.roles[0], selfSigned ? "info" : "critical", {
          message: `signed with ${c.cert.signatureAlgorithm}${selfSigned ? " (a self-signed root; its own signature is not checked)" : "; Go 1.18+ peers reject it"}`,
          expected: "sha256WithRSAEncryption, ecdsa-with-SHA256 or stronger",
          actual: c.cert.signatureAlgorithm,
          remediation: reissueAdvice(c, ctx, "regenerate"),
        }),
      );
    }
    return findings;
  },
};
