#!/usr/bin/env node
/**
 * npm run bench: speed of kube-cert-audit against the manual method, measured in one run on the
 * same inputs, printed as medians and ratios (no pass/fail: the figures go in README.md).
 *
 *   (a) one node, cold process start included: the single-file build and the installed CLI
 *       auditing sample-clusters/kubeadm-healthy;
 *   (b) the manual method of the course material on the same node: one
 *       `openssl x509 -noout -subject -issuer -enddate -ext subjectAltName` per certificate file
 *       plus one `openssl verify` per chain, in a shell loop;
 *   (c) `kube-cert-audit fleet` over N node snapshots (copies of the sample, N = 10, 100, 1000)
 *       in one process, to show how the cost grows with the work.
 *
 * Run after `npm run build && npm run build:binary` (the npm script does both).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const SAMPLE = path.join(root, "sample-clusters/kubeadm-healthy");
const AT = "2026-06-01";
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const FLEET_SIZES = (process.env.BENCH_FLEET ?? "10,100,1000").split(",").map(Number);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ms = (value) => `${value.toFixed(1)} ms`;

/** Median wall time of a command over RUNS runs (after one warm-up run for the file cache). */
function timeCommand(command, args, options = {}) {
  const once = () => {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd: root, encoding: "utf8", ...options });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0 && result.status !== (options.expectStatus ?? 0)) {
      throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    }
    return elapsed;
  };
  once();
  return median(Array.from({ length: RUNS }, once));
}

/** The course's manual method as a shell script over the sample's certificate files. */
function manualMethodScript() {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(crt|pem)$/.test(entry.name) && !entry.isSymbolicLink() && fs.readFileSync(full, "latin1").includes("BEGIN CERTIFICATE")) files.push(full);
    }
  };
  walk(path.join(SAMPLE, "etc/kubernetes/pki"));
  walk(path.join(SAMPLE, "var/lib/kubelet/pki"));
  const caFor = (file) =>
    file.includes("/pki/etcd/") ? "etc/kubernetes/pki/etcd/ca.crt" : file.includes("front-proxy") ? "etc/kubernetes/pki/front-proxy-ca.crt" : "etc/kubernetes/pki/ca.crt";
  const lines = ["set -u", `cd '${SAMPLE}'`];
  for (const file of files) {
    const relative = path.relative(SAMPLE, file);
    lines.push(`openssl x509 -noout -subject -issuer -enddate -ext subjectAltName -in '${relative}' >/dev/null 2>&1`);
    lines.push(`openssl verify -attime ${Date.parse(`${AT}T00:00:00Z`) / 1000} -CAfile '${caFor(relative)}' '${relative}' >/dev/null 2>&1 || true`);
  }
  return { script: lines.join("\n") + "\n", certificates: files.length };
}

/** `kube-cert-audit fleet DIR` over N snapshots (copies of the sample), whole process, one run each. */
function fleet(sizes) {
  const perNode = JSON.parse(spawnSync(process.execPath, ["dist/cli/main.js", "--root", SAMPLE, "--at", AT, "-o", "json"], { cwd: root, encoding: "utf8" }).stdout).summary.certificates;
  const results = [];
  for (const size of sizes) {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "kca-bench-fleet-"));
    try {
      // The fleet is generated once per size: copies of the sample node.
      for (let i = 0; i < size; i++) fs.cpSync(SAMPLE, path.join(work, `node-${String(i).padStart(4, "0")}`), { recursive: true, verbatimSymlinks: true });
      const started = process.hrtime.bigint();
      const run = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, "dist/kube-cert-audit.mjs", "fleet", work, "--at", AT, "-q"], { cwd: root, encoding: "utf8" });
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      if (run.status !== 0) throw new Error(`fleet of ${size} exited ${run.status}: ${run.stderr}`);
      results.push({ size, elapsed, certificates: size * perNode, rssMiB: Number(run.stderr.trim().split("\n").pop()) / 1024 });
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  return results;
}

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
process.stdout.write(`kube-cert-audit benchmark — ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${RUNS} runs per figure (median)\n\n`);

const single = timeCommand(process.execPath, ["dist/kube-cert-audit.mjs", "--root", SAMPLE, "--at", AT, "-q"]);
const installed = timeCommand(process.execPath, ["dist/cli/main.js", "--root", SAMPLE, "--at", AT, "-q"]);
const nodeAlone = timeCommand(process.execPath, ["-e", "0"]);
const { script, certificates } = manualMethodScript();
const manual = timeCommand("bash", ["-c", script]);

process.stdout.write(`(a) one node (kubeadm-healthy), whole process:\n`);
process.stdout.write(`    single-file build   ${ms(single)}\n`);
process.stdout.write(`    installed CLI       ${ms(installed)}\n`);
process.stdout.write(`    node -e 0 (floor)   ${ms(nodeAlone)}\n`);
process.stdout.write(`(b) manual method, ${certificates} certificate files × (openssl x509 + openssl verify): ${ms(manual)}\n`);
process.stdout.write(`    ratio manual / single-file build: ${(manual / single).toFixed(1)}×\n\n`);

process.stdout.write(`(c) kube-cert-audit fleet DIR (single-file build, whole process, signatures verified; snapshots = copies of the sample):\n`);
const results = fleet(FLEET_SIZES);
for (const r of results) {
  process.stdout.write(
    `    N=${String(r.size).padEnd(5)} ${ms(r.elapsed).padStart(11)}  ${(r.elapsed / r.size).toFixed(2)} ms/node  ${Math.round((r.certificates / r.elapsed) * 1000)} certificates/s  peak RSS ${r.rssMiB.toFixed(0)} MiB\n`,
  );
}
if (results.length > 1) {
  const first = results[0];
  const last = results[results.length - 1];
  process.stdout.write(`    cost per node N=${last.size} vs N=${first.size}: ${(last.elapsed / last.size / (first.elapsed / first.size)).toFixed(2)}× (1.00 = linear)\n`);
}
