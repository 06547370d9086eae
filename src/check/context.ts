import { SEVERITY_ORDER, type Facts, type Severity } from "../model.js";
import type { DiscoveryProblem } from "../discover/discover.js";
import { signedBy } from "../load/certificate.js";
import { locationKey } from "../resolve/references.js";
import type { RoleRule, RuleSet } from "../rules/types.js";
import type { AuditedCertificate, CheckContext, Endpoints, LoadedReference } from "./types.js";

export interface ContextInput {
  at: Date;
  warnWithinDays: number;
  criticalWithinDays: number;
  facts: Facts;
  rules: RuleSet;
  references: LoadedReference[];
  discoveryProblems: DiscoveryProblem[];
  endpoints?: Endpoints;
  checkOwnership?: boolean;
}

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
  const issuerCache = new Map<AuditedCertificate, AuditedCertificate[]>();
  return {
    ...input,
    endpoints: input.endpoints ?? { flags: {}, sources: {}, kubeconfigs: [] },
    checkOwnership: input.checkOwnership ?? false,
    certificates,
    caCertificates: (roleId) => certificates.filter((c) => c.trustedAsCA && c.roles.some((role) => role.id === roleId)),
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
