import type { CertificatePurpose, Severity } from "../model.js";

export type ReferenceKind = "certificate" | "ca-bundle" | "public-key" | "private-key" | "kubeconfig";

/** One row of rules/references.yaml: a flag or config field that names a file. */
export interface ReferenceRule {
  flag?: string;
  field?: string;
  kind: ReferenceKind;
  purpose: CertificatePurpose;
  keyFlag?: string;
  keyField?: string;
}

/** Selects the references a role applies to (rules/roles/*.yaml `match`). */
export interface RoleMatch {
  component?: string;
  flag?: string;
  field?: string;
  kubeconfig?: string;
  path?: string;
  keyPath?: string;
  purpose?: string;
  optional?: boolean;
}

export interface Expectation {
  anyOf: string[];
  severity: Severity;
  why?: string;
  /** A convention of this profile only: not checked on nodes where it is not in force. */
  profile?: "kubeadm" | "hardway";
}

/** One certificate role: what a certificate that plays it must look like. */
export interface RoleRule {
  id: string;
  title: string;
  profile: "kubernetes" | "kubeadm" | "hardway";
  isCA?: boolean;
  match: RoleMatch[];
  issuer?: string;
  cn?: Expectation;
  o?: { anyOf: string[][]; severity: Severity; why?: string };
  sans?: { dns?: string[]; ip?: string[]; severity: Severity };
  keyUsage?: string[];
  extKeyUsage?: Array<"serverAuth" | "clientAuth">;
  expirySeverity?: Severity;
  renew?: string;
  regenerate?: string;
  restart?: string;
  /**
   * The profile whose nodes the renew/regenerate/restart commands are for (kubeadm's commands on
   * a role that holds everywhere); on other nodes the fix is the generic openssl re-issue.
   */
  commandsProfile?: "kubeadm" | "hardway";
  citation: string;
  notes?: string;
  /** Where the rule came from, for error messages and `kube-cert-audit rules`. */
  source: string;
}

/** One end of a TLS connection (rules/edges.yaml). */
export interface EdgeEnd {
  component: string;
  /** The certificate this end presents. */
  cert?: RoleMatch;
  /** The CA bundle this end verifies the other end with. */
  trusts?: RoleMatch;
  /** A URL-list flag or kubeconfig whose hosts the client dials. */
  dials?: RoleMatch;
  /** Host names the client dials, as templates over node facts. */
  dialsFacts?: string[];
}

/** A TLS connection: each end's certificate must verify against what the other end trusts. */
export interface TrustEdge {
  id: string;
  title: string;
  client: EdgeEnd;
  server: EdgeEnd;
  symptom: string;
  /** The fix when the generic one does not fit. */
  remedy?: string;
  citation: string;
}

/** When a security setting is a problem (exactly one key set). */
export interface SettingCondition {
  present?: true;
  absent?: true;
  "http-url"?: true;
  equals?: string;
  "not-equals"?: string;
  "missing-or-not"?: string;
  contains?: string;
}

/** One row of rules/settings.yaml: a flag or config field around certificates that weakens security. */
export interface SecuritySetting {
  id: string;
  component: string;
  flag?: string;
  field?: string;
  condition: SettingCondition;
  severity: Severity;
  title: string;
  why: string;
  remediation: string;
  citation: string;
  /** Another flag of the same component that defuses the setting; when set, the severity drops. */
  softenedBy?: { flag: string; severity: Severity; why: string };
  /**
   * The setting is about TLS listeners: it applies only when this URL-list flag (or, unset, its
   * default) names an https:// URL. A listener without TLS never asks for certificates, and the
   * plain-HTTP setting reports it instead.
   */
  onlyOverTls?: { flag: string; default: string };
}

export interface RuleSet {
  references: Record<string, ReferenceRule[]>;
  roles: RoleRule[];
  edges: TrustEdge[];
  settings: SecuritySetting[];
}
