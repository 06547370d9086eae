import type { CertificatePurpose, CertReference, Facts } from "../../src/model.js";
import { buildContext } from "../../src/check/context.js";
import { runChecks } from "../../src/check/run.js";
import type { CheckContext, CheckKind, Endpoints, LoadedReference, LoadResult } from "../../src/check/types.js";
import { parseFlags } from "../../src/discover/flags.js";
import type { DecodedCertificate } from "../../src/load/certificate.js";
import type { Material } from "../../src/load/material.js";
import type { PublicKeyFingerprint } from "../../src/load/keys.js";
import { loadRules } from "../../src/load/rules-files.js";
import type { ReferenceKind, RoleRule, RuleSet, SecuritySetting, TrustEdge } from "../../src/rules/types.js";
import type { Finding } from "../../src/model.js";
import type { DiscoveryProblem } from "../../src/discover/discover.js";
import type { FileProblem, FileProblemKind } from "../../src/load/root-fs.js";
import { AT, makeCert, type CertSpec } from "./certs.js";

/** The package's rules, checked against their schemas (the CLI trusts them; the tests make sure). */
export const BUNDLED_RULES: RuleSet = loadRules(undefined, { validateBundled: true });

/** Facts of the sample node used throughout the unit tests. */
export const FACTS: Facts = {
  hostname: "cp-1",
  nodeName: "cp-1",
  advertiseAddress: "192.168.56.10",
  serviceIP: "10.96.0.1",
  clusterDomain: "cluster.local",
  etcdServerHosts: ["127.0.0.1"],
};

/** The sample node's facts with some left out (as when they could not be determined). */
export function factsWithout(...names: Array<keyof Facts>): Facts {
  const facts: Facts = { ...FACTS };
  for (const name of names) delete facts[name];
  return facts;
}

export function material(parts: Partial<Material> = {}): Material {
  return { certificates: [], privateKeys: [], publicKeys: [], problems: [], ...parts };
}

/** One reference as a test states it: who names which file, and what the file holds. */
export interface RefSpec {
  component: string;
  flag?: string;
  field?: string;
  path: string;
  kind?: Exclude<ReferenceKind, "kubeconfig">;
  purpose?: CertificatePurpose;
  /** Role id from the bundled rules (or `roles` given to contextOf). */
  role?: string;
  /** What the file holds: certificates (a bundle if several), or a LoadResult for file problems. */
  certs?: DecodedCertificate[];
  content?: Material;
  result?: LoadResult;
  key?: { path: string; flag?: string; field?: string; privateKeys?: PublicKeyFingerprint[]; result?: LoadResult };
  optional?: boolean;
  /** The kubeconfig the reference comes from; it is then also the reference's source, as the resolver makes it. */
  kubeconfig?: string;
  /** A `…-data` field: the material is embedded in `kubeconfig` (located there), not a file of its own. */
  embedded?: boolean;
}

/**
 * Where components connect to, as a test states it: each component's flags as its argv (parsed
 * the way pflag reads them; a component with flags runs on this node), the file they come from,
 * the kubeconfigs and the kubelet config fields.
 */
export interface EndpointsSpec {
  flags?: Record<string, string[]>;
  sources?: Endpoints["sources"];
  kubeconfigs?: Endpoints["kubeconfigs"];
  kubeletFields?: Endpoints["kubeletFields"];
}

export interface ContextSpec {
  refs: RefSpec[];
  facts?: Facts;
  at?: Date;
  warnWithinDays?: number;
  criticalWithinDays?: number;
  /** Extra or replacement roles (by id) on top of the bundled rules. */
  roles?: RoleRule[];
  discoveryProblems?: DiscoveryProblem[];
  /** Flags, manifests, kubeconfigs and kubelet fields (none when absent: no component discovered). */
  endpoints?: EndpointsSpec;
  /** Check file ownership (an audit run as root). */
  checkOwnership?: boolean;
  /** The rule profiles in force (default: kubernetes and kubeadm). */
  profiles?: string[];
}

export function endpointsOf({ flags = {}, sources = {}, kubeconfigs = [], kubeletFields }: EndpointsSpec): Endpoints {
  return {
    flags: Object.fromEntries(Object.entries(flags).map(([component, argv]) => [component, parseFlags([component, ...argv])])),
    sources,
    kubeconfigs,
    ...(kubeletFields ? { kubeletFields } : {}),
  };
}

/** A context built by the real buildContext from references a test describes. */
export function contextOf(spec: ContextSpec): CheckContext {
  const roles = new Map(BUNDLED_RULES.roles.map((role) => [role.id, role]));
  for (const role of spec.roles ?? []) roles.set(role.id, role);
  const references: LoadedReference[] = spec.refs.map((r) => {
    const ref: CertReference = { component: r.component, source: r.kubeconfig ?? `/test/${r.component}`, purpose: r.purpose ?? "client" };
    if (r.flag) ref.flag = r.flag;
    if (r.field) ref.field = r.field;
    if (r.role) ref.role = r.role;
    const loaded: LoadedReference = {
      resolved: {
        ref,
        kind: r.kind ?? "certificate",
        location: r.embedded && r.field ? { kind: "embedded", path: r.kubeconfig ?? r.path, field: r.field, data: "(base64)" } : { kind: "file", path: r.path },
        namedPath: r.path,
        ...(r.optional ? { optional: true } : {}),
        ...(r.kubeconfig ? { kubeconfig: r.kubeconfig } : {}),
      },
      result: r.result ?? { material: r.content ?? material({ certificates: r.certs ?? [] }) },
    };
    if (r.key) {
      loaded.resolved.key = { location: { kind: "file", path: r.key.path }, namedPath: r.key.path, ...(r.key.flag ? { flag: r.key.flag } : {}), ...(r.key.field ? { field: r.key.field } : {}) };
      loaded.keyResult = r.key.result ?? { material: material({ privateKeys: r.key.privateKeys ?? [] }) };
    }
    return loaded;
  });
  return buildContext({
    at: spec.at ?? AT,
    warnWithinDays: spec.warnWithinDays ?? 30,
    criticalWithinDays: spec.criticalWithinDays ?? 7,
    facts: spec.facts ?? FACTS,
    rules: { ...BUNDLED_RULES, roles: [...roles.values()] },
    references,
    discoveryProblems: spec.discoveryProblems ?? [],
    ...(spec.endpoints ? { endpoints: endpointsOf(spec.endpoints) } : {}),
    ...(spec.checkOwnership !== undefined ? { checkOwnership: spec.checkOwnership } : {}),
    ...(spec.profiles ? { profiles: spec.profiles } : {}),
  });
}

/**
 * Run one check kind through the real runner (ids and citations stamped as in production), with
 * `alongside` check kinds in the same run (their findings are sorted in with its own).
 */
export function findingsOf(check: CheckKind, spec: ContextSpec, alongside: readonly CheckKind[] = []): Finding[] {
  return runChecks(contextOf(spec), [check, ...alongside]).findings;
}

function bundled<T extends { id: string }>(what: string, rules: readonly T[], id: string): T {
  const found = rules.find((r) => r.id === id);
  if (!found) throw new Error(`no bundled ${what} ${id}`);
  return found;
}
export const role = (id: string): RoleRule => bundled("role", BUNDLED_RULES.roles, id);
/** A connection of rules/edges.yaml. */
export const edge = (id: string): TrustEdge => bundled("edge", BUNDLED_RULES.edges, id);
/** A row of rules/settings.yaml. */
export const setting = (id: string): SecuritySetting => bundled("setting", BUNDLED_RULES.settings, id);

/**
 * Where a kubeadm control-plane node names the file of each role (component, flag or field, path,
 * purpose), keyed by role id. A test adds the role and what the file holds: see kubeadmRef.
 */
export const KUBEADM_REFS = {
  apiserver: { component: "kube-apiserver", flag: "--tls-cert-file", path: "/etc/kubernetes/pki/apiserver.crt", purpose: "serving" },
  "apiserver-etcd-client": { component: "kube-apiserver", flag: "--etcd-certfile", path: "/etc/kubernetes/pki/apiserver-etcd-client.crt" },
  "apiserver-kubelet-client": { component: "kube-apiserver", flag: "--kubelet-client-certificate", path: "/etc/kubernetes/pki/apiserver-kubelet-client.crt" },
  "etcd-server": { component: "etcd", flag: "--cert-file", path: "/etc/kubernetes/pki/etcd/server.crt", purpose: "serving" },
  "etcd-peer": { component: "etcd", flag: "--peer-cert-file", path: "/etc/kubernetes/pki/etcd/peer.crt", purpose: "peer" },
  "kubelet-client": {
    component: "kubelet",
    flag: "--kubeconfig",
    field: "client-certificate",
    path: "/var/lib/kubelet/pki/kubelet-client-current.pem",
    kubeconfig: "/etc/kubernetes/kubelet.conf",
  },
  "kubelet-serving": { component: "kubelet", field: "tlsCertFile", path: "/var/lib/kubelet/pki/kubelet.crt", purpose: "serving" },
  "scheduler.conf": { component: "kube-scheduler", flag: "--kubeconfig", field: "client-certificate-data", path: "/etc/kubernetes/scheduler.conf" },
  "admin.conf": { component: "kubectl", field: "client-certificate-data", path: "/etc/kubernetes/admin.conf", kubeconfig: "/etc/kubernetes/admin.conf" },
  ca: { component: "kube-apiserver", flag: "--client-ca-file", path: "/etc/kubernetes/pki/ca.crt", kind: "ca-bundle", purpose: "verify-clients" },
  "etcd-ca": { component: "kube-apiserver", flag: "--etcd-cafile", path: "/etc/kubernetes/pki/etcd/ca.crt", kind: "ca-bundle", purpose: "verify-server" },
} satisfies Record<string, Omit<RefSpec, "role" | "certs">>;
export type KubeadmRole = keyof typeof KUBEADM_REFS;

/** A CA bundle reference: `who` names the file (component, flag or field, purpose, role), which holds `certs`. */
export function caBundle(who: Omit<RefSpec, "path" | "kind" | "certs">, path: string, certs: DecodedCertificate[]): RefSpec {
  return { ...who, path, kind: "ca-bundle", certs };
}

/** The kubeadm reference of `role` (KUBEADM_REFS) with its role set; `file` adds what the file holds or overrides a field. */
export function kubeadmRef(role: KubeadmRole, file: Partial<RefSpec> = {}): RefSpec {
  return { ...KUBEADM_REFS[role], role, ...file };
}

/** The kubelet's rotated serving certificate (serverTLSBootstrap): certificate and key in one PEM file. */
export const KUBELET_SERVER_PEM = "/var/lib/kubelet/pki/kubelet-server-current.pem";

/**
 * kubelet tlsCertFile and tlsPrivateKeyFile both naming KUBELET_SERVER_PEM (role kubelet-serving):
 * `file` says what the file holds as a certificate file, `key` what it holds as a key file.
 */
export function kubeletServerPem(file: Partial<RefSpec>, key: Omit<NonNullable<RefSpec["key"]>, "path">): RefSpec {
  return kubeadmRef("kubelet-serving", { path: KUBELET_SERVER_PEM, ...file, key: { path: KUBELET_SERVER_PEM, field: "tlsPrivateKeyFile", ...key } });
}

/**
 * A context of one kubeadm reference of `role` whose file holds one certificate built from `cert`
 * (a CertSpec, or a function giving one when it needs awaiting), plus `context` (facts, at, …).
 */
export function withCert(role: KubeadmRole, cert: CertSpec | (() => Promise<CertSpec>), context: Partial<ContextSpec> = {}): () => Promise<ContextSpec> {
  return async () => {
    const spec = typeof cert === "function" ? await cert() : cert;
    return { refs: [kubeadmRef(role, { certs: [(await makeCert(spec)).cert] })], ...context };
  };
}

/** RootFs's wording of each file problem (src/load/root-fs.ts). */
const FILE_PROBLEM_MESSAGES: Record<FileProblemKind, (path: string) => string> = {
  missing: (path) => `${path} does not exist`,
  "not-a-file": (path) => `${path} is a directory`,
  unreadable: (path) => `${path} is not readable (permission denied)`,
  "too-large": (path) => `${path} is 5000000 bytes, more than the 4194304-byte limit for a certificate, key or config file`,
  "symlink-loop": (path) => `too many levels of symbolic links at ${path}`,
};

/** A file problem as RootFs reports it, as a LoadResult (`result` or `key.result` of a RefSpec). */
export function fileProblem(kind: FileProblemKind, path: string, message: string = FILE_PROBLEM_MESSAGES[kind](path)): { problem: FileProblem } {
  return { problem: { problem: kind, path, message } };
}

/**
 * A problem discovery reports about a config file (ContextSpec.discoveryProblems); its message is
 * `<about> (<id>)`, `about` being the path unless given.
 */
export function discoveryProblem(
  id: DiscoveryProblem["id"],
  severity: DiscoveryProblem["severity"],
  where: Pick<DiscoveryProblem, "component" | "path" | "flag">,
  about: string = where.path,
): DiscoveryProblem {
  return { id, severity, component: where.component, path: where.path, flag: where.flag, message: `${about} (${id})` };
}
