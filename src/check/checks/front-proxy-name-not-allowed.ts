import { flagValue } from "../../discover/flags.js";
import { aboutCertificate } from "../describe.js";
import type { CheckKind, FindingDraft } from "../types.js";

export const frontProxyNameNotAllowed: CheckKind = {
  id: "front-proxy-name-not-allowed",
  title: "The front-proxy client's CN is not in --requestheader-allowed-names",
  description: "The CN of kube-apiserver --proxy-client-cert-file is one of --requestheader-allowed-names (when that list is set).",
  citation: "kube-apiserver --requestheader-allowed-names; Configure the aggregation layer (kubernetes.io/docs/tasks/extend-kubernetes/configure-aggregation-layer/); kubeadm sets it to front-proxy-client",
  explanation:
    "Extension API servers (metrics-server and every aggregated API) accept the user headers the aggregator forwards only from a client certificate whose CN is in --requestheader-allowed-names, published to them through the extension-apiserver-authentication ConfigMap. Any other CN and every aggregated request is rejected: kubectl top and the HPA stop working.",
  remediation: "Re-issue the front-proxy client certificate with a CN from the list (kubeadm: front-proxy-client), or add its CN to --requestheader-allowed-names.",
  run(ctx) {
    const flags = ctx.endpoints.flags["kube-apiserver"];
    const allowed = flags && flagValue(flags, "--requestheader-allowed-names");
    // An empty or absent list accepts any CN signed by the requestheader CA.
    if (!allowed) return [];
    const names = allowed.split(",").map((name) => name.trim()).filter(Boolean);
    const findings: FindingDraft[] = [];
    for (const c of ctx.certificates) {
      const ref = c.references.find((r) => r.component === "kube-apiserver" && r.flag === "--proxy-client-cert-file");
      if (!ref || c.index !== 0 || (c.cert.subject.cn !== null && names.includes(c.cert.subject.cn))) continue;
      findings.push(
        aboutCertificate(
          c,
          c.roles[0],
          "critical",
          {
            message: `the front-proxy client certificate's CN '${c.cert.subject.cn ?? "(none)"}' is not in --requestheader-allowed-names (${names.join(", ")}); extension API servers reject every proxied request`,
            expected: `CN in ${names.join(", ")}`,
            actual: c.cert.subject.cn ?? "(no CN)",
            remediation: this.remediation,
          },
          ref,
        ),
      );
    }
    return findings;
  },
};
