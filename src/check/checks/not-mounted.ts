import { discoveryFindings, locatorOf } from "../describe.js";
import type { CheckKind, FindingDraft } from "../types.js";

export const notMounted: CheckKind = {
  id: "not-mounted",
  title: "File is not visible inside the static pod",
  description: "Every path a static pod's flag names lies inside one of its container's hostPath volume mounts.",
  citation: "Kubernetes Pod spec: volumes.hostPath and containers.volumeMounts; kubeadm cmd/kubeadm/app/phases/controlplane/volumes.go",
  explanation:
    "Static pod flags name paths inside the container. A path that no volumeMount covers does not exist for the component even when the file is on the node, so the component fails to start.",
  remediation: "Move the file under a mounted directory (kubeadm mounts /etc/kubernetes/pki), or add a hostPath volume and volumeMount for its directory to the manifest.",
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const { resolved, result, keyResult } of ctx.references) {
      const { ref } = resolved;
      const cases: Array<[boolean, string, string | null]> = [
        ["notMounted" in result, resolved.namedPath, locatorOf(ref)],
        [keyResult !== undefined && "notMounted" in keyResult, resolved.key?.namedPath ?? "", resolved.key ? locatorOf(resolved.key) : null],
      ];
      for (const [unmounted, path, flag] of cases) {
        if (!unmounted) continue;
        findings.push({
          severity: "critical",
          component: ref.component,
          path,
          flag,
          role: ref.role ?? null,
          message: `${ref.component} ${flag}=${path}, but no volumeMount of ${ref.source} covers ${path}`,
          expected: "the path inside a hostPath volume mount",
          actual: "not mounted",
          remediation: this.remediation,
        });
      }
    }
    findings.push(...discoveryFindings(ctx, "not-mounted", { expected: "the path inside a hostPath volume mount", actual: "not mounted", remediation: this.remediation }));
    return findings;
  },
};
