#!/usr/bin/env node
import * as fs from "node:fs";
import * as path from "node:path";
import { audit, auditWithProbe, NothingToAuditError, type AuditOptions } from "../audit.js";
import { readPackageFile } from "../load/package-files.js";
import { loadRules } from "../load/rules-files.js";
import type { Report } from "../model.js";
import { renderPrometheusFailure } from "../report/prometheus.js";
import { renderReport } from "../report/render.js";
import type { RuleSet } from "../rules/types.js";
import { RulesError } from "../rules/validate.js";
import { auditFleet, serveAsFleetWorker, snapshotRoots, workerCount } from "./fleet-command.js";
import { mergeCommand, renderFleet } from "./merge-command.js";
import { explain, renderRules } from "./rules-command.js";
import { progressReporter } from "./progress.js";
import { HELP, parseCliOptions, UsageError, type CliOptions } from "./options.js";

const USAGE_EXIT = 3;

function packageVersion(): string {
  try {
    return (JSON.parse(readPackageFile("package.json")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/** Write atomically: a temporary file beside the target, then rename, so readers never see half. */
function writeAtomically(file: string, content: string): void {
  const target = path.resolve(file);
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temporary, content, { mode: 0o644 });
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw new UsageError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

function useColor(options: CliOptions, stream: NodeJS.WriteStream): boolean {
  return options.color !== "never" && !options.out && stream.isTTY === true && !("NO_COLOR" in process.env && process.env.NO_COLOR !== "");
}

function emit(options: CliOptions, text: string, summary: string): void {
  if (options.out) {
    writeAtomically(options.out, text);
    if (process.stderr.isTTY && !options.quiet) process.stderr.write(`wrote ${options.output} report to ${options.out} (${summary})\n`);
  } else {
    process.stdout.write(text);
  }
}

class OutInsideRootError extends UsageError {}

/** Check --root and --out, then audit the tree (and with --probe, what its components serve). */
async function auditRoot(options: CliOptions, rules: RuleSet, version: string): Promise<Report> {
  const root = path.resolve(options.root);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch (error) {
    throw new UsageError(`--root ${options.root}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such directory" : "cannot be read"}`);
  }
  if (!stat.isDirectory()) throw new UsageError(`--root ${options.root} is not a directory`);
  if (options.out && isInside(path.resolve(options.out), root) && root !== "/") {
    throw new OutInsideRootError(`--out ${options.out} is inside --root ${options.root}; the audited tree is never written to`);
  }
  const auditOptions: AuditOptions = {
    root: options.root,
    at: options.at ?? new Date(),
    generatedAt: new Date(),
    warnWithinDays: options.warnWithinDays,
    criticalWithinDays: options.criticalWithinDays,
    rules,
    version,
    profile: options.profile,
    // Ownership means something only on the node or an ownership-preserving mount, read as root.
    checkOwnership: process.geteuid?.() === 0,
  };
  if (!options.probe) return audit(auditOptions);
  if (root !== "/" && !options.quiet) {
    // A snapshot's configuration names the addresses of the node it was taken from.
    process.stderr.write(
      `kube-cert-audit: --probe with --root ${options.root}: dialling the addresses its configuration names (those of the node the tree comes from) and comparing with the files under ${options.root}\n`,
    );
  }
  return (await auditWithProbe(auditOptions, { timeoutMs: options.probeTimeoutMs })).report;
}

async function run(argv: string[]): Promise<number> {
  const options = parseCliOptions(argv);
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const version = packageVersion();
  if (options.version) {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const rules = loadRules(options.rules);
  // A terminal gets a layout that fits it; a pipe or file (cron mail, logs) gets the full table.
  const width = process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 200;
  if (options.command === "rules") {
    emit(options, renderRules(rules, options.output), `${rules.roles.length} roles`);
    return 0;
  }
  if (options.command === "fleet") {
    if (options.args.length !== 1) throw new UsageError("fleet takes one directory of node snapshots, e.g. 'kube-cert-audit fleet /srv/snapshots'");
    const roots = snapshotRoots(options.args[0] as string);
    // A progress line on a terminal only: logs and pipes get the result alone.
    const progress = process.stderr.isTTY && !options.quiet ? progressReporter(process.stderr) : undefined;
    const fleetOptions = { at: options.at ?? new Date(), generatedAt: new Date(), warnWithinDays: options.warnWithinDays, criticalWithinDays: options.criticalWithinDays, rules, version, profile: options.profile };
    // This module is the workers' script too (it serves as one when started as one, below).
    const fleet = await auditFleet(roots, fleetOptions, { workers: workerCount(roots.length, options.jobs), workerScript: new URL(import.meta.url), progress });
    if (options.out || !options.quiet) emit(options, renderFleet(fleet, options.output), `exit ${fleet.summary.exitCode}`);
    return options.failOn === "critical" && fleet.summary.exitCode === 1 ? 0 : fleet.summary.exitCode;
  }
  if (options.command === "merge") {
    const { text, exitCode } = mergeCommand(options.args, options.output);
    if (options.out || !options.quiet) emit(options, text, `exit ${exitCode}`);
    return options.failOn === "critical" && exitCode === 1 ? 0 : exitCode;
  }
  if (options.command === "explain") {
    if (options.args.length !== 1) throw new UsageError("explain takes one check or role id, e.g. 'kube-cert-audit explain san-missing'");
    process.stdout.write(explain(options.args[0] as string, rules));
    return 0;
  }
  if (options.command === "tui" && (!process.stdin.isTTY || !process.stdout.isTTY)) {
    // Checked before the audit: a pipe or cron job gets the answer at once.
    throw new UsageError("tui needs an interactive terminal (stdin and stdout a TTY); for a report use --output table, json or yaml");
  }
  // process.hrtime, not performance.now(): the global performance object loads perf_hooks.
  const started = process.hrtime.bigint();
  let report: Report;
  try {
    report = await auditRoot(options, rules, version);
  } catch (error) {
    // The textfile collector keeps serving the last file: replace it with scan_success 0. (Not
    // when --out would land inside the audited tree: that is never written.)
    if (options.output === "prom" && options.out && !(error instanceof OutInsideRootError)) writeAtomically(options.out, renderPrometheusFailure());
    throw error;
  }
  const scanDurationSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (options.command === "tui") {
    if (options.color === "never") process.env.FORCE_COLOR = "0";
    // ink and React load only for this command, so the plain scan stays fast.
    const { runTui } = await import("../tui/run.js");
    await runTui({ report, rules }, { guided: options.guided });
    return 0;
  }
  const s = report.summary.bySeverity;
  if (options.out || !options.quiet) {
    const text = renderReport(report, options.output, { color: useColor(options, process.stdout), width, scanDurationSeconds });
    emit(options, text, `exit ${report.summary.exitCode}: ${s.critical} critical, ${s.warning} warning`);
  }
  // --fail-on critical: warnings are reported but do not fail the run.
  return options.failOn === "critical" && report.summary.exitCode === 1 ? 0 : report.summary.exitCode;
}

export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`kube-cert-audit: ${error.message}\nRun 'kube-cert-audit --help' for usage.\n`);
    } else if (error instanceof RulesError || error instanceof NothingToAuditError) {
      process.stderr.write(`kube-cert-audit: ${error.message}\n`);
    } else {
      const detail = process.env.KUBE_CERT_AUDIT_DEBUG ? `\n${(error as Error).stack}` : "";
      process.stderr.write(`kube-cert-audit: internal error: ${(error as Error).message}${detail}\nPlease report this with the command you ran.\n`);
    }
    return USAGE_EXIT;
  }
}

void serveAsFleetWorker().then(async (isWorker) => {
  if (!isWorker) process.exitCode = await main(process.argv.slice(2));
});
