import type { CheckKind, FindingDraft } from "../types.js";

export const frontProxyCaShared: CheckKind = {
  id: "front-proxy-ca-shared",
  title: "The front-proxy CA is also the client CA",
  description: "kube-apiserver --requestheader-client-ca-file and --client-ca-file share no CA certificate.",
  citation: "Configure the aggregation layer, 'CA Reusage and Conflicts' (kubernetes.io/docs/tasks/extend-kubernetes/configure-aggregation-layer/); kubeadm creates a separate front-proxy-ca",
  explanation:
    "Extension API servers trust any certificate the requestheader CA signed to assert arbitrary user names in headers. If that CA also signs ordinary client certificates, any client certificate holder whose CN is allowed can impersonate any user towards aggregated APIs; and if --requestheader-allowed-names is empty, every client certificate can. kubeadm keeps a separate front-proxy CA for this reason.",
  remediation: "Give the front proxy its own CA (kubeadm: front-proxy-ca.crt) and point --requestheader-client-ca-file at it; issue front-proxy-client.crt from it.",
  run(ctx) {
    const bundle = (flag: string) =>
      ctx.certificates.filter((c) => c.references.some((ref) => ref.component === "kube-apiserver" && ref.flag === flag));
    const clientCAs = bundle("--client-ca-file");
    const findings: FindingDraft[] = [];
    for (const ca of bundle("--requestheader-client-ca-file")) {
      const shared = clientCAs.find((other) => other.cert.fingerprintSha256 === ca.cert.fingerprintSha256);
      if (!shared) continue;
      findings.push({
        severity: "warning",
        component: "kube-apiserver",
        path: ca.path,
        flag: "--requestheader-client-ca-file",
        role: ca.references.find((ref) => ref.flag === "--requestheader-client-ca-file")?.role ?? null,
        message: `--requestheader-client-ca-file (${ca.path}) and --client-ca-file (${shared.path}) share the CA ${ca.cert.subject.cn ?? "(no CN)"}: client certificates it signs can also act as the front proxy`,
        expected: "a CA used only for the front proxy",
        actual: `the same CA as --client-ca-file (SHA-256 ${ca.cert.fingerprintSha256.slice(0, 11)}…)`,
        remediation: this.remediation,
      });
    }
    return findings;
  },
};
