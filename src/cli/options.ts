import { parseArgs } from "node:util";
import { PROFILE_CHOICES, type ProfileChoice } from "../audit.js";
import { OUTPUT_FORMATS, type OutputFormat } from "../report/render.js";

/** A bad command line: printed with a pointer to --help, exit code 3. */
export class UsageError extends Error {}

export const COMMANDS = ["scan", "tui", "merge", "fleet", "rules", "explain"] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliOptions {
  command: Command;
  args: string[];
  root: string;
  output: OutputFormat;
  out?: string;
  /** Undefined means "now": only main.ts reads the clock. */
  at?: Date;
  warnWithinDays: number;
  criticalWithinDays: number;
  rules?: string;
  profile: ProfileChoice;
  color: "auto" | "never";
  /** Print nothing; the exit code (and --out, if given) is the result. */
  quiet: boolean;
  /** The least severity that makes the exit code non-zero. */
  failOn: "warning" | "critical";
  /** tui: start with the guided health check. */
  guided: boolean;
  /** --probe: also contact the endpoints the configuration names and compare what they serve. */
  probe: boolean;
  /** --probe-timeout, in milliseconds. */
  probeTimeoutMs: number;
  /** fleet: worker threads; undefined = as many as there are cores, for a fleet large enough to gain. */
  jobs?: number;
  help: boolean;
  version: boolean;
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(d|h|w|y)?$/i;
const UNIT_DAYS: Record<string, number> = { h: 1 / 24, d: 1, w: 7, y: 365 };

/** "30d", "2w", "12h", "1y" or a bare number of days. */
export function parseDays(value: string, flag: string): number {
  const match = DURATION.exec(value.trim());
  if (!match) throw new UsageError(`${flag} takes a duration such as 30d, 2w or 12h, not '${value}'`);
  return Number(match[1]) * (UNIT_DAYS[(match[2] ?? "d").toLowerCase()] as number);
}

const PROBE_TIMEOUT = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/i;
/** Longest --probe-timeout accepted: a probe is a handshake, not a wait. */
export const MAX_PROBE_TIMEOUT_MS = 60_000;

/** "2s", "500ms", "1.5s" or a bare number of seconds, in milliseconds (at most 60 s). */
export function parseProbeTimeout(value: string): number {
  const match = PROBE_TIMEOUT.exec(value.trim());
  const ms = match ? Math.round(Number(match[1]) * ((match[2] ?? "s").toLowerCase() === "ms" ? 1 : 1000)) : Number.NaN;
  if (!match || !(ms >= 1 && ms <= MAX_PROBE_TIMEOUT_MS)) {
    throw new UsageError(`--probe-timeout takes a time from 1ms to 60s such as 2s or 500ms, not '${value}'`);
  }
  return ms;
}

/** Most worker threads --jobs accepts: more than cores only adds start-up and memory. */
export const MAX_JOBS = 64;

/** --jobs N: a whole number from 1 (audit in this thread) to 64. */
export function parseJobs(value: string): number {
  const jobs = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(jobs >= 1 && jobs <= MAX_JOBS)) throw new UsageError(`--jobs takes a whole number from 1 to ${MAX_JOBS}, not '${value}'`);
  return jobs;
}

/** An ISO 8601 date or date-time; a bare date means midnight UTC. */
export function parseAt(value: string): Date {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new UsageError(`--at takes an ISO 8601 date or time such as 2026-06-01 or 2026-06-01T12:00:00Z, not '${value}'`);
  }
  return date;
}

export function parseCliOptions(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        root: { type: "string" },
        output: { type: "string", short: "o" },
        out: { type: "string" },
        at: { type: "string" },
        "warn-within": { type: "string" },
        "critical-within": { type: "string" },
        rules: { type: "string" },
        profile: { type: "string" },
        "no-color": { type: "boolean" },
        guided: { type: "boolean" },
        probe: { type: "boolean" },
        "probe-timeout": { type: "string" },
        quiet: { type: "boolean", short: "q" },
        "fail-on": { type: "string" },
        jobs: { type: "string", short: "j" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
  const { values, positionals } = parsed;
  const first = positionals[0];
  const command: Command = first !== undefined && (COMMANDS as readonly string[]).includes(first) ? (first as Command) : "scan";
  const args = first !== undefined && command === first ? positionals.slice(1) : positionals;
  if ((command === "scan" || command === "tui") && args.length > 0) {
    throw new UsageError(`unknown command '${args[0]}' (commands: ${COMMANDS.join(", ")})`);
  }
  const output = values.output ?? "table";
  if (!(OUTPUT_FORMATS as readonly string[]).includes(output)) {
    throw new UsageError(`--output must be one of ${OUTPUT_FORMATS.join(", ")}, not '${output}'`);
  }
  const profile = values.profile ?? "auto";
  if (!(PROFILE_CHOICES as readonly string[]).includes(profile)) {
    throw new UsageError(`--profile must be one of ${PROFILE_CHOICES.join(", ")}, not '${profile}'`);
  }
  const failOn = values["fail-on"] ?? "warning";
  if (failOn !== "warning" && failOn !== "critical") throw new UsageError(`--fail-on must be warning or critical, not '${failOn}'`);
  const warnWithinDays = parseDays(values["warn-within"] ?? "30d", "--warn-within");
  const criticalWithinDays = parseDays(values["critical-within"] ?? "7d", "--critical-within");
  if (criticalWithinDays > warnWithinDays) {
    throw new UsageError(`--critical-within (${criticalWithinDays}d) must not be longer than --warn-within (${warnWithinDays}d)`);
  }
  if (values["probe-timeout"] !== undefined && !values.probe) throw new UsageError("--probe-timeout needs --probe");
  if (values.probe && command !== "scan" && command !== "tui") throw new UsageError(`--probe applies to scan and tui, not ${command}`);
  const probeTimeoutMs = values["probe-timeout"] === undefined ? 2000 : parseProbeTimeout(values["probe-timeout"]);
  if (values.jobs !== undefined && command !== "fleet") throw new UsageError(`--jobs applies to fleet, not ${command}`);
  const options: CliOptions = {
    command,
    args,
    root: values.root ?? "/",
    output: output as OutputFormat,
    warnWithinDays,
    criticalWithinDays,
    profile: profile as ProfileChoice,
    color: values["no-color"] ? "never" : "auto",
    guided: values.guided ?? false,
    probe: values.probe ?? false,
    probeTimeoutMs,
    quiet: values.quiet ?? false,
    failOn,
    help: values.help ?? false,
    version: values.version ?? false,
  };
  if (values.out !== undefined) options.out = values.out;
  if (values.at !== undefined) options.at = parseAt(values.at);
  if (values.rules !== undefined) options.rules = values.rules;
  if (values.jobs !== undefined) options.jobs = parseJobs(values.jobs);
  return options;
}

export const HELP = `kube-cert-audit — certificate health check of a Kubernetes control-plane node

Usage:
  kube-cert-audit [scan] [options]     audit the node (default command); add --probe to
                                       compare what the running components serve
  kube-cert-audit tui [options]        walk through the audit in the terminal: overview,
                                       components, certificates, findings and their fixes
  kube-cert-audit fleet DIR            audit every node snapshot under DIR (one subdirectory
                                       per node, its root; the nodes of one cluster) in one
                                       process, on worker threads: the fleet view
  kube-cert-audit merge REPORT.json…   combine per-node JSON reports: nodes, CAs that differ
                                       between nodes, the soonest expiries of the fleet
  kube-cert-audit rules [options]      print the certificate rules in force
  kube-cert-audit explain ID           what a check or rule verifies, why, and how to fix it

Options:
  --root DIR              the node's root file system (default: /). Every path, and every
                          symlink, is resolved inside it; nothing outside it is read.
  -o, --output FORMAT     table (default), json, yaml, or prom (Prometheus text format for
                          node_exporter's textfile collector; see README for the metrics)
      --out FILE          write the report to FILE atomically instead of stdout
      --at TIME           audit as of this ISO 8601 time (default: now), e.g. 2026-06-01
      --warn-within DUR   warn about certificates expiring within DUR (default: 30d)
      --critical-within DUR  critical within DUR (default: 7d); DUR is 30d, 2w, 12h, 1y
      --rules FILE        YAML with extra or overriding roles, edges, settings, references
      --fail-on LEVEL     warning (default: a warning exits 1, a critical 2) or critical
                          (warnings exit 0; the report's summary.exitCode is unchanged)
  -q, --quiet             print no report; the exit code is the answer (--out still
                          writes; errors still go to stderr)
      --profile NAME      auto (default: kubeadm for static pods, hardway for systemd units),
                          kubeadm or hardway; Kubernetes' own run-time rules always apply
      --no-color          no colours (also: NO_COLOR set, or output not a terminal)
      --guided            tui: start with the guided health check (CAs, serving and
                          client certificates, then connections)
      --probe             also open a TLS connection to each endpoint the configuration
                          names (kube-apiserver, etcd client and peer ports, the kubelet) as
                          its client would, and compare the certificate served with the file:
                          a stale certificate or a failed handshake is critical, no answer is
                          info. With --root other than /, the snapshot's addresses are dialled
      --probe-timeout T   per connection and handshake (default: 2s); 500ms, 2s, or seconds
  -j, --jobs N            fleet: audit on N worker threads (default: one per core once the
                          fleet has 64 snapshots or more; 1 audits in the main thread)
  -h, --help              this help
      --version           print the version

What is read: static pod manifests (etc/kubernetes/manifests), systemd units and drop-ins
(etc/systemd/system, lib/systemd/system, usr/lib/systemd/system), the kubeconfigs they and
kubeadm use (etc/kubernetes/*.conf), the kubelet config (var/lib/kubelet/config.yaml or its
--config) and every certificate, key and CA file they name. Private keys are read only to check that they
match their certificates; no key material is ever printed or written.

Exit codes (monitoring-plugin convention):
  0  nothing worse than info     1  at least one warning
  2  at least one critical       3  the audit could not run (bad arguments, unreadable root)

Examples:
  kube-cert-audit                                   # audit this node
  kube-cert-audit --root /host -o prom --out /var/lib/node_exporter/textfile_collector/kube_cert_audit.prom
  kube-cert-audit --quiet --fail-on critical || echo "critical certificate problem"
  kube-cert-audit --root sample-clusters/kubeadm-broken --at 2026-06-01
  kube-cert-audit explain issuer-mismatch
  sudo kube-cert-audit --probe                      # also check what the running components serve
  kube-cert-audit merge reports/*.json -o json      # one fleet view of every node's report
  kube-cert-audit tui --root sample-clusters/kubeadm-broken --at 2026-06-01
                                                    # keys: arrows/j k, Enter, Esc, /, f, g, ?, q
`;
