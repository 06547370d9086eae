import type { Component, Layout, Report } from "./model.js";
import { discover, type Discovery } from "./discover/discover.js";
import type { KubeletConfig } from "./discover/kubelet-config.js";
import { RootFs } from "./load/root-fs.js";
import { MaterialStore } from "./load/store.js";
import { loadReferences } from "./load/references.js";
import { resolveReferences } from "./resolve/references.js";
import { buildContext } from "./check/context.js";
import { runChecks } from "./check/run.js";
import { buildReport } from "./report/build.js";
import type { RuleSet } from "./rules/types.js";

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

/** The whole pipeline: discover → resolve → load → check → report. */
export function audit(options: AuditOptions): Report {
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
  const { findings, connections, worstByCertificate } = runChecks(ctx);
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
