import type { CertReference } from "../../model.js";
import { describeReference, locatorOf } from "../describe.js";
import type { CheckKind, FindingDraft } from "../types.js";

interface Group {
  fingerprints: Set<string>;
  label: string;
  references: Array<{ ref: CertReference; path: string }>;
}

export const caInconsistent: CheckKind = {
  id: "ca-inconsistent",
  title: "Flags that must name the same CA name different ones",
  description: "Every reference to one CA role (e.g. etcd --trusted-ca-file, --peer-trusted-ca-file and kube-apiserver --etcd-cafile) shares at least one CA certificate.",
  citation: "kubeadm cmd/kubeadm/app/phases/controlplane/manifests.go and phases/etcd/local.go (all point at the same pki/ca.crt, etcd/ca.crt, front-proxy-ca.crt)",
  explanation:
    "On a kubeadm node every flag of a CA role names the same file. When one of them names another CA (an old CA left after a rotation, a copy from another cluster), the two ends of a connection disagree: etcd trusting an old etcd CA rejects the API server's client certificate with 'tls: bad certificate' and the API server cannot reach its storage. Bundles that share a CA (a rotation in progress) are consistent.",
  remediation: "Point the odd flag at the same CA file as the others (kubeadm: /etc/kubernetes/pki/ca.crt, etcd/ca.crt or front-proxy-ca.crt), then restart that component.",
  run(ctx) {
    const findings: FindingDraft[] = [];
    const byRole = new Map<string, Group[]>();
    for (const { resolved, result } of ctx.references) {
      const role = resolved.ref.role ? ctx.role(resolved.ref.role) : undefined;
      if (!role?.isCA || !resolved.location || !("material" in result) || result.material.certificates.length === 0) continue;
      // A certificate reference to a CA role (the signing cert) stands for its first certificate only.
      const certs = resolved.kind === "ca-bundle" ? result.material.certificates : result.material.certificates.slice(0, 1);
      const fingerprints = new Set(certs.map((cert) => cert.fingerprintSha256));
      const groups = byRole.get(role.id) ?? [];
      const label = [...fingerprints].sort().join(",");
      let group = groups.find((g) => g.label === label);
      if (!group) {
        group = { fingerprints, label, references: [] };
        groups.push(group);
      }
      group.references.push({ ref: resolved.ref, path: resolved.location.path });
      byRole.set(role.id, groups);
    }
    for (const [roleId, groups] of byRole) {
      if (groups.length < 2) continue;
      // The largest group is taken as the CA the node agrees on; each group sharing no CA with it is odd.
      const sorted = [...groups].sort((a, b) => b.references.length - a.references.length);
      const majority = sorted[0]!;
      for (const odd of sorted.slice(1)) {
        if ([...odd.fingerprints].some((fp) => majority.fingerprints.has(fp))) continue;
        const first = odd.references[0]!;
        const names = (g: Group) => g.references.map((r) => `${describeReference(r.ref)} (${r.path})`).join(", ");
        findings.push({
          severity: "critical",
          component: first.ref.component,
          path: first.path,
          flag: locatorOf(first.ref),
          role: roleId,
          message: `${names(odd)} name${odd.references.length > 1 ? "" : "s"} a different ${roleId} CA than ${names(majority)}; the two ends of these connections cannot agree`,
          expected: `the same ${roleId} CA as ${majority.references.map((r) => r.path).filter((p, i, a) => a.indexOf(p) === i).join(", ")} (SHA-256 ${[...majority.fingerprints][0]!.slice(0, 11)}…)`,
          actual: `${first.path} (SHA-256 ${[...odd.fingerprints][0]!.slice(0, 11)}…)`,
          remediation: `Point ${describeReference(first.ref)} at ${majority.references[0]!.path} (edit ${first.ref.source}), then restart ${first.ref.component}.`,
        });
      }
    }
    return findings;
  },
};
