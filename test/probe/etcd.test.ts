import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Finding } from "../../src/model.js";
import { DAY, fingerprintOf, freePort, HOUR, probeTree, reissue, SAMPLE, unit, writeTree } from "./helpers.js";

/**
 * A real etcd (Debian's etcd-server; .ci/run installs it) serving a sample cluster's etcd PKI,
 * probed the way kube-apiserver talks to it. The tree under test is the "node": its units name
 * the ports and files, and etcd runs with those very files (the tree's paths under its root).
 */

const PROBE_TIMEOUT_MS = 10_000;
const SLOW = 180_000;

function which(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, binary);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const HEALTHY_PKI = path.join(SAMPLE("kubeadm-healthy"), "etc/kubernetes/pki");
/** A different etcd CA with the same name (CN etcd-ca, its own key): kubeadm-broken's ca-old.crt. */
const OTHER_CA = path.join(SAMPLE("kubeadm-broken"), "etc/kubernetes/pki/etcd/ca-old.crt");

interface Ports {
  client: number;
  peer: number;
  metrics: number;
  /** kube-apiserver's --secure-port: nothing listens there. */
  apiserver: number;
}

/** etcd's flags, with every file named by its node path; `trustedCa` is --trusted-ca-file. */
function etcdFlags(ports: Ports, trustedCa: string, certFile = "/etc/kubernetes/pki/etcd/server.crt"): string[] {
  const client = `https://127.0.0.1:${ports.client}`;
  const peer = `https://127.0.0.1:${ports.peer}`;
  return [
    "--name=cp-1",
    "--data-dir=/var/lib/etcd",
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=cp-1=${peer}`,
    `--listen-metrics-urls=http://127.0.0.1:${ports.metrics}`,
    `--cert-file=${certFile}`,
    "--key-file=/etc/kubernetes/pki/etcd/server.key",
    `--trusted-ca-file=${trustedCa}`,
    "--client-cert-auth=true",
    "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt",
    "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key",
    "--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
    "--peer-client-cert-auth=true",
  ];
}

function apiserverFlags(ports: Ports): string[] {
  return [
    "--advertise-address=127.0.0.1",
    `--secure-port=${ports.apiserver}`,
    `--etcd-servers=https://127.0.0.1:${ports.client}`,
    "--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt",
    "--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt",
    "--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key",
  ];
}

/**
 * The sample's etcd PKI in a tree. The keys are copied as they are; the certificates are issued
 * again by the same CA key with the same names and extensions, valid around the real time (the
 * samples' are issued for a fixed date, and etcd and the probe verify at the real time).
 */
async function writePki(root: string, now: number): Promise<void> {
  const validity = { notBefore: new Date(now - HOUR), notAfter: new Date(now + 30 * DAY) };
  const read = (file: string) => fs.readFileSync(path.join(HEALTHY_PKI, file));
  const caKey = read("etcd/ca.key");
  const ca = await reissue(read("etcd/ca.crt"), caKey, { notBefore: validity.notBefore, notAfter: new Date(now + 365 * DAY) });
  const leaf = (file: string) => reissue(read(file), caKey, { issuerPem: ca, ...validity });
  writeTree(root, {
    "/etc/hostname": "cp-1\n",
    "/etc/kubernetes/pki/etcd/ca.crt": ca,
    "/etc/kubernetes/pki/etcd/ca.key": caKey,
    "/etc/kubernetes/pki/etcd/ca-other.crt": fs.readFileSync(OTHER_CA),
    "/etc/kubernetes/pki/etcd/server.crt": await leaf("etcd/server.crt"),
    "/etc/kubernetes/pki/etcd/server.key": read("etcd/server.key"),
    "/etc/kubernetes/pki/etcd/peer.crt": await leaf("etcd/peer.crt"),
    "/etc/kubernetes/pki/etcd/peer.key": read("etcd/peer.key"),
    "/etc/kubernetes/pki/apiserver-etcd-client.crt": await leaf("apiserver-etcd-client.crt"),
    "/etc/kubernetes/pki/apiserver-etcd-client.key": read("apiserver-etcd-client.key"),
  });
}

/** A running etcd and what it printed (the last part), for a failure message. */
interface Etcd {
  child: ChildProcess;
  output: () => string;
  exited: () => boolean;
}

const running: Etcd[] = [];

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ host: "127.0.0.1", port, path: "/health", timeout: 2000 }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve(response.statusCode === 200 && body.includes('"health":"true"')));
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(false));
  });
}

/** Start etcd on the tree's files (node paths under root) and wait until it is healthy. */
async function startEtcd(binary: string, root: string, flags: string[], dataDir: string, metricsPort: number): Promise<Etcd> {
  const args = flags.map((flag) => {
    const [name, value] = flag.split(/=(.*)/s) as [string, string];
    if (name === "--data-dir") return `${name}=${dataDir}`;
    return value.startsWith("/") ? `${name}=${path.join(root, value)}` : flag;
  });
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let exited = false;
  const keep = (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-8000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("exit", () => (exited = true));
  const etcd: Etcd = { child, output: () => output, exited: () => exited };
  running.push(etcd);
  // Readiness: /health on the plain-http metrics listener says true once etcd has a leader.
  for (;;) {
    if (exited) throw new Error(`etcd exited before it was ready:\n${output}`);
    if (await healthy(metricsPort)) return etcd;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function stop(etcd: Etcd): Promise<void> {
  if (etcd.exited()) return;
  const gone = new Promise<void>((resolve) => etcd.child.once("exit", () => resolve()));
  etcd.child.kill("SIGTERM");
  const timer = setTimeout(() => etcd.child.kill("SIGKILL"), 10_000);
  await gone;
  clearTimeout(timer);
}

async function ports(): Promise<Ports> {
  const picked: number[] = [];
  while (picked.length < 4) {
    const port = await freePort();
    if (!picked.includes(port)) picked.push(port);
  }
  const [client, peer, metrics, apiserver] = picked as [number, number, number, number];
  return { client, peer, metrics, apiserver };
}

const probeFindings = (findings: Finding[]) => findings.filter((finding) => finding.id.startsWith("probe-"));

let scratch: string;
let etcdBinary: string | undefined;

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "kca-etcd-"));
  etcdBinary = which("etcd");
});

afterAll(async () => {
  await Promise.all(running.map(stop));
  fs.rmSync(scratch, { recursive: true, force: true });
}, 60_000);

function requireEtcd(): string {
  // Not a skip: without etcd this test fails and says what is missing.
  expect(etcdBinary, "etcd is not on PATH: install Debian's etcd-server (apt-get install -y etcd-server), as .ci/run does").toBeDefined();
  return etcdBinary as string;
}

describe("live probe against a real etcd", () => {
  let healthyRoot: string;
  let healthyPorts: Ports;

  /** A node tree whose etcd unit and API server unit name fresh ports, with real etcd started from it. */
  async function runningTree(name: string, trustedCA: string): Promise<{ root: string; ports: Ports }> {
    const binary = requireEtcd();
    const root = path.join(scratch, name);
    const p = await ports();
    await writePki(root, Date.now());
    const flags = etcdFlags(p, trustedCA);
    writeTree(root, {
      "/etc/systemd/system/etcd.service": unit("/usr/bin/etcd", flags),
      "/etc/systemd/system/kube-apiserver.service": unit("/usr/local/bin/kube-apiserver", apiserverFlags(p)),
    });
    await startEtcd(binary, root, flags, path.join(scratch, `data-${name}`), p.metrics);
    return { root, ports: p };
  }

  test(
    "(a) healthy: the probe agrees with the file audit; etcd serves exactly the files' certificates",
    async () => {
      ({ root: healthyRoot, ports: healthyPorts } = await runningTree("healthy", "/etc/kubernetes/pki/etcd/ca.crt"));

      const { report, probes } = await probeTree(healthyRoot, PROBE_TIMEOUT_MS);
      const pki = (file: string) => fingerprintOf(fs.readFileSync(path.join(healthyRoot, "etc/kubernetes/pki", file)));
      const client = probes.find((p) => p.target.url === `https://127.0.0.1:${healthyPorts.client}`);
      const peer = probes.find((p) => p.target.url === `https://127.0.0.1:${healthyPorts.peer}`);
      expect(client?.served?.fingerprintSha256).toBe(pki("etcd/server.crt"));
      expect(client?.clientPresented).toBe(true);
      expect(client?.target.client?.certPath).toBe("/etc/kubernetes/pki/apiserver-etcd-client.crt");
      expect(client?.target.connection?.id).toBe("apiserver-to-etcd");
      expect(client?.failures).toEqual([]);
      expect(peer?.served?.fingerprintSha256).toBe(pki("etcd/peer.crt"));
      expect(peer?.target.connection?.id).toBe("etcd-peer");
      expect(peer?.failures).toEqual([]);
      // Nothing worse than info from the probe (the API server's port is closed: info).
      expect(probeFindings(report.findings).filter((f) => f.severity !== "info")).toEqual([]);
      expect(probeFindings(report.findings).map((f) => [f.id, f.component])).toEqual([["probe-unreachable", "kube-apiserver"]]);
      // And the file audit agrees: the connection holds.
      expect(report.findings.filter((f) => f.connection === "apiserver-to-etcd")).toEqual([]);
      expect(report.connections.find((c) => c.id === "apiserver-to-etcd")?.status).toBe("ok");
    },
    SLOW,
  );

  test(
    "(b) etcd trusts another CA: the file audit and the live handshake both report apiserver → etcd broken",
    async () => {
      // Running etcd trusts the other CA for its clients, and its unit says so.
      const { root, ports: p } = await runningTree("other-ca", "/etc/kubernetes/pki/etcd/ca-other.crt");

      const { report, probes } = await probeTree(root, PROBE_TIMEOUT_MS);
      const offline = report.findings.filter((f) => f.id === "trust-edge-broken" && f.connection === "apiserver-to-etcd");
      expect(offline).toHaveLength(1);
      const live = report.findings.filter((f) => f.id === "probe-handshake-failed");
      expect(live.map((f) => [f.severity, f.component, f.connection, f.flag])).toEqual([["critical", "etcd", "apiserver-to-etcd", "--listen-client-urls"]]);
      expect(live[0]?.message).toContain("etcd rejected the client certificate kube-apiserver --etcd-certfile (/etc/kubernetes/pki/apiserver-etcd-client.crt)");
      expect(live[0]?.actual).toMatch(/bad certificate/);
      const client = probes.find((probe) => probe.target.url === `https://127.0.0.1:${p.client}`);
      expect(client?.failures.map((f) => f.kind)).toEqual(["client-rejected"]);
      // What etcd serves is still the file's, and the peer port (its own CA) is fine.
      expect(client?.served?.fingerprintSha256).toBe(fingerprintOf(fs.readFileSync(path.join(root, "etc/kubernetes/pki/etcd/server.crt"))));
      expect(probes.find((probe) => probe.target.url === `https://127.0.0.1:${p.peer}`)?.failures).toEqual([]);
      expect(report.connections.find((c) => c.id === "apiserver-to-etcd")?.status).toBe("broken");
      expect(report.summary.exitCode).toBe(2);
    },
    SLOW,
  );

  test(
    "(c) a renewed certificate: etcd reloads a file replaced in place; a unit naming a new file while etcd runs on the old one is stale",
    async () => {
      requireEtcd();
      expect(healthyRoot, "runs after (a), on its etcd").toBeDefined();
      const pkiDir = path.join(healthyRoot, "etc/kubernetes/pki/etcd");
      const caPem = fs.readFileSync(path.join(pkiDir, "ca.crt"));
      const caKey = fs.readFileSync(path.join(pkiDir, "ca.key"));
      const now = Date.now();
      const renew = () => reissue(fs.readFileSync(path.join(pkiDir, "server.crt")), caKey, { issuerPem: caPem, notBefore: new Date(now - HOUR), notAfter: new Date(now + 60 * DAY) });

      // 1. `kubeadm certs renew` style: same path, same key, new serial. etcd (3.2 and later) loads
      //    its certificate file at every handshake, so it serves the new one: nothing is stale.
      const inPlace = await renew();
      fs.writeFileSync(path.join(pkiDir, "server.crt"), inPlace);
      const first = await probeTree(healthyRoot, PROBE_TIMEOUT_MS);
      const served = first.probes.find((p) => p.target.url === `https://127.0.0.1:${healthyPorts.client}`)?.served;
      expect(served?.fingerprintSha256).toBe(fingerprintOf(inPlace));
      expect(first.report.findings.filter((f) => f.id === "probe-stale-certificate")).toEqual([]);

      // 2. The unit now names a re-issued copy in a new file; etcd, not restarted, still serves
      //    the file it was started with.
      const renamed = await renew();
      writeTree(healthyRoot, {
        "/etc/kubernetes/pki/etcd/server-renewed.crt": renamed,
        "/etc/systemd/system/etcd.service": unit("/usr/bin/etcd", etcdFlags(healthyPorts, "/etc/kubernetes/pki/etcd/ca.crt", "/etc/kubernetes/pki/etcd/server-renewed.crt")),
      });
      const { report } = await probeTree(healthyRoot, PROBE_TIMEOUT_MS);
      const stale = report.findings.filter((f) => f.id === "probe-stale-certificate");
      expect(stale.map((f) => [f.severity, f.component, f.path, f.flag, f.role])).toEqual([["critical", "etcd", "/etc/kubernetes/pki/etcd/server-renewed.crt", "--cert-file", "hardway-etcd-server"]]);
      expect(stale[0]?.message).toContain("is serving an old certificate; restart etcd");
      expect(stale[0]?.message).toContain("same key");
      expect(stale[0]?.remediation).toBe("Restart etcd: systemctl restart etcd");
      expect(stale[0]?.actual).toContain(fingerprintOf(inPlace).slice(0, 23));
      expect(probeFindings(report.findings).filter((f) => f.id === "probe-handshake-failed")).toEqual([]);
      expect(report.summary.exitCode).toBe(2);
    },
    SLOW,
  );
});
