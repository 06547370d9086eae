/**
 * `kube-cert-audit fleet DIR`: every subdirectory of DIR is one node's snapshot (its root file
 * system, or the parts of it the audit reads); each is audited — on worker threads, one per core,
 * when the fleet is large enough to repay their start-up — and the results are shown as one fleet
 * view, as `merge` shows per-node reports. Within a thread, decoded certificates, parsed YAML and
 * verified signatures are shared across the nodes it audits.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { MessagePort, Worker } from "node:worker_threads";
import { audit, NothingToAuditError, type AuditOptions } from "../audit.js";
import { fleetInput, mergeReports, type FleetInput, type FleetReport } from "../report/fleet.js";
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

type FleetOptions = Omit<AuditOptions, "root">;
type Progress = (done: number, total: number) => void;

/** One snapshot's outcome: what the fleet view needs of its report, or why there was nothing to audit. */
type Outcome = { report: FleetInput } | { unaudited: string };

function auditOne(root: string, options: FleetOptions): Outcome {
  try {
    return { report: fleetInput(audit({ ...options, root })) };
  } catch (error) {
    if (!(error instanceof NothingToAuditError)) throw error;
    return { unaudited: error.message };
  }
}

function fleetReport(roots: readonly string[], outcomes: readonly Outcome[]): FleetReport {
  const reports: FleetInput[] = [];
  const unaudited: FleetReport["unaudited"] = [];
  outcomes.forEach((outcome, i) => {
    if ("report" in outcome) reports.push(outcome.report);
    else unaudited.push({ root: roots[i] as string, reason: outcome.unaudited });
  });
  if (reports.length === 0) throw new UsageError(`none of the ${roots.length} snapshots has anything to audit (${unaudited[0]?.reason ?? ""})`);
  return mergeReports(reports, unaudited);
}

/**
 * Below this many snapshots, starting workers (each loads and warms up the whole tool) costs about
 * what it saves: on 2 cores, where V8's own threads keep the second core busy for one auditing
 * thread, one thread and two workers took the same time at 64 snapshots (0.43 s each, medians of
 * 6 alternated runs), and 0.63 and 0.53 s at 100.
 */
const PARALLEL_THRESHOLD = 64;
/**
 * Snapshots handed to a worker at a time: neighbours in sorted order are often nodes of one
 * cluster, whose shared CA files a worker then decodes once; small enough to balance the load.
 */
const BATCH = 8;

/** How many worker threads to use: --jobs, else one per core for a fleet large enough. */
export function workerCount(snapshots: number, jobs: number | undefined): number {
  if (jobs !== undefined) return Math.min(jobs, snapshots);
  return snapshots >= PARALLEL_THRESHOLD ? Math.min(os.availableParallelism(), Math.ceil(snapshots / BATCH)) : 1;
}

/**
 * Audit every snapshot, in this thread or on `workers` threads running `workerScript` (the CLI's
 * entry module, which serves as a worker when started as one: see serveAsFleetWorker).
 */
export async function auditFleet(roots: readonly string[], options: FleetOptions, { workers, workerScript, progress }: { workers: number; workerScript: URL; progress?: Progress }): Promise<FleetReport> {
  if (workers <= 1) {
    const outcomes = roots.map((root, i) => {
      const outcome = auditOne(root, options);
      progress?.(i + 1, roots.length);
      return outcome;
    });
    return fleetReport(roots, outcomes);
  }
  return fleetReport(roots, await auditOnWorkers(roots, options, workers, workerScript, progress));
}

/** The message a worker starts with, marking it as a fleet worker. */
const FLEET_WORKER = "kube-cert-audit-fleet-worker";
/**
 * Set in a fleet worker's environment, so the entry module knows to look for its worker data
 * without loading node:worker_threads into every plain scan.
 */
const FLEET_WORKER_ENV = "KUBE_CERT_AUDIT_FLEET_WORKER";
interface WorkerStart {
  kind: typeof FLEET_WORKER;
  options: FleetOptions;
}
/**
 * V8's tier-up budget for the workers, in bytes of bytecode run: how hot a function must be before
 * TurboFan compiles it. Every worker is a new isolate that compiles the same hot code again, on
 * background threads that compete with the audits for the cores (on 2 cores, about a second of
 * compiling per worker for a fleet of 1000). A budget of 1 MiB (V8's is 66 KiB on Node 20) leaves
 * the lukewarm functions to the baseline compiler: a fleet of 1000 took 2.7 s on 2 workers where it
 * took 3.2, and one of 200 took 0.8 s where it took 1.1.
 *
 * It is raised once the workers have answered WARM_BATCHES batches for each of them at V8's own
 * pace (a fleet smaller than that keeps the default throughout), which has the hottest functions
 * compiled early: a fleet of 1000 then took 2.42 s where raising it before the first batch took
 * 2.54, and 2.57 s against 2.63 an hour later (medians of 8 alternated runs each; less CPU in 13
 * of the 16 pairs). One thread is better off with the default throughout, since its compiles run
 * on otherwise idle cores. The flag is process-wide and V8 refuses a code cache made under other
 * flags, so it changes only after every worker has loaded its code (the single-file build's
 * cache, about 25 ms a worker). Node warns that flags changed at run time may behave
 * unpredictably; this one only sets how often V8 considers optimizing a function, and a V8 that
 * refuses it leaves the fleet at its default pace.
 */
const WORKER_INTERRUPT_BUDGET = 1 << 20;
const WARM_BATCHES = 2;
type ToWorker = { batch: Array<[index: number, root: string]> } | { done: true };
/** A worker is ready when its code is loaded, then reports each batch's outcomes in one message. */
type FromWorker = { ready: true } | { outcomes: Array<[index: number, outcome: Outcome]> } | { error: string };

async function auditOnWorkers(roots: readonly string[], options: FleetOptions, count: number, workerScript: URL, progress?: Progress): Promise<Outcome[]> {
  const { Worker } = await import("node:worker_threads");
  const { setFlagsFromString } = await import("node:v8");
  const setTierUpBudget = () => {
    try {
      setFlagsFromString(`--interrupt-budget=${WORKER_INTERRUPT_BUDGET}`);
    } catch {
      // A V8 that refuses flags once running (or no longer has this one) audits at its own pace.
    }
  };
  const outcomes: Outcome[] = new Array(roots.length);
  const batches: Array<Array<[number, string]>> = [];
  for (let start = 0; start < roots.length; start += BATCH) batches.push(roots.slice(start, start + BATCH).map((root, i) => [start + i, root]));
  let done = 0;
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      for (const worker of workers) void worker.terminate();
      reject(error);
    };
    /** Workers told there is no more work: only they may exit. */
    const finished = new Set<Worker>();
    const next = (worker: Worker) => {
      const batch = batches.shift();
      if (!batch) finished.add(worker);
      worker.postMessage((batch ? { batch } : { done: true }) satisfies ToWorker);
    };
    let ready = 0;
    let running = count;
    for (let i = 0; i < count && !failed; i++) {
      const start: WorkerStart = { kind: FLEET_WORKER, options };
      let worker: Worker;
      try {
        worker = new Worker(workerScript, { workerData: start, env: { ...process.env, [FLEET_WORKER_ENV]: "1" }, stdout: false, stderr: false });
      } catch (error) {
        fail(error as Error);
        break;
      }
      workers.push(worker);
      worker.on("message", (message: FromWorker) => {
        if ("error" in message) fail(new Error(message.error));
        else if ("ready" in message) {
          if (++ready < count) return;
          workers.forEach(next);
        } else {
          for (const [index, outcome] of message.outcomes) outcomes[index] = outcome;
          const warm = count * WARM_BATCHES * BATCH;
          if (done < warm && done + message.outcomes.length >= warm) setTierUpBudget();
          done += message.outcomes.length;
          progress?.(done, roots.length);
          next(worker);
        }
      });
      worker.on("error", fail);
      worker.on("messageerror", fail);
      worker.on("exit", (code) => {
        if (failed) return;
        if (code !== 0) fail(new Error(`a fleet worker exited with code ${code}`));
        // Before its last batch was answered: the others would wait for it (or its nodes be lost).
        else if (!finished.has(worker)) fail(new Error("a fleet worker stopped before its work was done"));
        else if (--running > 0) return;
        else if (done !== roots.length) fail(new Error(`fleet workers answered for ${done} of ${roots.length} snapshots`));
        else resolve(outcomes);
      });
    }
  });
}

function isFleetWorker(data: unknown): data is WorkerStart {
  return typeof data === "object" && data !== null && (data as WorkerStart).kind === FLEET_WORKER;
}

/** When this thread was started by auditOnWorkers, serve as its worker and say so; otherwise false. */
export async function serveAsFleetWorker(): Promise<boolean> {
  if (process.env[FLEET_WORKER_ENV] !== "1") return false;
  const { isMainThread, parentPort, workerData } = await import("node:worker_threads");
  if (isMainThread || !parentPort || !isFleetWorker(workerData)) return false;
  runFleetWorker(workerData, parentPort);
  return true;
}

/** A worker's life: say it is ready, audit each batch it is given and report it; exit when told. */
function runFleetWorker(start: WorkerStart, port: MessagePort): void {
  port.on("message", (message: ToWorker) => {
    if ("done" in message) {
      port.close();
      return;
    }
    try {
      port.postMessage({ outcomes: message.batch.map(([index, root]) => [index, auditOne(root, start.options)]) } satisfies FromWorker);
    } catch (error) {
      port.postMessage({ error: (error as Error).message } satisfies FromWorker);
    }
  });
  port.postMessage({ ready: true } satisfies FromWorker);
}
