/**
 * `kube-cert-audit fleet DIR`: every subdirectory of DIR is one node's snapshot (its root file
 * system, or the parts of it the audit reads); each is audited in this one process — decoded
 * certificates and verified signatures are shared across nodes — and the results are shown as one
 * fleet view, as `merge` shows per-node reports.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { audit, NothingToAuditError, type AuditOptions } from "../audit.js";
import type { Report } from "../model.js";
import { mergeReports, type FleetReport } from "../report/fleet.js";
import { UsageError } from "./options.js";

/** The node snapshots under a directory: its subdirectories, sorted. */
export function snapshotRoots(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    throw new UsageError(`fleet ${dir}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such directory" : "cannot be read"}`);
  }
  const roots = entries.filter((e) => e.isDirectory()).map((e) => path.join(dir, e.name)).sort();
  if (roots.length === 0) throw new UsageError(`fleet ${dir}: no node snapshots in it (one subdirectory per node, each that node's root)`);
  return roots;
}

export function auditFleet(roots: readonly string[], options: Omit<AuditOptions, "root">, progress?: (done: number, total: number) => void): FleetReport {
  const reports: Report[] = [];
  const unaudited: FleetReport["unaudited"] = [];
  for (const [i, root] of roots.entries()) {
    try {
      reports.push(audit({ ...options, root }));
    } catch (error) {
      if (!(error instanceof NothingToAuditError)) throw error;
      unaudited.push({ root, reason: error.message });
    }
    progress?.(i + 1, roots.length);
  }
  if (reports.length === 0) throw new UsageError(`none of the ${roots.length} snapshots has anything to audit (${unaudited[0]?.reason ?? ""})`);
  return mergeReports(reports, unaudited);
}
