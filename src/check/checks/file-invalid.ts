import { locatorOf } from "../describe.js";
import type { Severity } from "../../model.js";
import type { Material } from "../../load/material.js";
import type { CheckKind, FindingDraft } from "../types.js";

const WHAT_IT_MUST_HOLD: Record<string, string> = {
  certificate: "a PEM certificate",
  "ca-bundle": "one or more PEM CA certificates",
  "public-key": "a PEM public key, private key or certificate",
  "private-key": "a PEM private key",
  key: "an unencrypted PEM private key",
};

/** Does the material hold what a reference of this kind needs to work at all? */
function holdsWhatItNeeds(kind: string, material: Material): boolean {
  switch (kind) {
    case "key":
    case "private-key":
      return material.privateKeys.length > 0;
    case "public-key":
      // --service-account-key-file accepts public keys, private keys and certificates.
      return material.publicKeys.length + material.privateKeys.length + material.certificates.length > 0;
    default:
      return material.certificates.length > 0;
  }
}

export const fileInvalid: CheckKind = {
  id: "file-invalid",
  title: "File does not hold what its flag needs",
  description: "Each referenced file is PEM that decodes and holds the certificate, CA bundle or private key its flag expects (DER is decoded for the report but no component loads it).",
  citation: "client-go util/cert and util/keyutil (the PEM loaders every component uses)",
  explanation:
    "An empty or truncated file, corrupt base64, a key where a certificate belongs, an encrypted private key, a damaged private key (Go checks an RSA key's numbers on loading it) or a key on an elliptic curve Go does not support (it reads P-224, P-256, P-384 and P-521 only) makes the component fail at start-up with a PEM, x509 or crypto/rsa error. Text around PEM blocks is tolerated, as Go's pem.Decode tolerates it.",
  remediation: "Restore the file from backup or regenerate it; `openssl x509 -in FILE -noout -text` and `openssl pkey -in FILE -noout` show what it holds.",
  run(ctx) {
    const findings: FindingDraft[] = [];
    const reported = new Set<string>();
    for (const { resolved, result, keyResult } of ctx.references) {
      const { ref } = resolved;
      const parts: Array<{ result: typeof result | undefined; kind: string; flag: string | null }> = [
        { result, kind: resolved.kind, flag: locatorOf(ref) },
        { result: keyResult, kind: "key", flag: resolved.key ? locatorOf(resolved.key) : null },
      ];
      for (const part of parts) {
        if (!part.result || !("material" in part.result)) continue;
        const material = part.result.material;
        const location = part.kind === "key" ? resolved.key?.location : resolved.location;
        const path = location?.path ?? resolved.namedPath;
        const where = location?.kind === "embedded" ? `${path} ${location.field}` : path;
        // Header lines only matter where client-go parses CA bundles; TLS key pairs accept them.
        const relevant = material.problems.filter((problem) => problem.kind !== "certificate-pem-headers" || part.kind === "ca-bundle");
        const unloadable = relevant.some((problem) => problem.kind === "der-not-pem" || problem.kind === "certificate-pem-headers" || problem.kind === "unsupported-key");
        const usable = holdsWhatItNeeds(part.kind, material) && !unloadable;
        const key = `${where}|${part.kind}`;
        if (reported.has(key)) continue;
        const problems = relevant.map((problem) => problem.message);
        if (usable && problems.length === 0) continue;
        reported.add(key);
        const severity: Severity = usable ? "warning" : "critical";
        const must = WHAT_IT_MUST_HOLD[part.kind] ?? "valid PEM";
        findings.push({
          severity,
          component: ref.component,
          path,
          flag: part.flag,
          role: ref.role ?? null,
          message: usable
            ? `${where} is usable but ${problems.join("; ")}`
            : `${where} does not hold ${must}${problems.length > 0 ? `: ${problems.join("; ")}` : ""}`,
          expected: must,
          actual: problems.join("; ") || `${material.certificates.length} certificate(s), ${material.privateKeys.length} private key(s)`,
          remediation: this.remediation,
        });
      }
    }
    return findings;
  },
};
