import type { CertReference } from "../model.js";
import type { Discovery, DiscoveredKubeconfig } from "../discover/discover.js";
import { flagValue } from "../discover/flags.js";
import { matchesPattern } from "../rules/pattern.js";
import type { ReferenceKind, RoleMatch, RoleRule, RuleSet } from "../rules/types.js";

/** Where a certificate or key lives: a file on the node, or base64 data inside a kubeconfig. */
export type MaterialLocation = { kind: "file"; path: string } | { kind: "embedded"; path: string; field: string; data: string };

export interface KeyReference {
  /** null when the key is named but not visible to the component (not mounted). */
  location: MaterialLocation | null;
  namedPath: string;
  flag?: string;
  field?: string;
}

/** A reference with everything the loader and the checks need. */
export interface ResolvedReference {
  ref: CertReference;
  kind: Exclude<ReferenceKind, "kubeconfig">;
  /** null when the path the component names is not visible to it (not mounted). */
  location: MaterialLocation | null;
  /** The path exactly as the flag or field names it (a container path for static pods). */
  namedPath: string;
  key?: KeyReference;
  /** A well-known file that no flag names: its absence is normal, not a finding. */
  optional?: boolean;
  /** The kubeconfig the reference came from, for kubeconfig-scoped role matches. */
  kubeconfig?: string;
}

export function locationKey(location: MaterialLocation): string {
  return location.kind === "file" ? location.path : `${location.path}#${location.field}`;
}

/**
 * Turn what was discovered into references to certificate, key and CA material, and give each the
 * role (of the active profiles) it plays.
 */
export function resolveReferences(discovery: Discovery, rules: RuleSet, profiles: readonly string[]): ResolvedReference[] {
  const roles = rules.roles.filter((role) => profiles.includes(role.profile));
  const resolved: ResolvedReference[] = [];
  for (const component of discovery.components) {
    for (const rule of rules.references[component.name] ?? []) {
      if (!rule.flag || rule.kind === "kubeconfig") continue;
      const value = flagValue(component.flags, rule.flag);
      if (!value) continue;
      // --service-account-key-file may be given several times; every value is a reference.
      const values = rule.kind === "public-key" ? [...(component.flags.get(rule.flag) ?? [])] : [value];
      for (const named of values) {
        const entry: ResolvedReference = {
          ref: { component: component.name, flag: rule.flag, source: component.source, purpose: rule.purpose },
          kind: rule.kind,
          location: fileAt(component.toNodePath(named)),
          namedPath: named,
        };
        const keyNamed = rule.keyFlag ? flagValue(component.flags, rule.keyFlag) : undefined;
        if (rule.keyFlag && keyNamed) {
          entry.key = { location: fileAt(component.toNodePath(keyNamed)), namedPath: keyNamed, flag: rule.keyFlag };
        }
        resolved.push(entry);
      }
    }
  }
  for (const kubeconfig of discovery.kubeconfigs) resolved.push(...kubeconfigReferences(kubeconfig));
  if (discovery.kubelet) {
    const { config, source, toNodePath } = discovery.kubelet;
    const fields: Record<string, string | undefined> = { "authentication.x509.clientCAFile": config.clientCAFile, tlsCertFile: config.tlsCertFile };
    for (const rule of rules.references.kubelet ?? []) {
      if (!rule.field || rule.kind === "kubeconfig") continue;
      let named = fields[rule.field];
      let keyNamed = rule.keyField === "tlsPrivateKeyFile" ? config.tlsPrivateKeyFile : undefined;
      if (!named && rule.field === "tlsCertFile" && !config.serverTLSBootstrap) {
        // Without tlsCertFile the kubelet writes a self-signed pair into its --cert-dir.
        named = "/var/lib/kubelet/pki/kubelet.crt";
        keyNamed = "/var/lib/kubelet/pki/kubelet.key";
      }
      if (!named) continue;
      const entry: ResolvedReference = {
        ref: { component: "kubelet", field: rule.field, source, purpose: rule.purpose },
        kind: rule.kind,
        location: { kind: "file", path: toNodePath(named) },
        namedPath: named,
      };
      if (keyNamed && rule.keyField) entry.key = { location: { kind: "file", path: toNodePath(keyNamed) }, namedPath: keyNamed, field: rule.keyField };
      resolved.push(entry);
    }
  }
  for (const role of roles) resolved.push(...wellKnownReferences(role, resolved));
  for (const entry of resolved) {
    const role = roles.find((candidate) => candidate.match.some((match) => selectorMatches(match, entry)));
    if (role) entry.ref.role = role.id;
  }
  return resolved;
}

function fileAt(nodePath: string | null): MaterialLocation | null {
  return nodePath === null ? null : { kind: "file", path: nodePath };
}

function kubeconfigReferences(kubeconfig: DiscoveredKubeconfig): ResolvedReference[] {
  const { credentials: c, path, user } = kubeconfig;
  const base = { component: user, source: path, ...(kubeconfig.flag ? { flag: kubeconfig.flag } : {}) };
  const out: ResolvedReference[] = [];
  const place = (data: string | undefined, file: string | undefined, field: string) => {
    if (data) return { location: { kind: "embedded", path, field: `${field}-data`, data } as MaterialLocation, namedPath: path, field: `${field}-data` };
    if (file) return { location: fileAt(kubeconfig.toNodePath(file)), namedPath: file, field };
    return undefined;
  };
  const cert = place(c.clientCertificateData, c.clientCertificate, "client-certificate");
  if (cert) {
    const entry: ResolvedReference = {
      ref: { ...base, field: cert.field, purpose: "client" },
      kind: "certificate",
      location: cert.location,
      namedPath: cert.namedPath,
      kubeconfig: path,
    };
    const key = place(c.clientKeyData, c.clientKey, "client-key");
    if (key) entry.key = { location: key.location, namedPath: key.namedPath, field: key.field };
    out.push(entry);
  }
  const ca = place(c.certificateAuthorityData, c.certificateAuthority, "certificate-authority");
  if (ca) {
    out.push({ ref: { ...base, field: ca.field, purpose: "verify-server" }, kind: "ca-bundle", location: ca.location, namedPath: ca.namedPath, kubeconfig: path });
  }
  return out;
}

/** References for well-known files no flag names (etcd's healthcheck client), if present. */
function wellKnownReferences(role: RoleRule, existing: ResolvedReference[]): ResolvedReference[] {
  const out: ResolvedReference[] = [];
  for (const match of role.match) {
    if (!match.path) continue;
    if (existing.some((entry) => entry.location?.kind === "file" && entry.location.path === match.path)) continue;
    const entry: ResolvedReference = {
      ref: { component: match.component ?? role.id, source: match.path, purpose: (match.purpose as CertReference["purpose"]) ?? "client" },
      kind: role.isCA ? "ca-bundle" : "certificate",
      location: { kind: "file", path: match.path },
      namedPath: match.path,
      optional: match.optional ?? false,
    };
    if (match.keyPath) entry.key = { location: { kind: "file", path: match.keyPath }, namedPath: match.keyPath };
    out.push(entry);
  }
  return out;
}

/**
 * Does a rules selector (a role's `match` item, an edge end) pick this reference? A path selects
 * whatever reference names that file; otherwise component, flag, field and kubeconfig must agree.
 */
export function selectorMatches(match: RoleMatch, entry: ResolvedReference): boolean {
  if (match.path) return entry.location?.kind === "file" && entry.location.path === match.path;
  if (match.component && match.component !== entry.ref.component) return false;
  if (match.flag && match.flag !== entry.ref.flag) return false;
  if (match.field && entry.ref.field !== match.field && entry.ref.field !== `${match.field}-data`) return false;
  if (match.kubeconfig && (entry.kubeconfig === undefined || !matchesPattern(match.kubeconfig, entry.kubeconfig))) return false;
  // A component-and-flag match does not reach into the kubeconfig the flag names unless it asks
  // for a kubeconfig field, and vice versa.
  if (!match.field && entry.kubeconfig !== undefined) return false;
  return match.component !== undefined || match.kubeconfig !== undefined;
}
