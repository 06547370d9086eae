import { discoveryFindings } from "../describe.js";
import type { CheckKind } from "../types.js";

export const configInvalid: CheckKind = {
  id: "config-invalid",
  title: "Manifest, kubeconfig or kubelet config cannot be parsed",
  description: "Static pod manifests, kubeconfigs and the kubelet configuration parse as the YAML objects their consumers expect.",
  citation: "Kubernetes static pods (kubelet staticPodPath); client-go tools/clientcmd (kubeconfig format); KubeletConfiguration (kubelet.config.k8s.io)",
  explanation:
    "A manifest the kubelet cannot parse means that control-plane component is not running at all; a broken kubeconfig stops its user from authenticating. The auditor cannot follow the certificates such a file names, so their checks are missing from this report.",
  remediation: "Fix the YAML (e.g. `python3 -c 'import yaml,sys; yaml.safe_load(open(sys.argv[1]))' FILE` shows the error position), or restore the file from backup.",
  run(ctx) {
    return discoveryFindings(ctx, "config-invalid", { expected: "valid YAML of the expected kind", actual: "unparsable", remediation: this.remediation });
  },
};
