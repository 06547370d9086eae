import type { ProbeCheckKind, ProbeFailure, ProbeResult } from "../types.js";

function describe(failure: ProbeFailure, result: ProbeResult): string {
  const { target } = result;
  switch (failure.kind) {
    case "server-untrusted":
      return `the certificate ${target.component} serves does not verify against ${target.verify?.described} (${target.verify?.path}): ${failure.text}`;
    case "host-mismatch":
      return `the certificate ${target.component} serves does not carry the host dialled: ${failure.text}`;
    case "client-rejected":
      return `${target.component} rejected the client certificate ${target.client?.described} (${target.client?.certPath}): ${failure.text}`;
    case "handshake":
      return failure.text;
  }
}

function fix(failure: ProbeFailure, result: ProbeResult): string {
  const { target } = result;
  const restart = `restart ${target.restart}`;
  const edge = target.connection ? ` (the file audit's trust-edge-broken finding for ${target.connection.id}, if any, names the exact change)` : "";
  switch (failure.kind) {
    case "server-untrusted":
      return `Make ${target.verify?.described} (${target.verify?.path}) hold the CA that signed the certificate ${target.component} serves, or re-issue that certificate from the CA in ${target.verify?.path}${edge}. If the file on disk is right and only the served certificate is not (see probe-stale-certificate), ${restart}.`;
    case "host-mismatch":
      return `Re-issue ${target.onDisk?.path ?? "the serving certificate"} with the SAN ${target.host}${target.onDisk?.role ? ` (kube-cert-audit explain ${target.onDisk.role})` : ""}, then ${restart}; if the file already carries it, ${restart}.`;
    case "client-rejected":
      return `Make the CA bundle ${target.component} verifies clients with hold the CA that signed ${target.client?.certPath}, or re-issue that certificate from the CA ${target.component} trusts${edge}. If the files on disk already agree, ${target.component} runs with an older configuration: ${restart}.`;
    case "handshake":
      return `Check that ${target.url} is ${target.component}'s TLS port, and that both ends allow a common TLS version and cipher suite (--tls-min-version, --cipher-suites).`;
  }
}

export const probeHandshakeFailed: ProbeCheckKind = {
  id: "probe-handshake-failed",
  title: "A live TLS handshake with a component failed",
  description:
    "With --probe: a TLS handshake with each endpoint the configuration names, made the way the component's client makes it — presenting its client certificate (kube-apiserver --etcd-certfile to etcd's client port, etcd's peer pair to its peer port, kube-apiserver --kubelet-client-certificate to the kubelet), verifying the served chain against the client's CA bundle and the host dialled — completes, and the server accepts the client certificate.",
  citation: "Go crypto/tls and x509 (client and server verification); reference: trust graph of a kubeadm control plane (rules/edges.yaml)",
  explanation:
    "The file audit predicts whether the two ends of each connection trust each other from the files alone. The probe asks the running component. When both say the connection is broken, the files are wrong; when only the probe does, the component runs with something other than the files — an old CA bundle or certificate loaded before a change, a configuration edited but not applied. The TLS error text is the one the real client would log: 'bad certificate' means the server rejected the client certificate, 'unable to get local issuer certificate' means the client's CA did not sign what the server serves, 'Hostname/IP does not match' means a missing SAN. The kubelet's certificate is only verified when kube-apiserver --kubelet-certificate-authority is set, as in the API server itself.",
  remediation:
    "Make both ends use the same CA (point the verifying side's CA flag at the CA that signed the other side's certificate, or re-issue the certificate from the CA the other side trusts), add the dialled host to the serving certificate, and restart the component so it loads what is on disk.",
  evaluate(result) {
    const { target } = result;
    // A rejection of no certificate, when none is configured here to present, is expected.
    const failures = result.failures.filter((failure) => failure.kind !== "client-rejected" || result.clientPresented);
    if (failures.length === 0) return [];
    const title = target.connection?.title ?? `${target.component} ${target.endpoint}`;
    const client = target.connection?.client ?? "the client";
    return [
      {
        severity: "critical",
        component: target.component,
        path: target.addressFrom.source,
        flag: target.addressFrom.flag,
        role: null,
        message: `${title}: the TLS handshake with ${target.url} failed: ${failures.map((failure) => describe(failure, result)).join("; ")}`,
        expected: `${client} and ${target.component} complete a TLS handshake at ${target.url}, each accepting the other's certificate`,
        actual: failures.map((failure) => failure.text).join("; "),
        remediation: [...new Set(failures.map((failure) => fix(failure, result)))].join("\n"),
        ...(target.connection ? { connection: target.connection.id, citation: target.connection.citation } : {}),
      },
    ];
  },
};
