/**
 * Declarative description of the sample control-plane nodes in `sample-clusters/`.
 *
 * A sample is a {@link NodeSpec}: the node's facts, every certificate (by id), and every file
 * of the node's tree. `kubeadm-healthy` is what kubeadm v1.31 leaves on an init node with stacked
 * etcd; `kubeadm-broken` is the same node plus a list of named {@link Fault}s, each a list of
 * {@link Override}s of the healthy spec. Nothing here reads the clock or a random source: every
 * date, serial number and key id is written below (or derived from a date written below).
 *
 * Sources (kubernetes/kubernetes, cmd/kubeadm/app/): certificates from phases/certs/certlist.go and
 * util/pkiutil/pki_helpers.go, kubeconfigs from phases/kubeconfig/kubeconfig.go and
 * cmd/phases/init/kubeletfinalize.go, manifests from phases/controlplane/manifests.go and
 * phases/etcd/local.go (v1.31 output); the kubelet PKI from client-go's certificate store and
 * cert.GenerateSelfSignedCertKey.
 */
import { hardway2021Sample, hardway2024Sample } from "./hardway.js";

/** Key algorithms the samples use (kubeadm's `encryptionAlgorithm` values). */
export type KeyAlgorithm = "RSA-2048" | "ECDSA-P256";
/** X.509 key usage bits kubeadm sets (and cRLSign, which cfssl and openssl CAs of hand-built clusters set). */
export type KeyUsage = "digitalSignature" | "keyEncipherment" | "keyCertSign" | "cRLSign";
/** X.509 extended key usages kubeadm sets. */
export type ExtKeyUsage = "serverAuth" | "clientAuth";

/** One certificate. Its id is its key in {@link NodeSpec.certs}. */
export interface CertSpec {
  /** Subject CN. */
  cn: string;
  /** Subject O values, in order (one multi-valued RDN, as Go writes them). */
  o: string[];
  /** Id of the issuing certificate in the same spec, or `"self"` for a self-signed certificate. */
  issuer: string;
  /** Key store id: the key is `scripts/samples/keys/<keyId>.pem` (PKCS#8). */
  keyId: string;
  keyAlgorithm: KeyAlgorithm;
  /** Serial number, hexadecimal, positive, non-zero. */
  serial: string;
  /** ISO 8601 UTC, whole seconds. */
  notBefore: string;
  /** ISO 8601 UTC, whole seconds. */
  notAfter: string;
  /** basicConstraints CA:TRUE (and a subjectKeyIdentifier, as Go adds one to CAs only). */
  isCA: boolean;
  keyUsage: KeyUsage[];
  extKeyUsage: ExtKeyUsage[];
  /** SANs in the order kubeadm writes them (DNS sorted, IPs in kubeadm's order). */
  sans: { dns: string[]; ip: string[] };
}

/** A hostPath volume of a static pod and its mount (same order as kubeadm lists the mounts). */
export interface HostPathVolume {
  name: string;
  hostPath: string;
  type: "DirectoryOrCreate" | "FileOrCreate" | "File";
  mountPath: string;
  readOnly: boolean;
}

/** An HTTP probe as kubeadm writes it. */
export interface HttpProbe {
  host: string;
  path: string;
  port: number;
  scheme: "HTTP" | "HTTPS";
  failureThreshold: number;
  initialDelaySeconds?: number;
  periodSeconds: number;
  timeoutSeconds: number;
}

/** A control-plane static pod manifest (`etc/kubernetes/manifests/<name>.yaml`). */
export interface StaticPodSpec {
  /** Pod, container and `component` label name, and the binary run as `command[0]`. */
  name: string;
  image: string;
  /** `--name=value` flags; written sorted by name, as kubeadm's ArgumentsToCommand does. */
  flags: Record<string, string>;
  annotations: Record<string, string>;
  requests: { cpu: string; memory?: string };
  livenessProbe?: HttpProbe;
  readinessProbe?: HttpProbe;
  startupProbe?: HttpProbe;
  volumes: HostPathVolume[];
}

/** Client credentials of a kubeconfig user: embedded `*-data`, or file paths. */
export type KubeconfigCredentials =
  | { kind: "embedded"; cert: string }
  | { kind: "files"; clientCertificate: string; clientKey: string };

/** A kubeconfig as kubeadm writes it (one cluster, one user, one context). */
export interface KubeconfigSpec {
  clusterName: string;
  server: string;
  /** Certificate id embedded as `certificate-authority-data`. */
  caCert: string;
  userName: string;
  credentials: KubeconfigCredentials;
}

/**
 * File mode, when it is not what kubeadm and the kubelet give that kind of file (0600 for private
 * keys, PEMs holding a key, kubeconfigs and static pod manifests; 0644 for everything else).
 */
export interface WithMode {
  mode?: number;
}

/** One entry of the node's file tree. Paths are relative to the sample root, without a leading slash. */
export type TreeFile =
  /** PEM certificates in order, optionally followed by a private key (kubelet-client-*.pem). */
  | ({ kind: "pem"; path: string; certs: string[]; key?: { keyId: string; keyAlgorithm: KeyAlgorithm } } & WithMode)
  /** Private key, written as kubeadm writes it: PKCS#1 for RSA, SEC1 for EC. */
  | ({ kind: "private-key"; path: string; keyId: string; keyAlgorithm: KeyAlgorithm } & WithMode)
  /** PKIX public key (sa.pub). */
  | ({ kind: "public-key"; path: string; keyId: string; keyAlgorithm: KeyAlgorithm } & WithMode)
  | ({ kind: "kubeconfig"; path: string; kubeconfig: KubeconfigSpec } & WithMode)
  | ({ kind: "static-pod"; path: string; pod: StaticPodSpec } & WithMode)
  /** Any YAML document (KubeletConfiguration); keys are written sorted, as Go's YAML does. */
  | ({ kind: "yaml"; path: string; value: Record<string, unknown> } & WithMode)
  | ({ kind: "text"; path: string; text: string } & WithMode)
  /** Symbolic link; `target` is written verbatim (absolute targets stay absolute). */
  | { kind: "symlink"; path: string; target: string };

/** Facts about the node that certificates and manifests derive from. */
export interface NodeFacts {
  hostname: string;
  nodeName: string;
  advertiseAddress: string;
  bindPort: number;
  serviceSubnet: string;
  /** First address of serviceSubnet: the `kubernetes` service VIP. */
  serviceIP: string;
  /** Tenth address of serviceSubnet: kubeadm's cluster DNS default. */
  clusterDNS: string;
  clusterDomain: string;
  clusterName: string;
  etcdServers: string[];
  kubernetesVersion: string;
  etcdImage: string;
  pauseImage: string;
  criSocket: string;
  /** The instant kubeadm init ran: every certificate's issuance time. */
  issuedAt: string;
  /** How the certificates were issued, for the README, when not by kubeadm (hand-built samples). */
  issuance?: string;
}

/** A complete sample node. */
export interface NodeSpec {
  facts: NodeFacts;
  certs: Record<string, CertSpec>;
  files: TreeFile[];
}

/** One declarative change to a spec. Every override names an existing target, or fails. */
export type Override =
  /** Change fields of an existing certificate. */
  | { kind: "set-cert"; cert: string; set: Partial<CertSpec> }
  /** Add a certificate. */
  | { kind: "add-cert"; cert: string; spec: CertSpec }
  /** Add a file to the tree. */
  | { kind: "add-file"; file: TreeFile }
  /** Remove an IP SAN from an existing certificate. */
  | { kind: "drop-ip-san"; cert: string; ip: string }
  /** Make an existing private-key or public-key file hold (the public half of) another key. */
  | { kind: "set-key"; path: string; keyId: string }
  /** Change the value of an existing flag of a static pod. */
  | { kind: "set-flag"; pod: string; flag: string; value: string }
  /** Add a flag a static pod does not have yet. */
  | { kind: "add-flag"; pod: string; flag: string; value: string }
  /** Add a hostPath volume and its mount to a static pod (kubeadm's `extraVolumes`). */
  | { kind: "add-volume"; pod: string; volume: HostPathVolume }
  /** Change fields of an existing kubeconfig. */
  | { kind: "set-kubeconfig"; path: string; set: Partial<KubeconfigSpec> }
  /** Set a value in an existing YAML file; `key` is a dotted path whose parents exist. */
  | { kind: "set-yaml"; path: string; key: string; value: unknown }
  /** Remove an existing value from a YAML file; `key` is a dotted path. */
  | { kind: "delete-yaml"; path: string; key: string }
  /** Give an existing file a mode other than the one its kind gets. */
  | { kind: "set-mode"; path: string; mode: number }
  /** Make an existing PEM file hold other certificates (a re-issued copy of one, say). */
  | { kind: "set-pem"; path: string; certs: string[] }
  /** Remove an existing file from the tree. */
  | { kind: "remove-file"; path: string }
  /** Replace the one occurrence of `find` in an existing text file (a unit's flag line, say) with `replace`. */
  | { kind: "edit-text"; path: string; find: string; replace: string };

/** A named fault: what it breaks, and the overrides that produce it. */
export interface Fault {
  name: string;
  breaks: string;
  overrides: Override[];
}

// ---------------------------------------------------------------------------------------------
// Dates

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** ISO 8601 UTC with whole seconds, as the spec writes dates. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}

/** Validity of a certificate kubeadm v1.31+ issues at `issuedAt`: backdated 5 minutes (constants.CertificateBackdate). */
export function kubeadmValidity(issuedAt: string, days: number): { notBefore: string; notAfter: string } {
  const t = Date.parse(issuedAt);
  return { notBefore: iso(t - 5 * MINUTE_MS), notAfter: iso(t + days * DAY_MS) };
}

/** Validity of client-go's self-signed kubelet serving pair: valid from an hour earlier, for a year. */
function clientGoSelfSignedValidity(createdAt: string): { notBefore: string; notAfter: string } {
  const from = Date.parse(createdAt) - HOUR_MS;
  return { notBefore: iso(from), notAfter: iso(from + 365 * DAY_MS) };
}

/** Unix seconds, as kubelet puts them in its self-signed CNs (`<host>@<unix>`). */
function unixSeconds(at: string): number {
  return Date.parse(at) / 1000;
}

/** client-go's certificate store timestamp (`kubelet-client-<YYYY-MM-DD-HH-MM-SS>.pem`), UTC. */
function certStoreTimestamp(at: string): string {
  return iso(Date.parse(at)).slice(0, 19).replace(/[T:]/g, "-");
}

/** The reference instant every healthy certificate is issued at. */
export const ISSUED_AT = "2026-01-15T10:00:00Z";
/** kubeadm's default leaf validity (`CertificateValidityPeriod`). */
export const LEAF_DAYS = 365;
/** kubeadm's default CA validity (`CACertificateValidityPeriod`). */
export const CA_DAYS = 3650;

// ---------------------------------------------------------------------------------------------
// The healthy kubeadm node

/** Facts of the sample node `cp-1`. */
export const CP1_FACTS: NodeFacts = {
  hostname: "cp-1",
  nodeName: "cp-1",
  advertiseAddress: "192.168.56.10",
  bindPort: 6443,
  serviceSubnet: "10.96.0.0/12",
  serviceIP: "10.96.0.1",
  clusterDNS: "10.96.0.10",
  clusterDomain: "cluster.local",
  clusterName: "kubernetes",
  etcdServers: ["https://127.0.0.1:2379"],
  kubernetesVersion: "v1.31.4",
  etcdImage: "registry.k8s.io/etcd:3.5.15-0",
  pauseImage: "registry.k8s.io/pause:3.10",
  criSocket: "unix:///var/run/containerd/containerd.sock",
  issuedAt: ISSUED_AT,
};

const PKI = "etc/kubernetes/pki";
const CA_KU: KeyUsage[] = ["digitalSignature", "keyEncipherment", "keyCertSign"];
const LEAF_KU: KeyUsage[] = ["digitalSignature", "keyEncipherment"];
const NO_SANS = { dns: [], ip: [] };

/** A kubeadm CA (pkiutil.NewSelfSignedCACert): self-signed, CA:TRUE, DS+KE+CertSign, no EKU, DNS SAN = CN. */
function kubeadmCA(cn: string, keyId: string, serial: string, issuedAt: string): CertSpec {
  return {
    cn, o: [], issuer: "self", keyId, keyAlgorithm: "RSA-2048", serial,
    ...kubeadmValidity(issuedAt, CA_DAYS),
    isCA: true, keyUsage: CA_KU, extKeyUsage: [], sans: { dns: [cn], ip: [] },
  };
}

/** A kubeadm leaf (pkiutil.NewSignedCert): CA:FALSE, DS+KE, one year. */
function kubeadmLeaf(
  fields: Pick<CertSpec, "cn" | "issuer" | "keyId" | "serial" | "extKeyUsage"> & Partial<Pick<CertSpec, "o" | "sans">>,
  issuedAt: string,
): CertSpec {
  return {
    o: [], sans: NO_SANS, ...fields, keyAlgorithm: "RSA-2048",
    ...kubeadmValidity(issuedAt, LEAF_DAYS),
    isCA: false, keyUsage: LEAF_KU,
  };
}

/** Every certificate of a kubeadm v1.31 init node with stacked etcd, plus the kubelet's own. */
function kubeadmCerts(f: NodeFacts): Record<string, CertSpec> {
  const at = f.issuedAt;
  const etcdSans = { dns: [f.nodeName, "localhost"].sort(), ip: [f.advertiseAddress, "127.0.0.1", "::1"] };
  const kubeletCreated = clientGoSelfSignedValidity(at);
  return {
    // The cluster CA; verifies every x509 client of the API server.
    "ca": kubeadmCA("kubernetes", "ca", "5b1d217e53d8b8ae", at),
    // API server serving certificate; DNS sorted, IPs = service VIP then advertise address.
    "apiserver": kubeadmLeaf({
      cn: "kube-apiserver", issuer: "ca", keyId: "apiserver", serial: "0a37e6a30d77a2d3", extKeyUsage: ["serverAuth"],
      sans: {
        dns: [f.nodeName, "kubernetes", "kubernetes.default", "kubernetes.default.svc", `kubernetes.default.svc.${f.clusterDomain}`].sort(),
        ip: [f.serviceIP, f.advertiseAddress],
      },
    }, at),
    // API server → kubelet client; O from v1.29.
    "apiserver-kubelet-client": kubeadmLeaf({
      cn: "kube-apiserver-kubelet-client", o: ["kubeadm:cluster-admins"], issuer: "ca", keyId: "apiserver-kubelet-client",
      serial: "143ef80ace799bf4", extKeyUsage: ["clientAuth"],
    }, at),
    // Front-proxy CA (requestheader client CA).
    "front-proxy-ca": kubeadmCA("front-proxy-ca", "front-proxy-ca", "1fe65a0f09bb3b71", at),
    // Aggregator → extension API server client.
    "front-proxy-client": kubeadmLeaf({
      cn: "front-proxy-client", issuer: "front-proxy-ca", keyId: "front-proxy-client", serial: "288aef98a3cd5fbf", extKeyUsage: ["clientAuth"],
    }, at),
    // etcd CA.
    "etcd-ca": kubeadmCA("etcd-ca", "etcd-ca", "7c3fbb1946866979", at),
    // etcd serving certificate; CN = node name; both EKUs (etcd-io/etcd#9785).
    "etcd-server": kubeadmLeaf({
      cn: f.nodeName, issuer: "etcd-ca", keyId: "etcd-server", serial: "7bf84cacafcd6c62", extKeyUsage: ["serverAuth", "clientAuth"], sans: etcdSans,
    }, at),
    // etcd peer certificate; same shape as the server certificate.
    "etcd-peer": kubeadmLeaf({
      cn: f.nodeName, issuer: "etcd-ca", keyId: "etcd-peer", serial: "4ac8c81603933f11", extKeyUsage: ["serverAuth", "clientAuth"], sans: etcdSans,
    }, at),
    // kubeadm's own etcd client; no O from v1.29.
    "etcd-healthcheck-client": kubeadmLeaf({
      cn: "kube-etcd-healthcheck-client", issuer: "etcd-ca", keyId: "etcd-healthcheck-client", serial: "2f369dd00494aa8b", extKeyUsage: ["clientAuth"],
    }, at),
    // API server → etcd client; no O from v1.29.
    "apiserver-etcd-client": kubeadmLeaf({
      cn: "kube-apiserver-etcd-client", issuer: "etcd-ca", keyId: "apiserver-etcd-client", serial: "0901d6e56abe9ced", extKeyUsage: ["clientAuth"],
    }, at),
    // Client certificates embedded in kubeadm's kubeconfigs.
    "admin.conf": kubeadmLeaf({
      cn: "kubernetes-admin", o: ["kubeadm:cluster-admins"], issuer: "ca", keyId: "admin.conf", serial: "75e3c7c2d561ae69", extKeyUsage: ["clientAuth"],
    }, at),
    "super-admin.conf": kubeadmLeaf({
      cn: "kubernetes-super-admin", o: ["system:masters"], issuer: "ca", keyId: "super-admin.conf", serial: "12f67b54dc81ce3d", extKeyUsage: ["clientAuth"],
    }, at),
    "controller-manager.conf": kubeadmLeaf({
      cn: "system:kube-controller-manager", issuer: "ca", keyId: "controller-manager.conf", serial: "77a25981ba4eac5e", extKeyUsage: ["clientAuth"],
    }, at),
    "scheduler.conf": kubeadmLeaf({
      cn: "system:kube-scheduler", issuer: "ca", keyId: "scheduler.conf", serial: "0b02ef62fbd62807", extKeyUsage: ["clientAuth"],
    }, at),
    // Kubelet client certificate from TLS bootstrap, signed by kube-controller-manager's csrsigning
    // with ca.crt/ca.key: ECDSA P-256 key, 128-bit serial, no keyEncipherment for non-RSA keys (kubernetes#111660).
    "kubelet-client": {
      cn: `system:node:${f.nodeName}`, o: ["system:nodes"], issuer: "ca", keyId: "kubelet-client", keyAlgorithm: "ECDSA-P256",
      serial: "6a5cc05757f1aa850a78e09483322ac5", ...kubeadmValidity(at, LEAF_DAYS),
      isCA: false, keyUsage: ["digitalSignature"], extKeyUsage: ["clientAuth"], sans: NO_SANS,
    },
    // Kubelet's self-signed serving pair (client-go GenerateSelfSignedCertKey): throw-away CA, serials 1 and 2.
    "kubelet-serving-ca": {
      cn: `${f.hostname}-ca@${unixSeconds(at)}`, o: [], issuer: "self", keyId: "kubelet-serving-ca", keyAlgorithm: "RSA-2048",
      serial: "01", ...kubeletCreated, isCA: true, keyUsage: CA_KU, extKeyUsage: [], sans: NO_SANS,
    },
    "kubelet-serving": {
      cn: `${f.hostname}@${unixSeconds(at)}`, o: [], issuer: "kubelet-serving-ca", keyId: "kubelet-serving", keyAlgorithm: "RSA-2048",
      serial: "02", ...kubeletCreated, isCA: false, keyUsage: LEAF_KU, extKeyUsage: ["serverAuth"], sans: { dns: [f.hostname], ip: [] },
    },
  };
}

/** The certificate + key pair files of kubeadm's certificate tree for the given cert ids. */
function pkiPair(cert: string, base: string): TreeFile[] {
  return [
    { kind: "pem", path: `${PKI}/${base}.crt`, certs: [cert] },
    { kind: "private-key", path: `${PKI}/${base}.key`, keyId: cert, keyAlgorithm: "RSA-2048" },
  ];
}

/** Probe defaults kubeadm v1.31 writes (staticpod utils; startup failureThreshold = 4m / 10s). */
function probe(kind: "liveness" | "readiness" | "startup", host: string, path: string, port: number, scheme: "HTTP" | "HTTPS"): HttpProbe {
  switch (kind) {
    case "liveness":
      return { host, path, port, scheme, failureThreshold: 8, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 15 };
    case "readiness":
      return { host, path, port, scheme, failureThreshold: 3, periodSeconds: 1, timeoutSeconds: 15 };
    case "startup":
      return { host, path, port, scheme, failureThreshold: 24, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 15 };
  }
}

function hostPath(name: string, path: string, readOnly: boolean, type: HostPathVolume["type"] = "DirectoryOrCreate"): HostPathVolume {
  return { name, hostPath: path, type, mountPath: path, readOnly };
}

/** The CA-trust mounts kubeadm adds on a Debian/Ubuntu host (the directories exist there). */
function caTrustVolumes(): HostPathVolume[] {
  return [
    hostPath("ca-certs", "/etc/ssl/certs", true),
    hostPath("etc-ca-certificates", "/etc/ca-certificates", true),
  ];
}

function shareCaVolumes(): HostPathVolume[] {
  return [
    hostPath("usr-local-share-ca-certificates", "/usr/local/share/ca-certificates", true),
    hostPath("usr-share-ca-certificates", "/usr/share/ca-certificates", true),
  ];
}

/** The four static pods kubeadm v1.31 writes for a stacked-etcd init node. */
function kubeadmStaticPods(f: NodeFacts): StaticPodSpec[] {
  const pki = "/etc/kubernetes/pki";
  const adv = f.advertiseAddress;
  const etcdClientURL = `https://${adv}:2379`;
  const etcdPeerURL = `https://${adv}:2380`;
  const image = (name: string) => `registry.k8s.io/${name}:${f.kubernetesVersion}`;
  const cmConf = "/etc/kubernetes/controller-manager.conf";
  const schedConf = "/etc/kubernetes/scheduler.conf";
  return [
    {
      name: "kube-apiserver",
      image: image("kube-apiserver"),
      annotations: { "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint": `${adv}:${f.bindPort}` },
      flags: {
        "advertise-address": adv,
        "allow-privileged": "true",
        "authorization-mode": "Node,RBAC",
        "client-ca-file": `${pki}/ca.crt`,
        "enable-admission-plugins": "NodeRestriction",
        "enable-bootstrap-token-auth": "true",
        "etcd-cafile": `${pki}/etcd/ca.crt`,
        "etcd-certfile": `${pki}/apiserver-etcd-client.crt`,
        "etcd-keyfile": `${pki}/apiserver-etcd-client.key`,
        "etcd-servers": f.etcdServers.join(","),
        "kubelet-client-certificate": `${pki}/apiserver-kubelet-client.crt`,
        "kubelet-client-key": `${pki}/apiserver-kubelet-client.key`,
        "kubelet-preferred-address-types": "InternalIP,ExternalIP,Hostname",
        "proxy-client-cert-file": `${pki}/front-proxy-client.crt`,
        "proxy-client-key-file": `${pki}/front-proxy-client.key`,
        "requestheader-allowed-names": "front-proxy-client",
        "requestheader-client-ca-file": `${pki}/front-proxy-ca.crt`,
        "requestheader-extra-headers-prefix": "X-Remote-Extra-",
        "requestheader-group-headers": "X-Remote-Group",
        "requestheader-username-headers": "X-Remote-User",
        "secure-port": String(f.bindPort),
        "service-account-issuer": `https://kubernetes.default.svc.${f.clusterDomain}`,
        "service-account-key-file": `${pki}/sa.pub`,
        "service-account-signing-key-file": `${pki}/sa.key`,
        "service-cluster-ip-range": f.serviceSubnet,
        "tls-cert-file": `${pki}/apiserver.crt`,
        "tls-private-key-file": `${pki}/apiserver.key`,
      },
      requests: { cpu: "250m" },
      livenessProbe: probe("liveness", adv, "/livez", f.bindPort, "HTTPS"),
      readinessProbe: probe("readiness", adv, "/readyz", f.bindPort, "HTTPS"),
      startupProbe: probe("startup", adv, "/livez", f.bindPort, "HTTPS"),
      volumes: [...caTrustVolumes(), hostPath("k8s-certs", pki, true), ...shareCaVolumes()],
    },
    {
      name: "kube-controller-manager",
      image: image("kube-controller-manager"),
      annotations: {},
      flags: {
        "authentication-kubeconfig": cmConf,
        "authorization-kubeconfig": cmConf,
        "bind-address": "127.0.0.1",
        "client-ca-file": `${pki}/ca.crt`,
        "cluster-name": f.clusterName,
        "cluster-signing-cert-file": `${pki}/ca.crt`,
        "cluster-signing-key-file": `${pki}/ca.key`,
        "controllers": "*,bootstrapsigner,tokencleaner",
        "kubeconfig": cmConf,
        "leader-elect": "true",
        "requestheader-client-ca-file": `${pki}/front-proxy-ca.crt`,
        "root-ca-file": `${pki}/ca.crt`,
        "service-account-private-key-file": `${pki}/sa.key`,
        "service-cluster-ip-range": f.serviceSubnet,
        "use-service-account-credentials": "true",
      },
      requests: { cpu: "200m" },
      livenessProbe: probe("liveness", "127.0.0.1", "/healthz", 10257, "HTTPS"),
      startupProbe: probe("startup", "127.0.0.1", "/healthz", 10257, "HTTPS"),
      volumes: [
        ...caTrustVolumes(),
        hostPath("flexvolume-dir", "/usr/libexec/kubernetes/kubelet-plugins/volume/exec", false),
        hostPath("k8s-certs", pki, true),
        hostPath("kubeconfig", cmConf, true, "FileOrCreate"),
        ...shareCaVolumes(),
      ],
    },
    {
      name: "kube-scheduler",
      image: image("kube-scheduler"),
      annotations: {},
      flags: {
        "authentication-kubeconfig": schedConf,
        "authorization-kubeconfig": schedConf,
        "bind-address": "127.0.0.1",
        "kubeconfig": schedConf,
        "leader-elect": "true",
      },
      requests: { cpu: "100m" },
      livenessProbe: probe("liveness", "127.0.0.1", "/healthz", 10259, "HTTPS"),
      startupProbe: probe("startup", "127.0.0.1", "/healthz", 10259, "HTTPS"),
      volumes: [hostPath("kubeconfig", schedConf, true, "FileOrCreate")],
    },
    {
      name: "etcd",
      image: f.etcdImage,
      annotations: { "kubeadm.kubernetes.io/etcd.advertise-client-urls": etcdClientURL },
      flags: {
        "advertise-client-urls": etcdClientURL,
        "cert-file": `${pki}/etcd/server.crt`,
        "client-cert-auth": "true",
        "data-dir": "/var/lib/etcd",
        "experimental-initial-corrupt-check": "true",
        "experimental-watch-progress-notify-interval": "5s",
        "initial-advertise-peer-urls": etcdPeerURL,
        "initial-cluster": `${f.nodeName}=${etcdPeerURL}`,
        "key-file": `${pki}/etcd/server.key`,
        "listen-client-urls": `https://127.0.0.1:2379,${etcdClientURL}`,
        "listen-metrics-urls": "http://127.0.0.1:2381",
        "listen-peer-urls": etcdPeerURL,
        "name": f.nodeName,
        "peer-cert-file": `${pki}/etcd/peer.crt`,
        "peer-client-cert-auth": "true",
        "peer-key-file": `${pki}/etcd/peer.key`,
        "peer-trusted-ca-file": `${pki}/etcd/ca.crt`,
        "snapshot-count": "10000",
        "trusted-ca-file": `${pki}/etcd/ca.crt`,
      },
      requests: { cpu: "100m", memory: "100Mi" },
      livenessProbe: probe("liveness", "127.0.0.1", "/livez", 2381, "HTTP"),
      readinessProbe: probe("readiness", "127.0.0.1", "/readyz", 2381, "HTTP"),
      startupProbe: probe("startup", "127.0.0.1", "/readyz", 2381, "HTTP"),
      // local.go lists the data mount first; volumes themselves are written sorted by name.
      volumes: [hostPath("etcd-data", "/var/lib/etcd", false), hostPath("etcd-certs", `${pki}/etcd`, false)],
    },
  ];
}

/** KubeletConfiguration as kubeadm v1.31 writes `/var/lib/kubelet/config.yaml` (componentconfigs/kubelet.go). */
function kubeletConfig(f: NodeFacts): Record<string, unknown> {
  return {
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    authentication: {
      anonymous: { enabled: false },
      webhook: { cacheTTL: "0s", enabled: true },
      x509: { clientCAFile: "/etc/kubernetes/pki/ca.crt" },
    },
    authorization: { mode: "Webhook", webhook: { cacheAuthorizedTTL: "0s", cacheUnauthorizedTTL: "0s" } },
    cgroupDriver: "systemd",
    clusterDNS: [f.clusterDNS],
    clusterDomain: f.clusterDomain,
    containerRuntimeEndpoint: "",
    cpuManagerReconcilePeriod: "0s",
    evictionPressureTransitionPeriod: "0s",
    fileCheckFrequency: "0s",
    healthzBindAddress: "127.0.0.1",
    healthzPort: 10248,
    httpCheckFrequency: "0s",
    imageMaximumGCAge: "0s",
    imageMinimumGCAge: "0s",
    logging: { flushFrequency: 0, options: { json: { infoBufferSize: "0" }, text: { infoBufferSize: "0" } }, verbosity: 0 },
    memorySwap: {},
    nodeStatusReportFrequency: "0s",
    nodeStatusUpdateFrequency: "0s",
    rotateCertificates: true,
    runtimeRequestTimeout: "0s",
    shutdownGracePeriod: "0s",
    shutdownGracePeriodCriticalPods: "0s",
    staticPodPath: "/etc/kubernetes/manifests",
    streamingConnectionIdleTimeout: "0s",
    syncFrequency: "0s",
    volumeStatsAggPeriod: "0s",
  };
}

/** kubeadm's kubelet drop-in, as the kubeadm packages install it (kubelet-integration docs). */
const KUBEADM_DROPIN = `# Note: This dropin only works with kubeadm and kubelet v1.11+
[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
# This is a file that "kubeadm init" and "kubeadm join" generates at runtime, populating the KUBELET_KUBEADM_ARGS variable dynamically
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
# This is a file that the user can use for overrides of the kubelet args as a last resort. Preferably, the user should use
# the .NodeRegistration.KubeletExtraArgs object in the configuration files instead. KUBELET_EXTRA_ARGS should be sourced from this file.
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
`;

/** The kubelet unit the kubelet package installs. */
const KUBELET_UNIT = `[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
`;

/** The file tree of a kubeadm v1.31 init node with stacked etcd. */
function kubeadmFiles(f: NodeFacts): TreeFile[] {
  const server = `https://${f.advertiseAddress}:${f.bindPort}`;
  const kubeconfig = (path: string, userName: string, cert: string): TreeFile => ({
    kind: "kubeconfig", path,
    kubeconfig: { clusterName: f.clusterName, server, caCert: "ca", userName, credentials: { kind: "embedded", cert } },
  });
  const kubeletPem = `/var/lib/kubelet/pki/kubelet-client-${certStoreTimestamp(f.issuedAt)}.pem`;
  const kubeletCurrent = "/var/lib/kubelet/pki/kubelet-client-current.pem";
  return [
    { kind: "text", path: "etc/hostname", text: `${f.hostname}\n` },
    // etc/kubernetes/pki
    ...pkiPair("ca", "ca"),
    ...pkiPair("apiserver", "apiserver"),
    ...pkiPair("apiserver-kubelet-client", "apiserver-kubelet-client"),
    ...pkiPair("front-proxy-ca", "front-proxy-ca"),
    ...pkiPair("front-proxy-client", "front-proxy-client"),
    ...pkiPair("apiserver-etcd-client", "apiserver-etcd-client"),
    ...pkiPair("etcd-ca", "etcd/ca"),
    ...pkiPair("etcd-server", "etcd/server"),
    ...pkiPair("etcd-peer", "etcd/peer"),
    ...pkiPair("etcd-healthcheck-client", "etcd/healthcheck-client"),
    { kind: "private-key", path: `${PKI}/sa.key`, keyId: "sa", keyAlgorithm: "RSA-2048" },
    { kind: "public-key", path: `${PKI}/sa.pub`, keyId: "sa", keyAlgorithm: "RSA-2048" },
    // etc/kubernetes/*.conf
    kubeconfig("etc/kubernetes/admin.conf", "kubernetes-admin", "admin.conf"),
    kubeconfig("etc/kubernetes/super-admin.conf", "kubernetes-super-admin", "super-admin.conf"),
    kubeconfig("etc/kubernetes/controller-manager.conf", "system:kube-controller-manager", "controller-manager.conf"),
    kubeconfig("etc/kubernetes/scheduler.conf", "system:kube-scheduler", "scheduler.conf"),
    {
      // After kubelet-finalize: the init node's user system:node:<node> points at the rotating pem
      // (cmd/kubeadm/app/cmd/phases/init/kubeletfinalize.go).
      kind: "kubeconfig", path: "etc/kubernetes/kubelet.conf",
      kubeconfig: {
        clusterName: f.clusterName, server, caCert: "ca", userName: `system:node:${f.nodeName}`,
        credentials: { kind: "files", clientCertificate: kubeletCurrent, clientKey: kubeletCurrent },
      },
    },
    // etc/kubernetes/manifests
    ...kubeadmStaticPods(f).map((pod): TreeFile => ({ kind: "static-pod", path: `etc/kubernetes/manifests/${pod.name}.yaml`, pod })),
    // kubelet
    { kind: "pem", path: kubeletPem.slice(1), certs: ["kubelet-client"], key: { keyId: "kubelet-client", keyAlgorithm: "ECDSA-P256" } },
    { kind: "symlink", path: kubeletCurrent.slice(1), target: kubeletPem },
    { kind: "pem", path: "var/lib/kubelet/pki/kubelet.crt", certs: ["kubelet-serving", "kubelet-serving-ca"] },
    { kind: "private-key", path: "var/lib/kubelet/pki/kubelet.key", keyId: "kubelet-serving", keyAlgorithm: "RSA-2048" },
    { kind: "yaml", path: "var/lib/kubelet/config.yaml", value: kubeletConfig(f) },
    {
      kind: "text", path: "var/lib/kubelet/kubeadm-flags.env",
      text: `KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=${f.criSocket} --pod-infra-container-image=${f.pauseImage}"\n`,
    },
    { kind: "text", path: "etc/systemd/system/kubelet.service.d/10-kubeadm.conf", text: KUBEADM_DROPIN },
    { kind: "text", path: "lib/systemd/system/kubelet.service", text: KUBELET_UNIT },
  ];
}

/** A healthy kubeadm v1.31 init node with stacked etcd, RSA-2048, built from its facts. */
export function kubeadmNode(facts: NodeFacts): NodeSpec {
  return { facts, certs: kubeadmCerts(facts), files: kubeadmFiles(facts) };
}

// ---------------------------------------------------------------------------------------------
// Faults

/** Issuance instant of the older etcd CA that fault `etcd-trusts-old-ca` leaves behind. */
const OLD_ETCD_CA_ISSUED_AT = "2025-01-10T10:00:00Z";

/** The classic faults of `kubeadm-broken`, in the order its README numbers them. */
export const BROKEN_FAULTS: Fault[] = [
  {
    name: "etcd-trusts-old-ca",
    // etcd verifies its clients against a CA that signed nothing here; its other CA flags disagree.
    breaks: "etcd --trusted-ca-file names an older etcd CA (etcd/ca-old.crt) while --peer-trusted-ca-file and kube-apiserver --etcd-cafile name etcd/ca.crt",
    overrides: [
      { kind: "add-cert", cert: "etcd-ca-old", spec: kubeadmCA("etcd-ca", "etcd-ca-old", "7b50f924020704b8", OLD_ETCD_CA_ISSUED_AT) },
      { kind: "add-file", file: { kind: "pem", path: `${PKI}/etcd/ca-old.crt`, certs: ["etcd-ca-old"] } },
      { kind: "set-flag", pod: "etcd", flag: "trusted-ca-file", value: "/etc/kubernetes/pki/etcd/ca-old.crt" },
    ],
  },
  {
    name: "etcd-client-wrong-ca",
    // The API server's etcd client certificate chains to the cluster CA, which etcd does not trust.
    breaks: "apiserver-etcd-client.crt is signed by the kubernetes CA (ca) instead of etcd-ca",
    overrides: [{ kind: "set-cert", cert: "apiserver-etcd-client", set: { issuer: "ca" } }],
  },
  {
    name: "apiserver-missing-service-ip",
    // In-cluster clients dialling the kubernetes service VIP fail hostname verification.
    breaks: "apiserver.crt lacks the service IP SAN 10.96.0.1",
    overrides: [{ kind: "drop-ip-san", cert: "apiserver", ip: CP1_FACTS.serviceIP }],
  },
  {
    name: "kubelet-client-wrong-group",
    // The group kubeadm binds to cluster-admin is misspelled: kubectl logs/exec are forbidden by the kubelet.
    breaks: "apiserver-kubelet-client.crt has O kubeadm:cluster-admin instead of kubeadm:cluster-admins",
    overrides: [{ kind: "set-cert", cert: "apiserver-kubelet-client", set: { o: ["kubeadm:cluster-admin"] } }],
  },
  {
    name: "front-proxy-client-expired",
    // The aggregator's client certificate expired a month before the audit: aggregated APIs fail.
    breaks: "front-proxy-client.crt expired on 2026-05-01T10:00:00Z",
    overrides: [{ kind: "set-cert", cert: "front-proxy-client", set: { notBefore: "2025-05-01T09:55:00Z", notAfter: "2026-05-01T10:00:00Z" } }],
  },
  {
    name: "scheduler-wrong-cn",
    // RBAC binds system:kube-scheduler; the user kube-scheduler has no permissions.
    breaks: "scheduler.conf's client certificate has CN kube-scheduler (no system: prefix)",
    overrides: [{ kind: "set-cert", cert: "scheduler.conf", set: { cn: "kube-scheduler" } }],
  },
  {
    name: "etcd-peer-key-mismatch",
    // etcd cannot load its peer TLS pair: the key does not belong to the certificate.
    breaks: "etcd/peer.key holds a different RSA key from the one etcd/peer.crt certifies",
    overrides: [{ kind: "set-key", path: `${PKI}/etcd/peer.key`, keyId: "etcd-peer-stray" }],
  },
  {
    name: "controller-manager-conf-expiring",
    // The controller manager loses API access 19 days after the audit unless renewed.
    breaks: "controller-manager.conf's client certificate expires 2026-06-20T10:00:00Z",
    overrides: [{ kind: "set-cert", cert: "controller-manager.conf", set: { notAfter: "2026-06-20T10:00:00Z" } }],
  },
];

function staticPod(spec: NodeSpec, name: string, where: string): StaticPodSpec {
  const file = spec.files.find((candidate) => candidate.kind === "static-pod" && candidate.pod.name === name);
  if (file?.kind !== "static-pod") throw new Error(`${where}: no static pod ${name}`);
  return file.pod;
}

/** Issuance instant of the other cluster's CA that fault `kubelet-conf-foreign-ca` embeds. */
const FOREIGN_CA_ISSUED_AT = "2025-09-02T08:30:00Z";
/** When someone set up the separate CSR signing CA of fault `csr-signer-not-client-ca`. */
const CSR_SIGNER_ISSUED_AT = "2026-02-10T14:00:00Z";

/**
 * The faults of `kubeadm-trust-broken`, in the order its README numbers them. Every certificate
 * is well-formed on its own (right CN, O, usages, validity, key); each fault only breaks a
 * connection between two ends that no longer trust each other.
 */
export const TRUST_BROKEN_FAULTS: Fault[] = [
  {
    name: "kubelet-conf-foreign-ca",
    // A kubelet.conf CA copied from another cluster: same CN, other key, so the kubelet rejects the API server.
    breaks: "kubelet.conf's certificate-authority-data is another cluster's CA (also CN kubernetes, its own key), not ca.crt",
    overrides: [
      { kind: "add-cert", cert: "foreign-ca", spec: kubeadmCA("kubernetes", "foreign-ca", "3d9a64c1b2e07f58", FOREIGN_CA_ISSUED_AT) },
      { kind: "set-kubeconfig", path: "etc/kubernetes/kubelet.conf", set: { caCert: "foreign-ca" } },
    ],
  },
  {
    name: "admin-conf-signed-by-front-proxy-ca",
    // kubectl with admin.conf presents a certificate the API server's --client-ca-file (ca.crt) did not sign.
    breaks: "admin.conf's client certificate is signed by front-proxy-ca instead of ca",
    overrides: [{ kind: "set-cert", cert: "admin.conf", set: { issuer: "front-proxy-ca" } }],
  },
  {
    name: "etcd-peer-missing-advertise-ip",
    // Peers dial https://192.168.56.10:2380 (--initial-advertise-peer-urls) and check the source IP; the peer cert lacks it.
    breaks: "etcd/peer.crt lacks the IP SAN 192.168.56.10 that --initial-advertise-peer-urls names",
    overrides: [{ kind: "drop-ip-san", cert: "etcd-peer", ip: CP1_FACTS.advertiseAddress }],
  },
  {
    name: "csr-signer-not-client-ca",
    // Certificates the controller manager signs (kubelet rotation) come from a CA the API server does not trust.
    breaks: "kube-controller-manager --cluster-signing-cert-file/--cluster-signing-key-file name a separate CA pair (csr-signer.crt/.key) that is not in kube-apiserver --client-ca-file",
    overrides: [
      { kind: "add-cert", cert: "csr-signer", spec: kubeadmCA("csr-signer", "csr-signer", "6e21b0f7c4a8d913", CSR_SIGNER_ISSUED_AT) },
      { kind: "add-file", file: { kind: "pem", path: `${PKI}/csr-signer.crt`, certs: ["csr-signer"] } },
      { kind: "add-file", file: { kind: "private-key", path: `${PKI}/csr-signer.key`, keyId: "csr-signer", keyAlgorithm: "RSA-2048" } },
      { kind: "set-flag", pod: "kube-controller-manager", flag: "cluster-signing-cert-file", value: "/etc/kubernetes/pki/csr-signer.crt" },
      { kind: "set-flag", pod: "kube-controller-manager", flag: "cluster-signing-key-file", value: "/etc/kubernetes/pki/csr-signer.key" },
    ],
  },
  {
    name: "root-ca-is-front-proxy-ca",
    // Every namespace's kube-root-ca.crt becomes the front-proxy CA: pods cannot verify the API server.
    breaks: "kube-controller-manager --root-ca-file names front-proxy-ca.crt instead of ca.crt",
    overrides: [{ kind: "set-flag", pod: "kube-controller-manager", flag: "root-ca-file", value: "/etc/kubernetes/pki/front-proxy-ca.crt" }],
  },
  {
    name: "kubelet-client-ca-is-etcd-ca",
    // The kubelet verifies the API server's client certificate (logs, exec) against the etcd CA.
    breaks: "the kubelet config's authentication.x509.clientCAFile names /etc/kubernetes/pki/etcd/ca.crt instead of ca.crt",
    overrides: [{ kind: "set-yaml", path: "var/lib/kubelet/config.yaml", key: "authentication.x509.clientCAFile", value: "/etc/kubernetes/pki/etcd/ca.crt" }],
  },
  {
    name: "front-proxy-client-signed-by-ca",
    // Extension API servers trust front-proxy-ca for the aggregator; this certificate comes from the cluster CA.
    breaks: "front-proxy-client.crt is signed by ca instead of front-proxy-ca",
    overrides: [{ kind: "set-cert", cert: "front-proxy-client", set: { issuer: "ca" } }],
  },
  {
    name: "sa-pub-not-sa-key",
    // Service-account tokens signed with sa.key do not verify with sa.pub: every pod's API calls are Unauthorized.
    breaks: "sa.pub is the public half of another RSA key, not of sa.key",
    overrides: [{ kind: "set-key", path: `${PKI}/sa.pub`, keyId: "sa-stray" }],
  },
  {
    name: "scheduler-conf-unknown-server",
    // The scheduler dials a name apiserver.crt does not carry, so it fails hostname verification.
    breaks: "scheduler.conf's server is https://cp-1.example.internal:6443, a name that is not a SAN of apiserver.crt",
    overrides: [{ kind: "set-kubeconfig", path: "etc/kubernetes/scheduler.conf", set: { server: "https://cp-1.example.internal:6443" } }],
  },
];

/**
 * A static token file line (`token,user,uid,"groups"`, kube-apiserver --token-auth-file). The
 * token is throw-away test material, like every key here; an auditor must never print it.
 */
const STATIC_TOKEN_LINE = '8c1f4e2a9b7d3065e4a1c9f2b6d80e37,ops-admin,1001,"system:masters"\n';

/**
 * The faults of `kubeadm-insecure`, in the order its README numbers them. The PKI is exactly the
 * healthy node's; the settings and file modes around it are not.
 */
export const INSECURE_FAULTS: Fault[] = [
  {
    name: "apiserver-static-token-file",
    // A static bearer token for a system:masters user: never expires, revoked only by editing the file and restarting.
    breaks: "kube-apiserver --token-auth-file=/etc/kubernetes/tokens.csv (mounted read-only as extra volume static-tokens), a static token for a system:masters user",
    overrides: [
      { kind: "add-file", file: { kind: "text", path: "etc/kubernetes/tokens.csv", text: STATIC_TOKEN_LINE, mode: 0o600 } },
      { kind: "add-flag", pod: "kube-apiserver", flag: "token-auth-file", value: "/etc/kubernetes/tokens.csv" },
      {
        kind: "add-volume", pod: "kube-apiserver",
        volume: { name: "static-tokens", hostPath: "/etc/kubernetes/tokens.csv", type: "File", mountPath: "/etc/kubernetes/tokens.csv", readOnly: true },
      },
    ],
  },
  {
    name: "apiserver-insecure-port",
    // An unauthenticated HTTP port on old releases; a flag kube-apiserver v1.24+ (this is v1.31) refuses to start with.
    breaks: "kube-apiserver --insecure-port=8080",
    overrides: [{ kind: "add-flag", pod: "kube-apiserver", flag: "insecure-port", value: "8080" }],
  },
  {
    name: "apiserver-anonymous-auth",
    // Requests without credentials are let in as system:anonymous.
    breaks: "kube-apiserver --anonymous-auth=true",
    overrides: [{ kind: "add-flag", pod: "kube-apiserver", flag: "anonymous-auth", value: "true" }],
  },
  {
    name: "apiserver-always-allow",
    // No authorization: every authenticated (and, with fault 3, anonymous) request may do anything.
    breaks: "kube-apiserver --authorization-mode=AlwaysAllow instead of Node,RBAC",
    overrides: [{ kind: "set-flag", pod: "kube-apiserver", flag: "authorization-mode", value: "AlwaysAllow" }],
  },
  {
    name: "requestheader-allowed-names-wrong",
    // Extension API servers accept proxied requests only from CN aggregator; the aggregator's certificate says front-proxy-client.
    breaks: "kube-apiserver --requestheader-allowed-names=aggregator, while front-proxy-client.crt has CN front-proxy-client",
    overrides: [{ kind: "set-flag", pod: "kube-apiserver", flag: "requestheader-allowed-names", value: "aggregator" }],
  },
  {
    name: "requestheader-ca-is-client-ca",
    // The requestheader CA is the cluster CA: any client certificate it signs can assert identities to extension servers.
    breaks: "kube-apiserver --requestheader-client-ca-file=/etc/kubernetes/pki/ca.crt, the same CA as --client-ca-file (kube-controller-manager's still names front-proxy-ca.crt)",
    overrides: [{ kind: "set-flag", pod: "kube-apiserver", flag: "requestheader-client-ca-file", value: "/etc/kubernetes/pki/ca.crt" }],
  },
  {
    name: "etcd-client-cert-auth-false",
    // Misleading rather than open: etcd still requires client certificates on https:// URLs because --trusted-ca-file is set.
    breaks: "etcd --client-cert-auth=false (with --trusted-ca-file still set)",
    overrides: [{ kind: "set-flag", pod: "etcd", flag: "client-cert-auth", value: "false" }],
  },
  {
    name: "etcd-peer-auto-tls",
    // Ignored while --peer-cert-file/--peer-key-file are set; a trap that turns on self-signed peer TLS if they go.
    breaks: "etcd --peer-auto-tls=true (with --peer-cert-file and --peer-key-file still set)",
    overrides: [{ kind: "add-flag", pod: "etcd", flag: "peer-auto-tls", value: "true" }],
  },
  {
    name: "etcd-plain-http-client-url",
    // A plain-HTTP client listener on loopback (etcd's legacy port 4001): local processes read and write etcd with no certificate.
    breaks: "etcd --listen-client-urls adds http://127.0.0.1:4001 (no TLS, no client certificates) to kubeadm's two https:// URLs; --listen-metrics-urls stays http://127.0.0.1:2381",
    overrides: [
      { kind: "set-flag", pod: "etcd", flag: "listen-client-urls", value: `https://127.0.0.1:2379,https://${CP1_FACTS.advertiseAddress}:2379,http://127.0.0.1:4001` },
    ],
  },
  {
    name: "kubelet-anonymous-no-client-ca",
    // The kubelet authenticates nobody by certificate and lets anonymous requests through to its (webhook) authorizer.
    breaks: "the kubelet config sets authentication.anonymous.enabled: true and has no authentication.x509.clientCAFile",
    overrides: [
      { kind: "set-yaml", path: "var/lib/kubelet/config.yaml", key: "authentication.anonymous.enabled", value: true },
      { kind: "delete-yaml", path: "var/lib/kubelet/config.yaml", key: "authentication.x509.clientCAFile" },
    ],
  },
  {
    name: "pki-modes-too-open",
    // Keys and admin.conf readable beyond root, and the cluster CA certificate writable by its group.
    breaks: "modes: etc/kubernetes/pki/apiserver.key 0644, etc/kubernetes/admin.conf 0644, etc/kubernetes/pki/front-proxy-client.key 0640, etc/kubernetes/pki/ca.crt 0664",
    overrides: [
      { kind: "set-mode", path: `${PKI}/apiserver.key`, mode: 0o644 },
      { kind: "set-mode", path: "etc/kubernetes/admin.conf", mode: 0o644 },
      { kind: "set-mode", path: `${PKI}/front-proxy-client.key`, mode: 0o640 },
      { kind: "set-mode", path: `${PKI}/ca.crt`, mode: 0o664 },
    ],
  },
];

/**
 * When the one-year front-proxy CA of fault `front-proxy-ca-expired` was made (kubeadm-style: notBefore 5 minutes
 * earlier). kubeadm reuses a CA pair it finds in the certificate directory, so `kubeadm init` on 2026-01-15 signed
 * front-proxy-client.crt with it for the usual year, past the CA's own end.
 */
const SHORT_FRONT_PROXY_CA_ISSUED_AT = "2025-05-20T10:00:00Z";
/** When etcd/ca.crt of fault `etcd-ca-expiring` was re-issued from etcd/ca.key, for one year. */
const SHORT_ETCD_CA_ISSUED_AT = "2025-06-05T10:00:00Z";
/** Lifetime of both short-lived CAs: what `caCertificateValidityPeriod: 8760h` (or `openssl -days 365`) gives. */
const SHORT_CA_DAYS = 365;

/**
 * The faults of `kubeadm-ca-problems`, in the order its README numbers them. Every fault is in a
 * CA file: the leaf certificates are byte-identical to the healthy node's (same keys, subjects,
 * serials and dates; a CA re-issued with the same key and subject signs them identically).
 */
export const CA_PROBLEMS_FAULTS: Fault[] = [
  {
    name: "front-proxy-ca-expired",
    // Extension API servers reject the aggregator: Go checks the dates of the trust anchor too.
    breaks: "front-proxy-ca.crt (same key and subject) is valid 2025-05-20T09:55:00Z – 2026-05-20T10:00:00Z: it expired 11 days 14 hours before the audit, while front-proxy-client.crt, which it signed, runs to 2027-01-15",
    overrides: [
      { kind: "set-cert", cert: "front-proxy-ca", set: { serial: "2c7e91d04fa3b658", ...kubeadmValidity(SHORT_FRONT_PROXY_CA_ISSUED_AT, SHORT_CA_DAYS) } },
    ],
  },
  {
    name: "client-ca-bundle-with-leaf",
    // The classic copy-paste mistake: apiserver.crt appended to the client CA bundle instead of a CA.
    breaks: "kube-apiserver --client-ca-file names client-ca-bundle.crt: the cluster CA followed by a copy of apiserver.crt (CA:FALSE), a leaf among the trust anchors",
    overrides: [
      { kind: "add-file", file: { kind: "pem", path: `${PKI}/client-ca-bundle.crt`, certs: ["ca", "apiserver"] } },
      { kind: "set-flag", pod: "kube-apiserver", flag: "client-ca-file", value: "/etc/kubernetes/pki/client-ca-bundle.crt" },
    ],
  },
  {
    name: "etcd-ca-expiring",
    // In 4 days 10 hours every etcd connection fails; every etcd leaf outlives its CA.
    breaks: "etcd/ca.crt, re-issued from etcd/ca.key (same key and subject, so every etcd leaf still verifies), is valid 2025-06-05T09:55:00Z – 2026-06-05T10:00:00Z: 4 days 10 hours left at the audit, while its four leaves run to 2027-01-15",
    overrides: [
      { kind: "set-cert", cert: "etcd-ca", set: { serial: "5d02a7e3c91f4b86", ...kubeadmValidity(SHORT_ETCD_CA_ISSUED_AT, SHORT_CA_DAYS) } },
    ],
  },
];

/** Applies faults to a copy of `base`; an override naming a missing target throws. */
export function applyFaults(base: NodeSpec, faults: readonly Fault[]): NodeSpec {
  const spec = structuredClone(base);
  for (const fault of faults) {
    for (const o of fault.overrides) {
      const where = `fault ${fault.name}`;
      switch (o.kind) {
        case "set-cert": {
          const cert = spec.certs[o.cert];
          if (!cert) throw new Error(`${where}: no certificate ${o.cert}`);
          spec.certs[o.cert] = { ...cert, ...structuredClone(o.set) };
          break;
        }
        case "drop-ip-san": {
          const cert = spec.certs[o.cert];
          if (!cert?.sans.ip.includes(o.ip)) throw new Error(`${where}: certificate ${o.cert} has no IP SAN ${o.ip}`);
          cert.sans = { dns: cert.sans.dns, ip: cert.sans.ip.filter((ip) => ip !== o.ip) };
          break;
        }
        case "add-cert":
          if (spec.certs[o.cert]) throw new Error(`${where}: certificate ${o.cert} already exists`);
          spec.certs[o.cert] = structuredClone(o.spec);
          break;
        case "add-file":
          if (spec.files.some((file) => file.path === o.file.path)) throw new Error(`${where}: file ${o.file.path} already exists`);
          spec.files.push(structuredClone(o.file));
          break;
        case "set-key": {
          const file = spec.files.find((candidate) => candidate.path === o.path);
          if (file?.kind !== "private-key" && file?.kind !== "public-key") throw new Error(`${where}: no private or public key file ${o.path}`);
          file.keyId = o.keyId;
          break;
        }
        case "set-flag":
        case "add-flag": {
          const pod = staticPod(spec, o.pod, where);
          const exists = o.flag in pod.flags;
          if (o.kind === "set-flag" && !exists) throw new Error(`${where}: static pod ${o.pod} has no flag --${o.flag}`);
          if (o.kind === "add-flag" && exists) throw new Error(`${where}: static pod ${o.pod} already has flag --${o.flag}`);
          pod.flags[o.flag] = o.value;
          break;
        }
        case "add-volume": {
          const pod = staticPod(spec, o.pod, where);
          if (pod.volumes.some((v) => v.name === o.volume.name || v.mountPath === o.volume.mountPath)) {
            throw new Error(`${where}: static pod ${o.pod} already has volume ${o.volume.name} or a mount at ${o.volume.mountPath}`);
          }
          // kubeadm lists the mounts of the API server, controller manager and scheduler sorted by volume name.
          const sorted = pod.volumes.every((v, i, all) => i === 0 || (all[i - 1] as HostPathVolume).name < v.name);
          pod.volumes.push(structuredClone(o.volume));
          if (sorted) pod.volumes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
          break;
        }
        case "set-kubeconfig": {
          const file = spec.files.find((candidate) => candidate.path === o.path);
          if (file?.kind !== "kubeconfig") throw new Error(`${where}: no kubeconfig ${o.path}`);
          file.kubeconfig = { ...file.kubeconfig, ...structuredClone(o.set) };
          break;
        }
        case "set-yaml":
        case "delete-yaml": {
          const file = spec.files.find((candidate) => candidate.path === o.path);
          if (file?.kind !== "yaml") throw new Error(`${where}: no YAML file ${o.path}`);
          const keys = o.key.split(".");
          const last = keys.pop() as string;
          let holder: Record<string, unknown> = file.value;
          for (const key of keys) {
            const next = holder[key];
            if (next === null || typeof next !== "object" || Array.isArray(next)) throw new Error(`${where}: ${o.path} has no mapping ${key} on the way to ${o.key}`);
            holder = next as Record<string, unknown>;
          }
          if (o.kind === "delete-yaml") {
            if (!(last in holder)) throw new Error(`${where}: ${o.path} has no ${o.key}`);
            delete holder[last];
          } else {
            holder[last] = structuredClone(o.value);
          }
          break;
        }
        case "set-mode": {
          const file = spec.files.find((candidate) => candidate.path === o.path);
          if (!file || file.kind === "symlink") throw new Error(`${where}: no file ${o.path}`);
          file.mode = o.mode;
          break;
        }
        case "set-pem": {
          const file = spec.files.find((candidate) => candidate.path === o.path);
          if (file?.kind !== "pem") throw new Error(`${where}: no PEM file ${o.path}`);
          const missing = o.certs.find((id) => !spec.certs[id]);
          if (missing) throw new Error(`${where}: no certificate ${missing}`);
          file.certs = [...o.certs];
          break;
        }
        case "remove-file": {
          const before = spec.files.length;
          spec.files = spec.files.filter((file) => file.path !== o.path);
          if (spec.files.length === before) throw new Error(`${where}: no file ${o.path}`);
          break;
        }
        case "edit-text": {
          const file = spec.files.find((candidate) => candidate.path === o.path);
          if (file?.kind !== "text") throw new Error(`${where}: no text file ${o.path}`);
          const occurrences = file.text.split(o.find).length - 1;
          if (occurrences !== 1) throw new Error(`${where}: ${o.path} has ${occurrences} occurrences of ${JSON.stringify(o.find)}, not one`);
          file.text = file.text.replace(o.find, () => o.replace);
          break;
        }
      }
    }
  }
  return spec;
}

// ---------------------------------------------------------------------------------------------
// External etcd

/** Where the external etcd's unit keeps its copies of the etcd CA and its serving and peer pairs. */
const ETCD_PKI = "etc/etcd/pki";

/**
 * The etcd unit of {@link externalEtcdNode}: the certificate flags of kubeadm's etcd static pod, pointed at the copies
 * under /etc/etcd/pki; the data directory comes from the Environment= of the drop-in.
 */
function etcdUnit(f: NodeFacts): string {
  const pki = `/${ETCD_PKI}`;
  const clientURL = `https://${f.advertiseAddress}:2379`;
  const peerURL = `https://${f.advertiseAddress}:2380`;
  const flags: Array<[string, string]> = [
    ["advertise-client-urls", clientURL],
    ["cert-file", `${pki}/server.crt`],
    ["client-cert-auth", "true"],
    ["data-dir", "${ETCD_DATA_DIR}"],
    ["initial-advertise-peer-urls", peerURL],
    ["initial-cluster", `${f.nodeName}=${peerURL}`],
    ["key-file", `${pki}/server.key`],
    ["listen-client-urls", `https://127.0.0.1:2379,${clientURL}`],
    ["listen-peer-urls", peerURL],
    ["name", f.nodeName],
    ["peer-cert-file", `${pki}/peer.crt`],
    ["peer-client-cert-auth", "true"],
    ["peer-key-file", `${pki}/peer.key`],
    ["peer-trusted-ca-file", `${pki}/ca.crt`],
    ["trusted-ca-file", `${pki}/ca.crt`],
  ];
  return [
    "[Unit]",
    "Description=etcd key-value store",
    "Documentation=https://etcd.io/docs/",
    "Wants=network-online.target",
    "After=network-online.target",
    "",
    "[Service]",
    "Type=notify",
    `ExecStart=/usr/local/bin/etcd \\\n${flags.map(([name, value]) => `  --${name}=${value}`).join(" \\\n")}`,
    "Restart=always",
    "RestartSec=10s",
    "LimitNOFILE=40000",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/** The etcd unit's drop-in: the data directory its ExecStart names as ${ETCD_DATA_DIR}. */
const ETCD_ENV_DROPIN = `[Service]
Environment="ETCD_DATA_DIR=/var/lib/etcd"
`;

/**
 * The healthy kubeadm node with etcd run by systemd instead of as a static pod: etcd.yaml is gone, and
 * etc/systemd/system/etcd.service runs /usr/local/bin/etcd with copies of the etcd CA certificate and of the
 * serving and peer pairs under /etc/etcd/pki. Everything else, /etc/kubernetes/pki/etcd included, stays kubeadm's.
 */
export function externalEtcdNode(base: NodeSpec): NodeSpec {
  const spec = structuredClone(base);
  const manifest = "etc/kubernetes/manifests/etcd.yaml";
  if (!spec.files.some((file) => file.path === manifest)) throw new Error(`externalEtcdNode: no ${manifest}`);
  spec.files = spec.files.filter((file) => file.path !== manifest);
  const copies: TreeFile[] = [
    { kind: "pem", path: `${ETCD_PKI}/ca.crt`, certs: ["etcd-ca"] },
    { kind: "pem", path: `${ETCD_PKI}/server.crt`, certs: ["etcd-server"] },
    { kind: "private-key", path: `${ETCD_PKI}/server.key`, keyId: "etcd-server", keyAlgorithm: "RSA-2048" },
    { kind: "pem", path: `${ETCD_PKI}/peer.crt`, certs: ["etcd-peer"] },
    { kind: "private-key", path: `${ETCD_PKI}/peer.key`, keyId: "etcd-peer", keyAlgorithm: "RSA-2048" },
    { kind: "text", path: "etc/systemd/system/etcd.service", text: etcdUnit(spec.facts) },
    { kind: "text", path: "etc/systemd/system/etcd.service.d/10-env.conf", text: ETCD_ENV_DROPIN },
  ];
  spec.files.push(...copies);
  return spec;
}

const KUBEADM_ETCD_SERVER = kubeadmCerts(CP1_FACTS)["etcd-server"] as CertSpec;

/** The fault of `kubeadm-external-etcd`. */
export const EXTERNAL_ETCD_FAULTS: Fault[] = [
  {
    name: "etcd-server-no-loopback",
    // The API server dials https://127.0.0.1:2379 and gets "x509: certificate is valid for 192.168.56.10, ::1, not 127.0.0.1".
    breaks: "/etc/etcd/pki/server.crt, the certificate etcd.service serves with, was re-issued from etcd-ca with the same key but without the IP SAN 127.0.0.1, the host of kube-apiserver --etcd-servers",
    overrides: [
      {
        kind: "add-cert", cert: "etcd-server-external",
        spec: {
          ...KUBEADM_ETCD_SERVER, serial: "3e9a5d71c20b84f6",
          sans: { dns: KUBEADM_ETCD_SERVER.sans.dns, ip: KUBEADM_ETCD_SERVER.sans.ip.filter((ip) => ip !== "127.0.0.1") },
        },
      },
      { kind: "set-pem", path: `${ETCD_PKI}/server.crt`, certs: ["etcd-server-external"] },
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Samples

/** One sample cluster: where it goes, what it is, and how it is built. */
export interface Sample {
  /** Directory name under `sample-clusters/`. */
  name: string;
  /** One line for the index. */
  title: string;
  faults: Fault[];
  /** For a faulted sample: the exported name of its fault list and what kind of faults they are, for its README. */
  faultList?: {
    exportName: string;
    kind: string;
    note?: string;
    /** The README's first paragraph, when the sample is not simply `kubeadm-healthy` plus its faults. */
    intro?: string;
  };
  spec: NodeSpec;
}

const healthy = kubeadmNode(CP1_FACTS);

/** Every sample, in index order. */
export const SAMPLES: readonly Sample[] = [
  { name: "kubeadm-healthy", title: "kubeadm v1.31 init node, stacked etcd, RSA-2048, nothing wrong", faults: [], spec: healthy },
  {
    name: "kubeadm-broken",
    title: "the same node with eight classic certificate faults",
    faults: BROKEN_FAULTS,
    faultList: { exportName: "BROKEN_FAULTS", kind: "classic certificate faults" },
    spec: applyFaults(healthy, BROKEN_FAULTS),
  },
  {
    name: "kubeadm-trust-broken",
    title: "the same node where every certificate looks fine on its own, but nine trust faults break its connections",
    faults: TRUST_BROKEN_FAULTS,
    faultList: {
      exportName: "TRUST_BROKEN_FAULTS",
      kind: "trust faults",
      note:
        "Every certificate here is well-formed on its own: right CN and O, right usages, valid at the audit time, and its key matches. " +
        "What breaks is the trust between the two ends of a connection: who signed a certificate, which CA the other end is " +
        "configured with, and which name a client dials. An audit that looks at certificates one by one finds almost nothing.",
    },
    spec: applyFaults(healthy, TRUST_BROKEN_FAULTS),
  },
  {
    name: "kubeadm-insecure",
    title: "the same node with a sound PKI but unsafe settings and file modes around it",
    faults: INSECURE_FAULTS,
    faultList: {
      exportName: "INSECURE_FAULTS",
      kind: "security-setting faults",
      note:
        "Every certificate and key is exactly the healthy node's. The faults are in the flags, the kubelet configuration and the " +
        "file modes. Git keeps no file modes but the executable bit, so the four modes of fault 11 exist only after " +
        "`node scripts/restore-modes.mjs` has applied `sample-clusters/MODES` (`npm test` and `npm ci` run it); audit a fresh " +
        "checkout without it and fault 11 is invisible while every other key and kubeconfig looks too open.",
    },
    spec: applyFaults(healthy, INSECURE_FAULTS),
  },
  {
    name: "kubeadm-ca-problems",
    title: "the same node with three CA-file faults: an expired front-proxy CA, a leaf in the client CA bundle, an etcd CA about to expire",
    faults: CA_PROBLEMS_FAULTS,
    faultList: {
      exportName: "CA_PROBLEMS_FAULTS",
      kind: "CA-file faults",
      note:
        "Every fault is in a CA file; every leaf certificate is byte-identical to `kubeadm-healthy`'s. Two CAs are re-issued " +
        "with their own key and subject but a one-year life, so every signature still verifies (signatures carry no dates) " +
        "while the chains stop being valid on the CA's date, not the leaf's. The third fault puts a leaf among the trust " +
        "anchors of the API server's client CA bundle, next to the real cluster CA.",
    },
    spec: applyFaults(healthy, CA_PROBLEMS_FAULTS),
  },
  {
    name: "kubeadm-external-etcd",
    title: "the same node with etcd run by a systemd unit instead of a static pod (layout mixed), whose serving certificate lacks 127.0.0.1",
    faults: EXTERNAL_ETCD_FAULTS,
    faultList: {
      exportName: "EXTERNAL_ETCD_FAULTS",
      kind: "fault",
      intro:
        "The `kubeadm-healthy` node (same facts) with etcd run by systemd instead of as a static pod (`externalEtcdNode` in " +
        "`scripts/samples/spec.ts`): `etc/kubernetes/manifests/etcd.yaml` is gone, and `etc/systemd/system/etcd.service` runs " +
        "`/usr/local/bin/etcd` with kubeadm's certificate flags pointed at copies of the etcd CA certificate and of the serving " +
        "and peer pairs under `/etc/etcd/pki/`; its drop-in `etcd.service.d/10-env.conf` defines `ETCD_DATA_DIR`, which " +
        "`--data-dir=${ETCD_DATA_DIR}` uses. The API server keeps `--etcd-servers=https://127.0.0.1:2379` and " +
        "`--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt` (byte-identical to `/etc/etcd/pki/ca.crt`), and kubeadm's own files " +
        "under `/etc/kubernetes/pki/etcd/` stay where they were. Static pods plus a control-plane unit make the layout `mixed`, " +
        "on which both the `kubernetes` and the `kubeadm` rule profiles apply. One fault is applied as a named override " +
        "(`EXTERNAL_ETCD_FAULTS`); every file of `kubeadm-healthy` but etcd.yaml is here byte for byte.",
    },
    spec: applyFaults(externalEtcdNode(healthy), EXTERNAL_ETCD_FAULTS),
  },
  // Hand-built ("the hard way") nodes run by systemd units: scripts/samples/hardway.ts.
  hardway2021Sample(),
  hardway2024Sample(),
];
