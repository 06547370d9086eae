import { SEVERITY_ORDER, type Facts, type Severity } from "../model.js";
import { signedBy } from "../load/certificate.js";
import { locationKey } from "../resolve/references.js";
import type { RoleRule } from "../rules/types.js";
import { expandTemplate, matchesPattern } from "./templates.js";
import type { AuditedCertificate, CaConsensus, CaGroup, CheckContext, LoadedReference } from "./types.js";

/** What buildContext is given: the context's plain data, with endpoints and ownership optional. */
export type ContextInput = Pick<CheckContext, "at" | "warnWithinDays" | "criticalWithinDays" | "facts" | "rules" | "references" | "discoveryProblems"> &
  Partial<Pick<CheckContext, "endpoints" | "checkOwnership" | "profiles">>;

/**
 * Group loaded references into one AuditedCertificate per certificate position, with every
 * reference and role attached, and give checks cached signature lookups.
 */
export function buildContext(input: ContextInput): CheckContext {
  const byLocation = new Map<string, AuditedCertificate[]>();
  const roleById = new Map(input.rules.roles.map((role) => [role.id, role]));
  /** Roles of every reference to a location (undefined for a reference no role matched). */
  const rolesByLocation = new Map<string, Array<RoleRule | undefined>>();
  for (const loaded of input.references) {
    const { resolved, result } = loaded;
    if (!resolved.location || !("material" in result)) continue;
    if (resolved.kind !== "certificate" && resolved.kind !== "ca-bundle") continue;
    const key = locationKey(resolved.location);
    let certificates = byLocation.get(key);
    if (!certificates) {
      const location = resolved.location;
      const resolvedPath = result.resolvedPath !== undefined && result.resolvedPath !== location.path ? { resolvedPath: result.resolvedPath } : {};
      certificates = result.material.certificates.map((cert, index) => ({
        location,
        path: location.path,
        ...resolvedPath,
        index,
        cert,
        references: [],
        roles: [],
        siblings: [],
        trustedAsCA: false,
      }));
      for (const certificate of certificates) certificate.siblings = certificates.filter((other) => other !== certificate);
      byLocation.set(key, certificates);
    }
    const role = resolved.ref.role ? roleById.get(resolved.ref.role) : undefined;
    rolesByLocation.set(key, [...(rolesByLocation.get(key) ?? []), role]);
    const isBundle = resolved.kind === "ca-bundle";
    certificates.forEach((certificate, index) => {
      // A certificate file's first block is the certificate; the rest is its chain.
      if (!isBundle && index > 0) return;
      if (!certificate.references.includes(resolved.ref)) certificate.references.push(resolved.ref);
      if (role && !certificate.roles.includes(role)) certificate.roles.push(role);
      if (isBundle || role?.isCA) certificate.trustedAsCA = true;
    });
  }
  // A validity cap holds only when every use of the file says nobody verifies it.
  for (const [key, roles] of rolesByLocation) {
    const caps = roles.map((role) => role?.expirySeverity);
    if (caps.some((cap) => cap === undefined)) continue;
    const cap = (caps as Severity[]).reduce((a, b) => (SEVERITY_ORDER.indexOf(a) >= SEVERITY_ORDER.indexOf(b) ? a : b));
    for (const certificate of byLocation.get(key) ?? []) certificate.expirySeverityCap = cap;
  }
  const certificates = [...byLocation.values()].flat();
  // A chain member is shown with the reference of the file's first certificate, without its role.
  for (const certificate of certificates) {
    const owner = certificate.siblings.find((sibling) => sibling.index === 0);
    if (certificate.references.length === 0 && owner?.references[0]) {
      const { role: _ownerRole, ...reference } = owner.references[0];
      certificate.references.push(reference);
    }
  }
  const caPool = certificates.filter((c) => c.trustedAsCA || c.cert.basicConstraints?.ca === true);
  const consensus = new Map<string, CaConsensus>();
  for (const [roleId, groups] of caGroupsByRole(input.references, byLocation, roleById)) {
    consensus.set(roleId, agree(roleId, groups, roleById, certificates, input.facts));
  }
  const issuerCache = new Map<AuditedCertificate, AuditedCertificate[]>();
  return {
    ...input,
    endpoints: input.endpoints ?? { flags: {}, sources: {}, kubeconfigs: [] },
    checkOwnership: input.checkOwnership ?? false,
    // Without a layout to go by (tests of single checks), kubeadm's conventions.
    profiles: input.profiles ?? ["kubernetes", "kubeadm"],
    certificates,
    certificatesAt: (location) => byLocation.get(locationKey(location)) ?? [],
    caCertificates: (roleId) => {
      const agreed = consensus.get(roleId);
      if (!agreed) return [];
      const outlying = new Set(agreed.outliers.flatMap((group) => group.certificates));
      return certificates.filter((c) => c.trustedAsCA && c.roles.some((role) => role.id === roleId) && !outlying.has(c));
    },
    caConsensus: (roleId) => consensus.get(roleId),
    issuersOf(certificate) {
      let issuers = issuerCache.get(certificate);
      if (!issuers) {
        const seen = new Set<string>();
        issuers = caPool.filter((ca) => {
          if (ca.cert.fingerprintSha256 === certificate.cert.fingerprintSha256 || seen.has(ca.cert.fingerprintSha256)) return false;
          if (!signedBy(certificate.cert, ca.cert)) return false;
          seen.add(ca.cert.fingerprintSha256);
          return true;
        });
        issuerCache.set(certificate, issuers);
      }
      return issuers;
    },
    role: (id) => roleById.get(id),
  };
}

/** Group the references of each CA role by the set of CA certificates their file holds. */
function caGroupsByRole(
  references: LoadedReference[],
  byLocation: Map<string, AuditedCertificate[]>,
  roleById: Map<string, RoleRule>,
): Map<string, CaGroup[]> {
  const byRole = new Map<string, CaGroup[]>();
  for (const { resolved } of references) {
    const role = resolved.ref.role ? roleById.get(resolved.ref.role) : undefined;
    if (!role?.isCA || !resolved.location) continue;
    const inFile = byLocation.get(locationKey(resolved.location)) ?? [];
    // A certificate reference to a CA role (the signing cert) stands for its first certificate only.
    const held = resolved.kind === "ca-bundle" ? inFile : inFile.slice(0, 1);
    if (held.length === 0) continue;
    const fingerprints = new Set(held.map((c) => c.cert.fingerprintSha256));
    const label = [...fingerprints].sort().join(",");
    const groups = byRole.get(role.id) ?? [];
    let group = groups.find((g) => [...g.fingerprints].sort().join(",") === label);
    if (!group) {
      group = { certificates: held, fingerprints, references: [] };
      groups.push(group);
    }
    group.references.push({ ref: resolved.ref, path: resolved.location.path });
    byRole.set(role.id, groups);
  }
  return byRole;
}

/**
 * Decide which group of a CA role the node agrees on: the one most references name; on a tie,
 * the one with the most evidence — certificates of roles issued by this CA that it signed, then a
 * subject CN the role expects — and only then the first found.
 */
function agree(roleId: string, groups: CaGroup[], roleById: Map<string, RoleRule>, certificates: AuditedCertificate[], facts: Facts): CaConsensus {
  const role = roleById.get(roleId);
  const issued = certificates.filter((c) => c.roles.some((r) => r.issuer === roleId));
  const expectedCNs = (role?.cn?.anyOf ?? []).flatMap((template) => expandTemplate(template, facts).values);
  const evidence = (group: CaGroup) =>
    issued.filter((c) => group.certificates.some((ca) => signedBy(c.cert, ca.cert))).length * 2 +
    (group.certificates.some((ca) => ca.cert.subject.cn !== null && expectedCNs.some((cn) => matchesPattern(cn, ca.cert.subject.cn!))) ? 1 : 0);
  if (groups.length === 1) return { agreed: groups[0]!, outliers: [] };
  const ranked = groups
    .map((group, order) => ({ group, order, score: evidence(group) }))
    .sort((a, b) => b.group.references.length - a.group.references.length || b.score - a.score || a.order - b.order);
  const agreed = ranked[0]!.group;
  const outliers = ranked.slice(1).map((r) => r.group).filter((group) => ![...group.fingerprints].some((fp) => agreed.fingerprints.has(fp)));
  return { agreed, outliers };
}
