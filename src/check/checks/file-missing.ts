import type { CheckKind } from "../types.js";
import { fileProblemFindings } from "./file-problems.js";

export const fileMissing: CheckKind = {
  id: "file-missing",
  title: "Referenced file does not exist",
  description: "Every certificate, key, CA and kubeconfig file a component names exists on the node.",
  citation: "kubeadm cmd/kubeadm/app/phases/controlplane/manifests.go (the flags kubeadm sets); component reference pages on kubernetes.io",
  explanation:
    "A component whose --*-file flag names a file that does not exist refuses to start (the API server exits with 'open …: no such file or directory'). Symlinks are followed inside the audited root, the way the node would follow them.",
  remediation: "Restore the file from backup, or regenerate it (kubeadm: `kubeadm init phase certs <name>` or `kubeadm init phase kubeconfig <name>`), then restart the component.",
  run(ctx) {
    return fileProblemFindings(ctx, ["missing"], this.remediation);
  },
};
