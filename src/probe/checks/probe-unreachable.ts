import type { ProbeCheckKind } from "../types.js";

export const probeUnreachable: ProbeCheckKind = {
  id: "probe-unreachable",
  title: "A serving endpoint the configuration names did not answer the probe",
  description:
    "With --probe: each endpoint the configuration names (kube-apiserver on its advertise address and 127.0.0.1 at --secure-port, etcd's https --listen-client-urls and --listen-peer-urls, the kubelet's port) accepted a TCP connection and answered a TLS handshake within --probe-timeout.",
  citation: "kube-apiserver --advertise-address/--secure-port; etcd --listen-client-urls/--listen-peer-urls; KubeletConfiguration port (default 10250)",
  explanation:
    "The live probe compares what each component serves right now with the files the audit read. An endpoint that refuses the connection, is unreachable or never answers cannot be compared: the file audit stands on its own. This is information, never a failure: the component may be stopped on purpose, the audit may run on a snapshot of another machine (--root), or a firewall may sit in between. A component that should be running and is not is worth a look — but its logs, not its certificates, will say why.",
  remediation:
    "Nothing to fix when the component is not meant to run here (a snapshot audited with --root, a stopped node). Otherwise check that it runs (crictl ps, systemctl status) and listens on that address, and run the probe on the node itself; raise --probe-timeout on a slow or busy node.",
  evaluate(result) {
    if (!result.unreachable) return [];
    const { target } = result;
    return [
      {
        severity: "info",
        component: target.component,
        path: target.addressFrom.source,
        flag: target.addressFrom.flag,
        role: null,
        message: `${target.component} ${target.endpoint} ${target.url} did not answer: ${result.unreachable}; what it serves was not compared with the files`,
        expected: `a TLS server at ${target.url}`,
        actual: result.unreachable,
        remediation: `If ${target.component} should be running here, check it (crictl ps, systemctl status) and that it listens on ${target.url}; otherwise nothing to do: the file audit stands.`,
      },
    ];
  },
};
