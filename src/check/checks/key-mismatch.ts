import type { Material } from "../../load/material.js";
import { describeReference, renewAdvice } from "../describe.js";
import type { CheckContext, CheckKind, FindingDraft, LoadResult } from "../types.js";

const materialOf = (result: LoadResult | undefined): Material | undefined => (result && "material" in result ? result.material : undefined);

export const keyMismatch: CheckKind = {
  id: "key-mismatch",
  title: "Private key does not belong to its certificate",
  description: "Each certificate's private key (flag pair, kubeconfig pair, kubelet combined PEM) and the service-account signing keys match their public halves.",
  citation: "Go crypto/tls X509KeyPair ('tls: private key does not match public key'); kubeadm cmd/kubeadm/app/phases/certs/certs.go (validatePrivatePublicKey only checks that sa.key and sa.pub load)",
  explanation:
    "A component loads its certificate and key together and refuses to start when they do not match, typically after a certificate was renewed or copied without its key. Service-account tokens signed with a key whose public half is not in --service-account-key-file are rejected, so every pod's API calls fail. Keys are parsed only to derive their public half; nothing of them is printed.",
  remediation: "Restore the key that belongs to the certificate, or re-issue the certificate for the key on disk (kubeadm: `kubeadm certs renew <name>` writes both).",
  run(ctx) {
    return [...certificateKeyPairs(ctx, this.remediation), ...serviceAccountKeys(ctx)];
  },
};

function certificateKeyPairs(ctx: CheckContext, remediation: string): FindingDraft[] {
  const findings: FindingDraft[] = [];
  const seen = new Set<string>();
  for (const { resolved, result, keyResult } of ctx.references) {
    const cert = materialOf(result)?.certificates[0];
    const key = materialOf(keyResult)?.privateKeys[0];
    if (!cert || !key || !resolved.key) continue;
    const pair = `${resolved.location?.path}|${resolved.key.location?.path}|${cert.fingerprintSha256}`;
    if (seen.has(pair) || cert.spkiHex === key.spkiHex) continue;
    seen.add(pair);
    const keyName = resolved.key.flag ?? resolved.key.field ?? "private key";
    const role = resolved.ref.role ? ctx.role(resolved.ref.role) : undefined;
    findings.push({
      severity: "critical",
      component: resolved.ref.component,
      path: resolved.key.location?.path ?? resolved.key.namedPath,
      flag: keyName,
      role: resolved.ref.role ?? null,
      message: `${describeReference(resolved.ref)} (CN=${cert.subject.cn ?? "(none)"}) and ${keyName} do not match: the key is not the certificate's private key`,
      expected: `the private key of ${resolved.location?.path ?? resolved.namedPath}`,
      actual: `a different ${key.algorithm.toUpperCase()} key`,
      remediation: role?.renew ? `Re-issue the pair (kubeadm writes a new key and certificate):\n${renewAdvice(role, "renew", role.renew)}` : remediation,
    });
  }
  return findings;
}

/** Each service-account signing key must have its public half among --service-account-key-file. */
function serviceAccountKeys(ctx: CheckContext): FindingDraft[] {
  const publicRefs = ctx.references.filter((r) => r.resolved.ref.purpose === "sa-public-key");
  if (publicRefs.length === 0) return [];
  const accepted = new Set<string>();
  for (const { result } of publicRefs) {
    const material = materialOf(result);
    if (!material) return []; // unreadable: reported by the file checks; cannot compare
    for (const key of [...material.publicKeys, ...material.privateKeys]) accepted.add(key.spkiHex);
    for (const cert of material.certificates) accepted.add(cert.spkiHex);
  }
  const findings: FindingDraft[] = [];
  for (const { resolved, result } of ctx.references) {
    if (resolved.ref.purpose !== "sa-private-key") continue;
    const key = materialOf(result)?.privateKeys[0];
    if (!key || accepted.has(key.spkiHex)) continue;
    const publicPaths = publicRefs.map((r) => r.resolved.location?.path ?? r.resolved.namedPath).join(", ");
    findings.push({
      severity: "critical",
      component: resolved.ref.component,
      path: resolved.location?.path ?? resolved.namedPath,
      flag: resolved.ref.flag ?? null,
      role: null,
      message: `${describeReference(resolved.ref)} signs service-account tokens with a key whose public half is not in kube-apiserver --service-account-key-file (${publicPaths}); the API server rejects those tokens`,
      expected: `public key in ${publicPaths}`,
      actual: "no matching public key",
      remediation: "Make sa.pub the public half of sa.key (`openssl pkey -in sa.key -pubout -out sa.pub`) on every control-plane node, then restart kube-apiserver and kube-controller-manager.",
    });
  }
  return findings;
}
