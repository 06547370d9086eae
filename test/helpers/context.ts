import type { CertificatePurpose, CertReference, Facts } from "../../src/model.js";
import { buildContext } from "../../src/check/context.js";
import { runChecks } from "../../src/check/run.js";
import type { CheckContext, CheckKind, LoadedReference, LoadResult } from "../../src/check/types.js";
import type { DecodedCertificate } from "../../src/load/certificate.js";
import type { Material } from "../../src/load/material.js";
import type { PublicKeyFingerprint } from "../../src/load/keys.js";
import { loadRules } from "../../src/load/rules-files.js";
import type { ReferenceKind, RoleRule, RuleSet } from "../../src/rules/types.js";
import type { Finding } from "../../src/model.js";
import type { DiscoveryProblem } from "../../src/discover/discover.js";
import { AT } from "./certs.js";

export const BUNDLED_RULES: RuleSet = loadRules();

/** Facts of the sample node used throughout the unit tests. */
export const FACTS: Facts = {
  hostname: "cp-1",
  nodeName: "cp-1",
  advertiseAddress: "192.168.56.10",
  serviceIP: "10.96.0.1",
  clusterDomain: "cluster.local",
  etcdServerHosts: ["127.0.0.1"],
};

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
  kubeconfig?: string;
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
}

/** A context built by the real buildContext from references a test describes. */
export function contextOf(spec: ContextSpec): CheckContext {
  const roles = new Map(BUNDLED_RULES.roles.map((role) => [role.id, role]));
  for (const role of spec.roles ?? []) roles.set(role.id, role);
  const references: LoadedReference[] = spec.refs.map((r) => {
    const ref: CertReference = { component: r.component, source: `/test/${r.component}`, purpose: r.purpose ?? "client" };
    if (r.flag) ref.flag = r.flag;
    if (r.field) ref.field = r.field;
    if (r.role) ref.role = r.role;
    const loaded: LoadedReference = {
      resolved: {
        ref,
        kind: r.kind ?? "certificate",
        location: { kind: "file", path: r.path },
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
  });
}

/** Run one check kind through the real runner (ids and citations stamped as in production). */
export function findingsOf(check: CheckKind, spec: ContextSpec): Finding[] {
  return runChecks(contextOf(spec), [check]).findings;
}

export function role(id: string): RoleRule {
  const found = BUNDLED_RULES.roles.find((r) => r.id === id);
  if (!found) throw new Error(`no bundled role ${id}`);
  return found;
}
