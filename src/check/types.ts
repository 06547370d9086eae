import type { CertReference, Facts, Finding, Severity } from "../model.js";
import type { DecodedCertificate } from "../load/certificate.js";
import type { Material } from "../load/material.js";
import type { FileMode, FileProblem } from "../load/root-fs.js";
import type { DiscoveryProblem } from "../discover/discover.js";
import type { FlagMap } from "../discover/flags.js";
import type { MaterialLocation, ResolvedReference } from "../resolve/references.js";
import type { RoleRule, RuleSet } from "../rules/types.js";

/** What loading a location gave: decoded material, a file problem, or nothing (not mounted). */
export type LoadResult = { material: Material; resolvedPath?: string; fileMode?: FileMode } | { problem: FileProblem } | { notMounted: true };

export interface LoadedReference {
  resolved: ResolvedReference;
  result: LoadResult;
  keyResult?: LoadResult;
}

/** One certificate under audit: a position in a file or embedded value, and who uses it. */
export interface AuditedCertificate {
  location: MaterialLocation;
  /** Node path shown to the user (the kubeconfig for embedded data). */
  path: string;
  /** Where symlinks led, when that differs from `path` (kubelet-client-current.pem → …). */
  resolvedPath?: string;
  index: number;
  cert: DecodedCertificate;
  references: CertReference[];
  /** Roles this certificate plays: first of a certificate file, every one of a CA bundle. */
  roles: RoleRule[];
  /** Other certificates of the same file (a chain or a CA bundle). */
  siblings: AuditedCertificate[];
  /** True when it was named as a CA (CA bundle flag, or a CA role). */
  trustedAsCA: boolean;
  /** Cap on expiry severity from a role that says nobody verifies this file. */
  expirySeverityCap?: Severity;
}

/** Where components connect to: their flags and the kubeconfigs they use (for dialed hosts). */
export interface Endpoints {
  flags: Record<string, FlagMap>;
  /** The file each component's flags come from (its manifest or unit). */
  sources: Record<string, string>;
  /** KubeletConfiguration fields that were set, by dotted path, when a kubelet config was found. */
  kubeletFields?: Record<string, string>;
  kubeconfigs: Array<{ path: string; user: string; flag?: string; server: string | null; fileMode?: FileMode }>;
}

/** The references to one CA role that name the same set of CA certificates. */
export interface CaGroup {
  certificates: AuditedCertificate[];
  fingerprints: Set<string>;
  references: Array<{ ref: CertReference; path: string }>;
}

/** What the node agrees a CA role is, and the references that name a CA sharing nothing with it. */
export interface CaConsensus {
  agreed: CaGroup;
  /** Groups that share no certificate with the agreed one. */
  outliers: CaGroup[];
}

export interface CheckContext {
  at: Date;
  warnWithinDays: number;
  criticalWithinDays: number;
  facts: Facts;
  rules: RuleSet;
  references: LoadedReference[];
  certificates: AuditedCertificate[];
  /** The certificates loaded from one file or embedded field, in order (empty when none). */
  certificatesAt(location: MaterialLocation): readonly AuditedCertificate[];
  discoveryProblems: DiscoveryProblem[];
  endpoints: Endpoints;
  /** Check that files are owned by root: only meaningful when auditing as root (on the node). */
  checkOwnership: boolean;
  /** The rule profiles in force (kubernetes, plus kubeadm or hardway): which fix commands fit this node. */
  profiles: readonly string[];
  /**
   * Certificates of a CA role that the node agrees on: the references naming it are grouped by
   * the CA certificates they hold, and outlier groups (sharing none with the agreed one) are left
   * out, so a flag pointing at a stray CA cannot vouch for certificates.
   */
  caCertificates(roleId: string): AuditedCertificate[];
  caConsensus(roleId: string): CaConsensus | undefined;
  /** Loaded CA certificates whose key verifies `cert`'s signature (cached; never the cert itself). */
  issuersOf(cert: AuditedCertificate): AuditedCertificate[];
  role(id: string): RoleRule | undefined;
}

/** A finding before the runner stamps the check's id and, when missing, its citation. */
export type FindingDraft = Omit<Finding, "id" | "citation"> & { citation?: string; certificate?: AuditedCertificate };

/**
 * One kind of check: metadata a user can read (`kube-cert-audit explain ID`) and a pure function
 * of the context. The id is also the finding id.
 */
export interface CheckKind {
  id: string;
  title: string;
  /** One line: what is verified. */
  description: string;
  /** Where the requirement comes from (kubeadm source path, docs section, Go behaviour). */
  citation: string;
  /** Why it matters, in a few sentences. */
  explanation: string;
  /** How to fix it in general; findings carry the exact command for their case. */
  remediation: string;
  run(ctx: CheckContext): FindingDraft[];
}
