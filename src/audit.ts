import type { Component, Layout, Report } from "./model.js";
import { discover, type Discovery } from "./discover/discover.js";
import type { KubeletConfig } from "./discover/kubelet-config.js";
import { isFileProblem, RootFs } from "./load/root-fs.js";
import { MaterialStore } from "./load/store.js";
import { loadReferences } from "./load/references.js";
import { resolveReferences } from "./resolve/references.js";
import { buildContext } from "./check/context.js";
import { runChecks } from "./check/run.js";
import { CHECKS } from "./check/registry.js";
import type { CheckContext, CheckKind } from "./check/types.js";
import { buildReport } from "./report/build.js";
import type { RuleSet } from "./rules/types.js";
import { kubeletEndpoint } from "./probe/kubelet-endpoint.js";
import { planProbes } from "./probe/plan.js";
import { probeChecksOver } from "./probe/registry.js";
import { runProbes, type Connect } from "./probe/tls.js";
import type { ProbeResult } from "./probe/types.js";

export interface AuditOptions {
  root: string;
  /** The audit time: every validity decision is made against it. */
  at: Date;
  /** When the report was produced (the real clock; only the CLI reads it). */
  generatedAt: Date;
  warnWithinDays: number;
  criticalWithinDays: number;
  rules: RuleSet;
  version: string;
  /** Which conventions to hold the node to; "auto" picks them from the layout discovered. */
  profile?: ProfileChoice;
  /** Report files not owned by root; the CLI turns it on when it runs as root, on the node itself. */
  checkOwnership?: boolean;
}

export const PROFILE_CHOICES = ["auto", "kubeadm", "hardway"] as const;
export type ProfileChoice = (typeof PROFILE_CHOICES)[number];

/**
 * The rule profiles in force: `kubernetes` (what Kubernetes enforces at run time) always, plus
 * kubeadm's naming conventions on kubeadm nodes (static pods) or hand-built ones' on systemd nodes.
 */
export function profilesFor(layout: Layout, choice: ProfileChoice): string[] {
  const convention = choice !== "auto" ? choice : layout === "systemd" ? "hardway" : layout === "unknown" ? undefined : "kubeadm";
  return convention ? ["kubernetes", convention] : ["kubernetes"];
}

/** Thrown when there is nothing to audit under the root: a usage problem, exit code 3. */
export class NothingToAuditError extends Error {}

function componentsOf(discovery: Discovery): Component[] {
  const components: Component[] = discovery.components.map(({ name, kind, source }) => ({ name, kind, source }));
  if (discovery.kubelet) components.push({ name: "kubelet", kind: "kubelet-config", source: discovery.kubelet.source });
  for (const kubeconfig of discovery.kubeconfigs) components.push({ name: kubeconfig.path.split("/").pop() as string, kind: "kubeconfig", source: kubeconfig.path });
  return components;
}

/** The KubeletConfiguration fields the rules can name, by their dotted path. */
function kubeletFields(config: KubeletConfig): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    "authentication.x509.clientCAFile": config.clientCAFile,
    "authentication.anonymous.enabled": config.anonymousAuth === undefined ? undefined : String(config.anonymousAuth),
    tlsCertFile: config.tlsCertFile,
    tlsPrivateKeyFile: config.tlsPrivateKeyFile,
    serverTLSBootstrap: String(config.serverTLSBootstrap),
  };
  return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** What the stages before the checks produced: everything the checks and the probe read. */
interface Prepared {
  fs: RootFs;
  discovery: Discovery;
  profiles: string[];
  ctx: CheckContext;
}

/** discover → resolve → load, and the context the checks read. */
function prepare(options: AuditOptions): Prepared {
  const fs = new RootFs(options.root);
  const discovery = discover(fs);
  if (discovery.components.length === 0 && discovery.kubeconfigs.length === 0 && !discovery.kubelet && discovery.problems.length === 0) {
    throw new NothingToAuditError(
      `nothing to audit under ${options.root}: no static pod manifests in etc/kubernetes/manifests, no kubeconfigs in etc/kubernetes, no kubelet config in var/lib/kubelet. Is --root the node's root file system?`,
    );
  }
  const profiles = profilesFor(discovery.layout, options.profile ?? "auto");
  const references = resolveReferences(discovery, options.rules, profiles);
  const loaded = loadReferences(new MaterialStore(fs), references);
  const ctx = buildContext({
    at: options.at,
    warnWithinDays: options.warnWithinDays,
    criticalWithinDays: options.criticalWithinDays,
    facts: discovery.facts,
    rules: options.rules,
    references: loaded,
    discoveryProblems: discovery.problems,
    checkOwnership: options.checkOwnership ?? false,
    profiles,
    endpoints: {
      flags: Object.fromEntries(discovery.components.map((c) => [c.name, c.flags])),
      sources: Object.fromEntries(discovery.components.map((c) => [c.name, c.source])),
      ...(discovery.kubelet ? { kubeletFields: kubeletFields(discovery.kubelet.config) } : {}),
      kubeconfigs: discovery.kubeconfigs.map((k) => ({
        path: k.path,
        user: k.user,
        ...(k.flag ? { flag: k.flag } : {}),
        server: k.credentials.server,
        fileMode: k.fileMode,
      })),
    },
  });
  return { fs, discovery, profiles, ctx };
}

/** check → report. */
function check(prepared: Prepared, options: AuditOptions, checks: readonly CheckKind[]): Report {
  const { discovery, profiles, ctx } = prepared;
  const { findings, connections, worstByCertificate } = runChecks(ctx, checks);
  return buildReport({
    version: options.version,
    root: options.root,
    generatedAt: options.generatedAt,
    evaluatedAt: options.at,
    layout: discovery.layout,
    profiles,
    facts: discovery.facts,
    components: componentsOf(discovery),
    certificates: ctx.certificates,
    worstByCertificate,
    connections,
    findings,
  });
}

/** The whole pipeline: discover → resolve → load → check → report. Reads files only. */
export function audit(options: AuditOptions): Report {
  return check(prepare(options), options, CHECKS);
}

export interface ProbeSettings {
  /** Bound on each connection and handshake (and again on a TLS 1.3 server's verdict). */
  timeoutMs: number;
  /** tls.connect by default; tests pass a stand-in to see what is dialled. */
  connect?: Connect;
}

export interface ProbedAudit {
  report: Report;
  /** What each endpoint served and how the handshake went, one per endpoint contacted. */
  probes: ProbeResult[];
}

/**
 * The audit plus the live probe (--probe): the endpoints the configuration names are contacted
 * over TLS and what they serve is compared with the files. The probe's findings are sorted in
 * with the file audit's, counted in the summary and the exit code, and a connection whose live
 * handshake fails is broken. Client keys are read from the root only to present them.
 */
export async function auditWithProbe(options: AuditOptions, settings: ProbeSettings): Promise<ProbedAudit> {
  const prepared = prepare(options);
  const targets = planProbes(prepared.ctx, kubeletEndpoint(prepared.discovery));
  const readFile = (nodePath: string) => {
    const read = prepared.fs.readFile(nodePath);
    return isFileProblem(read) ? null : read.bytes;
  };
  const probes = await runProbes(targets, { timeoutMs: settings.timeoutMs, readFile, ...(settings.connect ? { connect: settings.connect } : {}) });
  return { report: check(prepared, options, [...CHECKS, ...probeChecksOver(probes)]), probes };
}
