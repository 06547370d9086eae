/**
 * The result model shared by every stage. Plain, serialisable data: the JSON report, the table and
 * the terminal UI all render from these types.
 */

export type Severity = "info" | "warning" | "critical";
export const SEVERITY_ORDER: readonly Severity[] = ["info", "warning", "critical"];

export type Layout = "kubeadm" | "systemd" | "mixed" | "unknown";
export type ComponentKind = "static-pod" | "systemd" | "kubelet-config" | "kubeconfig";

/** What a referenced file is used for, from the point of view of the component that names it. */
export type CertificatePurpose =
  | "serving" // the component presents it to its clients
  | "client" // the component presents it to a server
  | "peer" // presented both ways between etcd members
  | "verify-clients" // CA bundle the component verifies its clients with
  | "verify-server" // CA bundle the component verifies a server with
  | "verify-peers"
  | "signing" // CA the component signs certificates with (controller-manager CSR signer)
  | "root-ca" // CA published to pods (controller-manager --root-ca-file)
  | "sa-public-key"
  | "sa-private-key";

/** A node-level fact that the rules' templates (`${nodeName}`, …) draw on. */
export interface Facts {
  hostname?: string;
  nodeName?: string;
  advertiseAddress?: string;
  serviceIP?: string;
  clusterDomain?: string;
  etcdServerHosts?: string[];
  apiServerHosts?: string[];
}

/** A component that runs on this node, or a kubeconfig file that a person or a component uses. */
export interface Component {
  name: string;
  kind: ComponentKind;
  /** The file it was discovered from, as a path inside the audited root ("/etc/…"). */
  source: string;
}

/**
 * One place that names a certificate, key or CA file: "kube-apiserver --etcd-cafile" or
 * "controller-manager.conf users[…].client-certificate-data".
 */
export interface CertReference {
  component: string;
  /** Command-line flag (static pod, systemd unit) that names the file. */
  flag?: string;
  /** Config-file or kubeconfig field that names or embeds the material. */
  field?: string;
  /** The file that holds the flag or field. */
  source: string;
  purpose: CertificatePurpose;
  /** Role from the rules table, when one matches this reference. */
  role?: string;
}

export interface DistinguishedName {
  cn: string | null;
  o: string[];
}

/** One decoded certificate as it appears in the report. */
export interface CertificateRecord {
  /** Path inside the audited root; for embedded kubeconfig data, the kubeconfig's path. */
  path: string;
  /** Where symlinks led, when that differs from `path`. */
  resolvedPath?: string;
  /** Position in a PEM bundle (0 for the first or only certificate). */
  index: number;
  references: CertReference[];
  roles: string[];
  subject: DistinguishedName;
  issuer: DistinguishedName;
  sans: { dns: string[]; ip: string[] };
  serial: string;
  notBefore: string;
  notAfter: string;
  daysRemaining: number;
  isCA: boolean;
  selfSigned: boolean;
  keyAlgorithm: string;
  keySize: number | null;
  signatureAlgorithm: string;
  keyUsage: string[];
  extKeyUsage: string[];
  fingerprintSha256: string;
  status: Severity | "ok";
}

export interface Finding {
  id: string;
  severity: Severity;
  component: string;
  path: string;
  flag: string | null;
  role: string | null;
  message: string;
  expected: string | null;
  actual: string | null;
  remediation: string;
  citation: string;
  /** The connection (rules/edges.yaml id) a trust-edge-broken finding is about. */
  connection?: string;
}

/**
 * A TLS connection of the control plane (rules/edges.yaml) this node takes part in: `ok` when both
 * ends are here and trust each other, `partial` when only one end is here (checked as far as this
 * node's files go), `broken` when a trust-edge-broken finding names it.
 */
export interface Connection {
  id: string;
  title: string;
  client: string;
  server: string;
  status: "ok" | "partial" | "broken";
}

export interface Report {
  schemaVersion: 1;
  tool: { name: string; version: string };
  generatedAt: string;
  evaluatedAt: string;
  node: {
    root: string;
    hostname: string | null;
    layout: Layout;
    profiles: string[];
    facts: Facts;
  };
  summary: {
    certificates: number;
    findings: number;
    bySeverity: { ok: number; info: number; warning: number; critical: number };
    exitCode: 0 | 1 | 2;
  };
  components: Component[];
  certificates: CertificateRecord[];
  connections: Connection[];
  findings: Finding[];
}
