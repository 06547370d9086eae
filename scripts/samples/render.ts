/**
 * Renders a {@link NodeSpec} into file contents: PEM files, keys, kubeconfigs, static pod
 * manifests and plain text, laid out and formatted the way kubeadm v1.31 writes them.
 */
// js-yaml 5's emitter writes "--flag=value" items plain, as kubeadm (sigs.k8s.io/yaml) does; js-yaml 4,
// which the CLI reads with because its loader is three to four times faster, quotes every scalar
// that starts with "-". Only the generator uses 5.
import { dump } from "js-yaml-5";
import { issueAll, type KeySource, pem, privateKeyPem, publicKeyPem } from "./pki.js";
import type { KubeconfigSpec, NodeSpec, StaticPodSpec, TreeFile, HttpProbe } from "./spec.js";

/** A rendered tree entry: file bytes with a mode, or a symbolic link. */
export type RenderedEntry =
  | { kind: "file"; content: Buffer; mode: number }
  | { kind: "symlink"; target: string };

/** Object with keys sorted recursively; arrays keep their order (Go's YAML sorts map keys). */
function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeysDeep(v)]));
  }
  return value;
}

/** YAML as sigs.k8s.io/yaml writes it: sorted keys, unindented sequences, no folding. */
export function k8sYaml(value: unknown): string {
  return dump(sortKeysDeep(value), { seqNoIndent: true, lineWidth: -1, quoteStyle: "double" });
}

function httpProbe(p: HttpProbe): Record<string, unknown> {
  return {
    failureThreshold: p.failureThreshold,
    httpGet: { host: p.host, path: p.path, port: p.port, scheme: p.scheme },
    ...(p.initialDelaySeconds === undefined ? {} : { initialDelaySeconds: p.initialDelaySeconds }),
    periodSeconds: p.periodSeconds,
    timeoutSeconds: p.timeoutSeconds,
  };
}

/** The static pod manifest kubeadm writes for `pod` (staticpod.ComponentPod). */
export function staticPodManifest(pod: StaticPodSpec): string {
  const flags = Object.keys(pod.flags).sort().map((flag) => `--${flag}=${pod.flags[flag]}`);
  const metadata: Record<string, unknown> = {
    creationTimestamp: null,
    labels: { component: pod.name, tier: "control-plane" },
    name: pod.name,
    namespace: "kube-system",
  };
  if (Object.keys(pod.annotations).length > 0) metadata["annotations"] = pod.annotations;
  const container: Record<string, unknown> = {
    command: [pod.name, ...flags],
    image: pod.image,
    imagePullPolicy: "IfNotPresent",
    name: pod.name,
    resources: { requests: pod.requests },
    volumeMounts: pod.volumes.map((v) => ({ mountPath: v.mountPath, name: v.name, ...(v.readOnly ? { readOnly: true } : {}) })),
  };
  if (pod.livenessProbe) container["livenessProbe"] = httpProbe(pod.livenessProbe);
  if (pod.readinessProbe) container["readinessProbe"] = httpProbe(pod.readinessProbe);
  if (pod.startupProbe) container["startupProbe"] = httpProbe(pod.startupProbe);
  const volumes = [...pod.volumes]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((v) => ({ hostPath: { path: v.hostPath, type: v.type }, name: v.name }));
  return k8sYaml({
    apiVersion: "v1",
    kind: "Pod",
    metadata,
    spec: {
      containers: [container],
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: "system-node-critical",
      securityContext: { seccompProfile: { type: "RuntimeDefault" } },
      volumes,
    },
    status: {},
  });
}

/** Everything a tree needs from the PKI: certificate PEMs and private keys. */
interface Material {
  certPem(id: string): string;
  keys: KeySource;
  spec: NodeSpec;
}

function base64(text: string): string {
  return Buffer.from(text).toString("base64");
}

/** A kubeconfig as clientcmd.Write emits it (context `<user>@<cluster>`). */
function kubeconfig(k: KubeconfigSpec, m: Material): string {
  const context = `${k.userName}@${k.clusterName}`;
  let user: Record<string, string>;
  if (k.credentials.kind === "embedded") {
    const cert = m.spec.certs[k.credentials.cert];
    if (!cert) throw new Error(`kubeconfig user ${k.userName}: no certificate ${k.credentials.cert}`);
    user = {
      "client-certificate-data": base64(m.certPem(k.credentials.cert)),
      "client-key-data": base64(privateKeyPem(m.keys.get(cert.keyId, cert.keyAlgorithm))),
    };
  } else {
    user = { "client-certificate": k.credentials.clientCertificate, "client-key": k.credentials.clientKey };
  }
  return k8sYaml({
    apiVersion: "v1",
    clusters: [{ cluster: { "certificate-authority-data": base64(m.certPem(k.caCert)), server: k.server }, name: k.clusterName }],
    contexts: [{ context: { cluster: k.clusterName, user: k.userName }, name: context }],
    "current-context": context,
    kind: "Config",
    preferences: {},
    users: [{ name: k.userName, user }],
  });
}

const PUBLIC = 0o644;
const SECRET = 0o600;

function renderFile(file: TreeFile, m: Material): RenderedEntry {
  // The mode kubeadm gives the kind of file, unless the spec says otherwise.
  const text = (content: string, mode = PUBLIC): RenderedEntry => ({
    kind: "file", content: Buffer.from(content), mode: (file.kind !== "symlink" ? file.mode : undefined) ?? mode,
  });
  switch (file.kind) {
    case "pem": {
      const certs = file.certs.map((id) => m.certPem(id)).join("");
      if (!file.key) return text(certs);
      return text(certs + privateKeyPem(m.keys.get(file.key.keyId, file.key.keyAlgorithm)), SECRET);
    }
    case "private-key":
      return text(privateKeyPem(m.keys.get(file.keyId, file.keyAlgorithm)), SECRET);
    case "public-key":
      return text(publicKeyPem(m.keys.get(file.keyId, file.keyAlgorithm)));
    case "kubeconfig":
      return text(kubeconfig(file.kubeconfig, m), SECRET);
    case "static-pod":
      return text(staticPodManifest(file.pod), SECRET);
    case "yaml":
      return text(k8sYaml(file.value));
    case "text":
      return text(file.text);
    case "symlink":
      return { kind: "symlink", target: file.target };
  }
}

/**
 * Renders every file of a node spec; entries keyed by relative path, sorted. Certificates in
 * `preissued` are used as they are (see {@link issueAll}).
 */
export async function renderTree(
  spec: NodeSpec,
  keys: KeySource,
  preissued?: ReadonlyMap<string, Uint8Array>,
): Promise<Map<string, RenderedEntry>> {
  const der = await issueAll(spec.certs, keys, preissued);
  const material: Material = {
    spec,
    keys,
    certPem: (id) => {
      const cert = der.get(id);
      if (!cert) throw new Error(`no certificate ${id}`);
      return pem("CERTIFICATE", cert);
    },
  };
  const out = new Map<string, RenderedEntry>();
  for (const file of [...spec.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (file.path.startsWith("/") || file.path.split("/").includes("..")) throw new Error(`file path must be relative: ${file.path}`);
    if (out.has(file.path)) throw new Error(`duplicate file ${file.path}`);
    out.set(file.path, renderFile(file, material));
  }
  return out;
}
