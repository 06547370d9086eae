import type { CertificatePurpose } from "../../model.js";
import { aboutCertificate, describeReference } from "../describe.js";

/** Purposes for which a component uses a certificate as a CA. */
const CA_PURPOSES: ReadonlySet<CertificatePurpose> = new Set(["verify-clients", "verify-server", "verify-peers", "root-ca", "signing"]);
import type { AuditedCertificate, CheckKind, FindingDraft } from "../types.js";

/** Why a certificate cannot act as a CA (empty when it can). */
function notACA(c: AuditedCertificate): string[] {
  const problems: string[] = [];
  if (c.cert.basicConstraints?.ca !== true) problems.push(c.cert.basicConstraints ? "basicConstraints CA:FALSE" : "no basicConstraints extension");
  if (c.cert.keyUsage !== null && !c.cert.keyUsage.includes("keyCertSign")) problems.push("key usage without keyCertSign");
  return problems;
}

export const caNotCa: CheckKind = {
  id: "ca-not-ca",
  title: "A certificate trusted as a CA is not a CA",
  description: "Certificates in CA bundle files and CA roles have basicConstraints CA:TRUE and, when key usage is present, keyCertSign.",
  citation: "RFC 5280 §4.2.1.9 and §4.2.1.3; Go crypto/x509 (a parent without CA:TRUE cannot sign: 'x509: … not authorized to sign other certificates')",
  explanation:
    "Go verifies a chain only through certificates that are CAs with keyCertSign. A leaf certificate placed in a --client-ca-file or --trusted-ca-file instead of the CA (a common copy-paste mistake) can never verify anything, so every peer is rejected: critical. A leaf appended to a bundle that also holds the real CA is inert — client-go loads it, Go never uses it as a parent — so it is a warning to clean up.",
  remediation: "Point the flag at the real CA certificate (kubeadm: /etc/kubernetes/pki/ca.crt, etcd/ca.crt or front-proxy-ca.crt).",
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const c of ctx.certificates) {
      if (!c.trustedAsCA) continue;
      const problems = notACA(c);
      if (problems.length === 0) continue;
      const trustedBy = c.references.find((ref) => CA_PURPOSES.has(ref.purpose)) ?? c.references[0]!;
      // Go skips a non-CA parent while building chains, so beside a real CA in the same bundle the
      // leaf is inert (client-go loads every block); alone, nothing verifies.
      const realCA = c.siblings.some((sibling) => notACA(sibling).length === 0);
      const block = c.index > 0 ? ` #${c.index + 1}` : "";
      findings.push(
        aboutCertificate(
          c,
          c.roles.find((role) => role.id === trustedBy.role),
          realCA ? "warning" : "critical",
          {
            message: `${describeReference(trustedBy)} trusts ${c.path}${block} as a CA, but it is not one (${problems.join(", ")})${realCA ? "; the bundle's real CA still works, this block can vouch for nothing" : "; nothing presented to this flag can verify"}`,
            expected: "CA:TRUE with keyCertSign",
            actual: problems.join(", "),
            remediation: realCA ? `Remove block${block} (CN=${c.cert.subject.cn ?? "?"}) from ${c.path}: it is not a CA.` : this.remediation,
          },
          trustedBy,
        ),
      );
    }
    return findings;
  },
};
