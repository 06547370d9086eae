import { describeReference, locatorOf } from "../describe.js";
import type { CaGroup, CheckKind, FindingDraft } from "../types.js";


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
    for (const role of ctx.rules.roles) {
      const consensus = role.isCA ? ctx.caConsensus(role.id) : undefined;
      if (!consensus) continue;
      const { agreed } = consensus;
      const names = (g: CaGroup) => g.references.map((r) => `${describeReference(r.ref)} (${r.path})`).join(", ");
      const agreedPaths = [...new Set(agreed.references.map((r) => r.path))].join(", ");
      for (const odd of consensus.outliers) {
        const first = odd.references[0]!;
        findings.push({
          severity: "critical",
          component: first.ref.component,
          path: first.path,
          flag: locatorOf(first.ref),
          role: role.id,
          message: `${names(odd)} name${odd.references.length > 1 ? "" : "s"} a different ${role.id} CA than ${names(agreed)}; the two ends of these connections cannot agree`,
          expected: `the same ${role.id} CA as ${agreedPaths} (SHA-256 ${[...agreed.fingerprints][0]!.slice(0, 11)}…)`,
          actual: `${first.path} (SHA-256 ${[...odd.fingerprints][0]!.slice(0, 11)}…)`,
          remediation: `Point ${describeReference(first.ref)} at ${agreed.references[0]!.path} (edit ${first.ref.source}), then restart ${first.ref.component}.`,
        });
      }
    }
    return findings;
  },
};
