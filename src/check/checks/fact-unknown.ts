import { expandTemplate } from "../templates.js";
import type { CheckKind, FindingDraft } from "../types.js";

const WHERE_FROM: Record<string, string> = {
  nodeName: "etcd --name or /etc/hostname",
  hostname: "/etc/hostname",
  advertiseAddress: "kube-apiserver --advertise-address",
  serviceIP: "kube-apiserver --service-cluster-ip-range",
  clusterDomain: "the kubelet config's clusterDomain",
  etcdServerHosts: "kube-apiserver --etcd-servers",
};

export const factUnknown: CheckKind = {
  id: "fact-unknown",
  title: "A node fact a rule needs could not be found",
  description: "The node facts that SAN and CN rules are written over (node name, advertise address, service IP, …) were found on the node.",
  citation: "reference: kubeadm stores no InitConfiguration on the node; facts are read from the manifests (kubeadm cmd/kubeadm/app/phases/controlplane/manifests.go)",
  explanation:
    "Rules such as 'the API server certificate must carry the advertise address' need the address. When the flag that reveals a fact is absent, those expectations cannot be checked; the report says so instead of guessing.",
  remediation: "Nothing is necessarily wrong; check by hand the expectations that name this fact, or provide the missing flag.",
  run(ctx) {
    const missing = new Map<string, Set<string>>();
    for (const c of ctx.certificates) {
      for (const role of c.roles) {
        const templates = [...(role.cn?.anyOf ?? []), ...(role.sans?.dns ?? []), ...(role.sans?.ip ?? [])];
        for (const template of templates) {
          for (const fact of expandTemplate(template, ctx.facts).unknown) {
            missing.set(fact, (missing.get(fact) ?? new Set()).add(role.id));
          }
        }
      }
    }
    const findings: FindingDraft[] = [];
    for (const [fact, roles] of missing) {
      findings.push({
        severity: "info",
        component: "node",
        path: "/",
        flag: null,
        role: null,
        message: `could not determine ${fact} (from ${WHERE_FROM[fact] ?? "the node"}); expectations of ${[...roles].join(", ")} that use it were not checked`,
        expected: `a value for ${fact}`,
        actual: "unknown",
        remediation: this.remediation,
      });
    }
    return findings;
  },
};
