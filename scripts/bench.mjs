#!/usr/bin/env node
/**
 * npm run bench: speed of kube-cert-audit against the manual method, measured in one run on the
 * same inputs, printed as medians and ratios (no pass/fail: the figures go in README.md).
 *
 *   (a) one node, cold process start included: the single-file build (table and -o json) and
 *       the installed CLI auditing sample-clusters/kubeadm-healthy, output read whole from a pipe;
 *   (b) the manual method of the course material on the same node, over the same certificates
 *       the tool audits: one `openssl x509 -noout -subject -issuer -enddate -ext subjectAltName`
 *       per certificate (files, and the certificates embedded in kubeconfigs, decoded with
 *       grep | awk | base64 -d) plus one `openssl verify` per file and per embedded client
 *       certificate, in a shell script;
 *   (c) `kube-cert-audit fleet` over N distinct node snapshots (N = 10, 100, 1000) written by
 *       scripts/samples/fleet.ts: clusters of 3 nodes sharing their CAs, every node with its own
 *       leaf certificates and keys, in one process (as shipped, and with --jobs 1), to show how
 *       the cost grows with the work: linear when each added node costs the same.
 *
 * Run after `npm run build && npm run build:binary` (the npm script does both).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vm from "node:vm";
import { CODE_NAME, singleFileParts } from "./single-file-format.mjs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const SAMPLE = path.join(root, "sample-clusters/kubeadm-healthy");
const AT = "2026-06-01";
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
/** Timed runs per fleet size and configuration: each takes seconds at N = 1000. */
const FLEET_RUNS = Number(process.env.BENCH_FLEET_RUNS ?? 3);
for (const [name, value] of [["BENCH_RUNS", RUNS], ["BENCH_FLEET_RUNS", FLEET_RUNS]]) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of runs, 1 or more`);
}
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

/** Runs the single-file build with `args`; its JSON report. */
function auditJson(args) {
  const run = spawnSync(process.execPath, ["dist/kube-cert-audit.cjs", ...args, "--at", AT, "-o", "json"], { cwd: root, encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.status === null || run.status > 2) throw new Error(`kube-cert-audit ${args.join(" ")} exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/**
 * The course's manual method as a shell script over every certificate of the sample: each
 * certificate in a PEM file, and the client and CA certificates embedded in the kubeconfigs.
 * Every certificate gets `openssl x509`; every file (its first certificate) and every embedded
 * client certificate also `openssl verify` against its CA. Embedded CA data and a file's further
 * certificates (CAs) get the x509 look only.
 */
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
  // The etcd CA signs etcd's certificates and the API server's etcd client; a file holding more
  // than one certificate (kubelet.crt: serving certificate, then the kubelet's own CA) carries its CA.
  const caFor = (file, certificatesInFile) =>
    certificatesInFile > 1 ? file
    : file.includes("/pki/etcd/") || file.endsWith("apiserver-etcd-client.crt") ? "etc/kubernetes/pki/etcd/ca.crt"
    : file.includes("front-proxy") ? "etc/kubernetes/pki/front-proxy-ca.crt"
    : "etc/kubernetes/pki/ca.crt";
  const attime = `-attime ${Date.parse(`${AT}T00:00:00Z`) / 1000}`;
  const x509 = "openssl x509 -noout -subject -issuer -enddate -ext subjectAltName";
  const lines = ["set -u", `cd '${SAMPLE}'`];
  let fromFiles = 0;
  let verifies = 0;
  for (const file of files) {
    const relative = path.relative(SAMPLE, file);
    const certificatesInFile = fs.readFileSync(file, "latin1").split("BEGIN CERTIFICATE").length - 1;
    lines.push(`${x509} -in '${relative}' >/dev/null 2>&1`);
    lines.push(`openssl verify ${attime} -CAfile '${caFor(relative, certificatesInFile)}' '${relative}' >/dev/null 2>&1 || true`);
    verifies++;
    // openssl x509 reads a file's first certificate only; the others are cut out by number.
    for (let n = 2; n <= certificatesInFile; n++) lines.push(`awk '/BEGIN CERTIFICATE/{n++} n==${n}' '${relative}' | ${x509} >/dev/null 2>&1`);
    fromFiles += certificatesInFile;
  }
  const kubeconfigs = fs.readdirSync(path.join(SAMPLE, "etc/kubernetes")).filter((name) => name.endsWith(".conf")).sort();
  let embedded = 0;
  for (const name of kubeconfigs) {
    const relative = `etc/kubernetes/${name}`;
    const text = fs.readFileSync(path.join(SAMPLE, relative), "utf8");
    const decode = (field) => `grep ${field} '${relative}' | awk '{print $2}' | base64 -d`;
    if (text.includes("client-certificate-data:")) {
      lines.push(`${decode("client-certificate-data")} | ${x509} >/dev/null 2>&1`);
      lines.push(`openssl verify ${attime} -CAfile etc/kubernetes/pki/ca.crt <(${decode("client-certificate-data")}) >/dev/null 2>&1 || true`);
      verifies++;
      embedded++;
    }
    if (text.includes("certificate-authority-data:")) {
      lines.push(`${decode("certificate-authority-data")} | ${x509} >/dev/null 2>&1`);
      embedded++;
    }
  }
  return { script: lines.join("\n") + "\n", files: files.length, fromFiles, embedded, kubeconfigs: kubeconfigs.length, verifies };
}

/**
 * `kube-cert-audit fleet DIR` over N distinct node snapshots, whole process: the median of
 * FLEET_RUNS runs as shipped and as many with --jobs 1, alternated (this machine's speed drifts
 * within minutes), peak RSS the largest seen. The fleet is generated once per size (timed apart)
 * and audited once as JSON outside the timing for its real number of certificates and the exit
 * code to expect.
 */
function fleet(sizes) {
  const results = [];
  for (const size of sizes) {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "kca-bench-fleet-"));
    try {
      const generationStarted = process.hrtime.bigint();
      const generation = spawnSync(process.execPath, ["--import", "tsx", "scripts/samples/fleet.ts", work, String(size)], { cwd: root, encoding: "utf8" });
      const generationElapsed = Number(process.hrtime.bigint() - generationStarted) / 1e6;
      if (generation.status !== 0) throw new Error(`generating a fleet of ${size} exited ${generation.status}: ${generation.stderr}`);
      const report = auditJson(["fleet", work]);
      const unhealthy = report.nodes.filter((node) => node.exitCode !== 0);
      if (report.nodes.length !== size || unhealthy.length > 0) throw new Error(`fleet of ${size}: ${report.nodes.length} nodes audited, not healthy: ${unhealthy.map((node) => node.node).join(", ")}`);
      // Timed as shipped (worker threads from 64 snapshots on), and in the main thread alone (--jobs 1).
      const timed = (extra) => {
        const started = process.hrtime.bigint();
        const run = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, "dist/kube-cert-audit.cjs", "fleet", work, "--at", AT, "-q", ...extra], { cwd: root, encoding: "utf8", env });
        const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
        if (run.status !== report.summary.exitCode) throw new Error(`fleet of ${size} exited ${run.status}, its JSON report says ${report.summary.exitCode}: ${run.stderr}`);
        return { elapsed, rssMiB: Number(run.stderr.trim().split("\n").pop()) / 1024 };
      };
      // Alternated, and each pair in the other order from the last, so drift favours neither.
      const runs = Array.from({ length: FLEET_RUNS }, (_, i) => {
        if (i % 2 === 0) return [timed([]), timed(["--jobs", "1"])];
        const single = timed(["--jobs", "1"]);
        return [timed([]), single];
      });
      const summary = (list) => ({ elapsed: median(list.map((run) => run.elapsed)), rssMiB: Math.max(...list.map((run) => run.rssMiB)) });
      const { elapsed, rssMiB } = summary(runs.map(([shipped]) => shipped));
      const oneThread = summary(runs.map(([, single]) => single));
      results.push({
        size,
        generationElapsed,
        elapsed,
        certificates: report.nodes.reduce((sum, node) => sum + node.certificates, 0),
        exitCode: report.summary.exitCode,
        fleetFindings: [...new Set(report.findings.map((finding) => finding.id))],
        rssMiB,
        oneThread,
      });
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  return results;
}

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
process.stdout.write(`kube-cert-audit benchmark — ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${RUNS} runs per figure (median)\n`);

/**
 * Does this node take the single-file build's code cache? It is made with the build's node and
 * no V8 flags; other flags (NODE_OPTIONS) or another V8 make every start compile the code itself.
 */
function codeCacheTaken() {
  const { code, cachedData } = singleFileParts(fs.readFileSync(path.join(root, "dist/kube-cert-audit.cjs"), "utf8"));
  if (!cachedData) return "not in dist/kube-cert-audit.cjs, or not of its code";
  const script = new vm.Script(code, { filename: CODE_NAME, cachedData });
  return script.cachedDataRejected ? "rejected by this node (its V8 or V8 flags differ from the build's): every start compiles the code" : "taken by this node";
}
process.stdout.write(`single-file build's code cache: ${codeCacheTaken()}\n\n`);

/**
 * NODE_EXTRA_CA_CERTS makes every node process load that file's certificates, and rebuild its
 * trust store with them, before running any code (about 30 ms per start where it names the
 * system's whole CA bundle). The audit never uses that store, and a control-plane node's root or
 * cron shell does not set it; so everything is timed without it, and with it as well when set.
 */
const EXTRA_CA = "NODE_EXTRA_CA_CERTS";
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== EXTRA_CA));
const callerEnv = { env: process.env };

// As people run it: the table an admin reads, the JSON a cron job keeps (both to a pipe, read whole).
const tableArgs = ["dist/kube-cert-audit.cjs", "--root", SAMPLE, "--at", AT];
const jsonArgs = [...tableArgs, "-o", "json"];
const single = timeCommand(process.execPath, tableArgs, { env });
const singleJson = timeCommand(process.execPath, jsonArgs, { env });
const installed = timeCommand(process.execPath, ["dist/cli/main.js", "--root", SAMPLE, "--at", AT], { env });
const nodeAlone = timeCommand(process.execPath, ["-e", "0"], { env });
const manualMethod = manualMethodScript();
const manual = timeCommand("bash", ["-c", manualMethod.script], { env });
const toolCertificates = auditJson(["--root", SAMPLE]).summary.certificates;
const manualCertificates = manualMethod.fromFiles + manualMethod.embedded;
const withExtraCa = process.env[EXTRA_CA]
  ? { table: timeCommand(process.execPath, tableArgs, callerEnv), json: timeCommand(process.execPath, jsonArgs, callerEnv), nodeAlone: timeCommand(process.execPath, ["-e", "0"], callerEnv) }
  : undefined;

process.stdout.write(`(a) one node (kubeadm-healthy), whole process${withExtraCa ? `, ${EXTRA_CA} unset (see below)` : ""}:\n`);
process.stdout.write(`    single-file build, table   ${ms(single)}\n`);
process.stdout.write(`    single-file build, -o json ${ms(singleJson)}\n`);
process.stdout.write(`    installed CLI, table       ${ms(installed)}\n`);
process.stdout.write(`    node -e 0 (floor)          ${ms(nodeAlone)}\n`);
process.stdout.write(
  `(b) manual method, ${manualCertificates} certificates (${manualMethod.fromFiles} in ${manualMethod.files} PEM files, ` +
    `${manualMethod.embedded} embedded in ${manualMethod.kubeconfigs} kubeconfigs) × openssl x509 + ${manualMethod.verifies} × openssl verify: ${ms(manual)}\n`,
);
process.stdout.write(
  `    certificates: manual ${manualCertificates}, kube-cert-audit ${toolCertificates} (summary.certificates)` +
    `${manualCertificates === toolCertificates ? ", the same" : " — they differ"}\n`,
);
process.stdout.write(`    ratio manual / single-file build: ${(manual / single).toFixed(1)}× (table), ${(manual / singleJson).toFixed(1)}× (-o json)\n`);
if (withExtraCa) {
  process.stdout.write(
    `    with ${EXTRA_CA}=${process.env[EXTRA_CA]} as this shell sets it, node loads those certificates at every start:\n` +
      `    table ${ms(withExtraCa.table)}, -o json ${ms(withExtraCa.json)}, node -e 0 ${ms(withExtraCa.nodeAlone)}; ` +
      `ratio ${(manual / withExtraCa.table).toFixed(1)}× (table), ${(manual / withExtraCa.json).toFixed(1)}× (-o json)\n`,
  );
}
process.stdout.write("\n");

process.stdout.write(
  `(c) kube-cert-audit fleet DIR over N distinct nodes in clusters of 3: shared CAs per cluster, own leaf certs and ECDSA keys per node\n` +
    `    (single-file build, whole process, signatures verified, median of ${FLEET_RUNS} runs; generation by scripts/samples/fleet.ts timed apart):\n`,
);
const results = fleet(FLEET_SIZES);
for (const r of results) {
  process.stdout.write(
    `    N=${String(r.size).padEnd(5)} ${ms(r.elapsed).padStart(11)}  ${(r.elapsed / r.size).toFixed(2)} ms/node  ${r.certificates} certificates, ` +
      `${Math.round((r.certificates / r.elapsed) * 1000)} certificates/s  peak RSS ${r.rssMiB.toFixed(0)} MiB  (generated in ${(r.generationElapsed / 1000).toFixed(1)} s)\n` +
      `           --jobs 1: ${ms(r.oneThread.elapsed)}, ${Math.round((r.certificates / r.oneThread.elapsed) * 1000)} certificates/s, peak RSS ${r.oneThread.rssMiB.toFixed(0)} MiB\n`,
  );
}
// Linear means each further node costs the same: compare the cost per added node between sizes.
for (let i = 2; i < results.length; i++) {
  const [a, b, c] = [results[i - 2], results[i - 1], results[i]];
  const marginal = (x, y) => (y.elapsed - x.elapsed) / (y.size - x.size);
  const rate = (x, y) => Math.round(((y.certificates - x.certificates) / (y.elapsed - x.elapsed)) * 1000);
  process.stdout.write(
    `    cost per added node: ${marginal(a, b).toFixed(2)} ms from N=${a.size} to ${b.size}, ${marginal(b, c).toFixed(2)} ms from N=${b.size} to ${c.size} ` +
      `(the added nodes' certificates at ${rate(a, b)} and ${rate(b, c)} per second)\n`,
  );
}
const fleetFindings = [...new Set(results.flatMap((r) => r.fleetFindings))];
if (fleetFindings.length > 0) {
  const why = fleetFindings.every((id) => id === "ca-differs-across-nodes")
    ? ": `fleet` compares the CAs of all its nodes as one cluster's, and this fleet has its own CAs per cluster of 3"
    : "";
  process.stdout.write(`    every node exits 0; the fleet exits ${Math.max(...results.map((r) => r.exitCode))} on ${fleetFindings.join(", ")}${why}\n`);
}
