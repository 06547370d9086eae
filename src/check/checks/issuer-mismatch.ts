import { signedBy } from "../../load/certificate.js";
import { aboutCertificate, describeCA, describeName, reissueAdvice } from "../describe.js";
import type { AuditedCertificate, CheckContext, CheckKind, FindingDraft } from "../types.js";

export const issuerMismatch: CheckKind = {
  id: "issuer-mismatch",
  title: "Certificate is not signed by the CA its role requires",
  description: "A CA certificate of the issuing role issued it: the CA's subject is its issuer name and the CA's key verifies its signature.",
  citation: "kubeadm cmd/kubeadm/app/phases/certs/certlist.go (CAName of each certificate); Go crypto/x509 CertPool.findPotentialParents (by RawIssuer) and Certificate.CheckSignatureFrom",
  explanation:
    "The component at the other end of the connection verifies this certificate against the CA it trusts for this purpose: etcd trusts the etcd CA, the API server's clients the cluster CA, extension API servers the front-proxy CA. A certificate signed by another CA is rejected with 'x509: certificate signed by unknown authority' or 'tls: bad certificate'. A name alone proves nothing — different clusters' CAs all share CN=kubernetes — so the signature decides; and as Go looks a certificate's issuer up by name before it checks the signature, a CA with the right key under another subject does not count either.",
  remediation: "Re-issue the certificate from the right CA (kubeadm: move the wrong certificate and key away and run `kubeadm init phase certs <name>`).",
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const c of ctx.certificates) {
      for (const role of c.roles) {
        if (!role.issuer || role.issuer === "self") {
          if (role.issuer === "self" && isSelfIssued(c) && !c.cert.selfSigned) findings.push(badSelfSignature(c, ctx));
          continue;
        }
        if (role.issuer === "bundled") {
          if (c.cert.selfSigned || c.siblings.some((s) => signedBy(c.cert, s.cert)) || ctx.issuersOf(c).length > 0) continue;
          findings.push(
            aboutCertificate(c, role, "warning", {
              message: `${role.id}: no certificate in the same file or any loaded CA verifies it (issuer ${describeName(c.cert.issuer)})`,
              expected: "signed by a CA bundled in the same file, or by a known CA",
              actual: `issuer ${describeName(c.cert.issuer)}`,
              remediation: reissueAdvice(c, ctx),
            }),
          );
          continue;
        }
        const cas = ctx.caCertificates(role.issuer);
        if (cas.length === 0) continue; // nothing to verify against: the CA's own absence is reported where it is referenced
        if (cas.some((ca) => signedBy(c.cert, ca.cert))) continue;
        const actualSigner = ctx.issuersOf(c)[0];
        findings.push(
          aboutCertificate(c, role, "critical", {
            message:
              `${role.id}: not signed by the ${role.issuer} CA (${cas.map(describeCA).join("; ")})` +
              (actualSigner ? `; it is signed by ${describeCA(actualSigner)}` : `; its issuer field says ${describeName(c.cert.issuer)} but no loaded CA verifies it`),
            expected: `signed by ${role.issuer}: ${describeName(cas[0]!.cert.subject)}`,
            actual: actualSigner ? `signed by ${describeName(actualSigner.cert.subject)} (${actualSigner.path})` : `issuer ${describeName(c.cert.issuer)} (unverified)`,
            remediation: reissueAdvice(c, ctx, "regenerate"),
          }),
        );
      }
    }
    return findings;
  },
};

function isSelfIssued(c: AuditedCertificate): boolean {
  return c.cert.subjectDer === c.cert.issuerDer;
}

function badSelfSignature(c: AuditedCertificate, ctx: CheckContext): FindingDraft {
  return aboutCertificate(c, c.roles[0], "critical", {
    message: "the self-signed CA certificate's signature does not verify with its own key (corrupt or tampered)",
    expected: "a valid self-signature",
    actual: "signature does not verify",
    remediation: reissueAdvice(c, ctx),
  });
}
