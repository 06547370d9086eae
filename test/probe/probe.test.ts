import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { audit } from "../../src/audit.js";
import type { Finding } from "../../src/model.js";
import type { Connect } from "../../src/probe/tls.js";
import { BUNDLED_RULES } from "../helpers/context.js";
import { close, fingerprintOf, freePort, probeTree, SAMPLE, tlsServer, unit, writeTree } from "./helpers.js";
import { buildTree, makePki, type Pair, type Pki } from "./standin-tree.js";

/** Generous: a stand-in on this machine answers in milliseconds, a busy CI machine may not. */
const PROBE_TIMEOUT_MS = 10_000;

const probeFindings = (findings: Finding[]) => findings.filter((finding) => finding.id.startsWith("probe-"));

let scratch: string;
let pki: Pki;
let servers: net.Server[] = [];
let held: net.Socket[] = [];

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "kca-probe-"));
  pki = await makePki();
});

afterEach(async () => {
  for (const socket of held) socket.destroy();
  held = [];
  await Promise.all(servers.map(close));
  servers = [];
});

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

let treeCount = 0;
function newRoot(): string {
  const root = path.join(scratch, `tree-${treeCount++}`);
  fs.mkdirSync(root);
  return root;
}

/** kube-apiserver stand-in: serves `pair`, asks for a client certificate like the API server. */
async function apiserverStandIn(pair: Pair, host = "127.0.0.1", port = 0): Promise<number> {
  const { server, port: bound } = await tlsServer({ cert: pair.cert, key: pair.key, requestCert: true, rejectUnauthorized: false }, host, port);
  servers.push(server);
  return bound;
}

/** kubelet stand-in: requires a client certificate from `clientCa`, records the one it got. */
async function kubeletStandIn(clientCa: string, seen: string[]): Promise<number> {
  const { server, port } = await tlsServer({ cert: pki.kubelet.cert, key: pki.kubelet.key, requestCert: true, rejectUnauthorized: true, ca: clientCa });
  server.on("secureConnection", (socket: tls.TLSSocket) => seen.push(socket.getPeerCertificate().fingerprint256));
  servers.push(server);
  return port;
}

describe("probe against TLS stand-ins for kube-apiserver and the kubelet", () => {
  test("fresh: what is served is what the files say; the client certificate is presented and accepted", async () => {
    const seen: string[] = [];
    const apiserverPort = await apiserverStandIn(pki.apiserver);
    const kubeletPort = await kubeletStandIn(pki.ca.cert, seen);
    const root = newRoot();
    buildTree(root, pki, { apiserverPort, advertise: "127.0.0.1", apiserverCert: pki.apiserver, clientCa: pki.ca.cert, kubeletPort, kubeletCa: pki.ca.cert });
    const { report, probes } = await probeTree(root, PROBE_TIMEOUT_MS);
    expect(probes.map((p) => p.target.url).sort()).toEqual([`https://127.0.0.1:${apiserverPort}`, `https://127.0.0.1:${kubeletPort}`].sort());
    const apiserver = probes.find((p) => p.target.component === "kube-apiserver");
    const kubelet = probes.find((p) => p.target.component === "kubelet");
    expect(apiserver?.served?.fingerprintSha256).toBe(fingerprintOf(pki.apiserver.cert));
    expect(apiserver?.target.onDisk?.fingerprintSha256).toBe(fingerprintOf(pki.apiserver.cert));
    expect(apiserver?.failures).toEqual([]);
    expect(apiserver?.clientPresented).toBe(false);
    expect(kubelet?.served?.fingerprintSha256).toBe(fingerprintOf(pki.kubelet.cert));
    expect(kubelet?.failures).toEqual([]);
    expect(kubelet?.clientPresented).toBe(true);
    // The kubelet saw the API server's kubelet client certificate.
    expect(seen).toEqual([fingerprintOf(pki.kubeletClient.cert)]);
    expect(probeFindings(report.findings)).toEqual([]);
  });

  test("stale: a renewed file the running server has not loaded is probe-stale-certificate, critical, with the restart", async () => {
    const apiserverPort = await apiserverStandIn(pki.apiserver);
    const root = newRoot();
    buildTree(root, pki, { apiserverPort, advertise: "127.0.0.1", apiserverCert: pki.apiserverRenewed, clientCa: pki.ca.cert });
    const offline = audit({ root, at: new Date(), generatedAt: new Date(), warnWithinDays: 30, criticalWithinDays: 7, rules: BUNDLED_RULES, version: "test" });
    expect(probeFindings(offline.findings)).toEqual([]);
    const { report } = await probeTree(root, PROBE_TIMEOUT_MS);
    const found = probeFindings(report.findings);
    expect(found.map((f) => [f.id, f.severity, f.component, f.path, f.flag])).toEqual([["probe-stale-certificate", "critical", "kube-apiserver", "/etc/kubernetes/pki/apiserver.crt", "--tls-cert-file"]]);
    const stale = found[0] as Finding;
    expect(stale.message).toContain("is serving an old certificate; restart kube-apiserver");
    expect(stale.message).toContain("same key");
    expect(stale.remediation).toContain("systemctl restart kube-apiserver");
    expect(stale.expected).toContain(fingerprintOf(pki.apiserverRenewed.cert).slice(0, 23));
    expect(stale.actual).toContain(fingerprintOf(pki.apiserver.cert).slice(0, 23));
    // Counted like every other finding.
    expect(report.summary.bySeverity.critical).toBe(offline.summary.bySeverity.critical + 1);
    expect(report.summary.findings).toBe(offline.summary.findings + 1);
    expect(report.summary.exitCode).toBe(2);
  });

  test("wrong CA: a served certificate the configured CA did not sign fails the handshake", async () => {
    const apiserverPort = await apiserverStandIn(pki.apiserver);
    const root = newRoot();
    // --client-ca-file (what the probe verifies the API server with here) is another cluster's CA.
    buildTree(root, pki, { apiserverPort, advertise: "127.0.0.1", apiserverCert: pki.apiserver, clientCa: pki.otherCa.cert });
    const { report, probes } = await probeTree(root, PROBE_TIMEOUT_MS);
    expect(probes[0]?.failures.map((f) => f.kind)).toEqual(["server-untrusted"]);
    const found = probeFindings(report.findings);
    expect(found.map((f) => [f.id, f.severity])).toEqual([["probe-handshake-failed", "critical"]]);
    expect(found[0]?.message).toContain("does not verify against kube-apiserver --client-ca-file (/etc/kubernetes/pki/ca.crt)");
    // Both CAs are CN=kubernetes: the issuer is found by name and its signature does not verify.
    expect(found[0]?.actual).toBe("certificate signature failure (CERT_SIGNATURE_FAILURE)");
  });

  test("a server that rejects the client certificate: probe-handshake-failed naming the connection, which is then broken", async () => {
    const apiserverPort = await apiserverStandIn(pki.apiserver);
    // The kubelet trusts another CA for its clients: the API server's kubelet client certificate fails.
    const kubeletPort = await kubeletStandIn(pki.otherCa.cert, []);
    const root = newRoot();
    buildTree(root, pki, { apiserverPort, advertise: "127.0.0.1", apiserverCert: pki.apiserver, clientCa: pki.ca.cert, kubeletPort, kubeletCa: pki.ca.cert });
    const { report, probes } = await probeTree(root, PROBE_TIMEOUT_MS);
    const kubelet = probes.find((p) => p.target.component === "kubelet");
    expect(kubelet?.clientPresented).toBe(true);
    expect(kubelet?.failures.map((f) => f.kind)).toEqual(["client-rejected"]);
    const found = probeFindings(report.findings);
    expect(found.map((f) => [f.id, f.component, f.connection])).toEqual([["probe-handshake-failed", "kubelet", "apiserver-to-kubelet"]]);
    expect(found[0]?.message).toContain("kubelet rejected the client certificate kube-apiserver --kubelet-client-certificate (/etc/kubernetes/pki/apiserver-kubelet-client.crt)");
    // Node's TLS server (this stand-in) drops the connection; Go's (the real kubelet, etcd) sends an alert.
    expect(found[0]?.actual).toBe("the server closed the connection right after the handshake");
    expect(report.connections.find((c) => c.id === "apiserver-to-kubelet")?.status).toBe("broken");
  });

  test("the host dialled must be in the served certificate: 127.0.0.2 is not, 127.0.0.1 is", async () => {
    const port = await apiserverStandIn(pki.apiserver, "127.0.0.1");
    await apiserverStandIn(pki.apiserver, "127.0.0.2", port);
    const root = newRoot();
    buildTree(root, pki, { apiserverPort: port, advertise: "127.0.0.2", apiserverCert: pki.apiserver, clientCa: pki.ca.cert });
    const { report, probes } = await probeTree(root, PROBE_TIMEOUT_MS);
    expect(probes.map((p) => [p.target.url, p.failures.map((f) => f.kind)])).toEqual([
      [`https://127.0.0.2:${port}`, ["host-mismatch"]],
      [`https://127.0.0.1:${port}`, []],
    ]);
    const found = probeFindings(report.findings);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain(`https://127.0.0.2:${port}`);
    expect(found[0]?.actual).toContain("127.0.0.2");
  });

  test("unreachable: a closed port is probe-unreachable, info, and changes no exit code", async () => {
    const port = await freePort();
    const root = newRoot();
    buildTree(root, pki, { apiserverPort: port, apiserverCert: pki.apiserver, clientCa: pki.ca.cert });
    const offline = audit({ root, at: new Date(), generatedAt: new Date(), warnWithinDays: 30, criticalWithinDays: 7, rules: BUNDLED_RULES, version: "test" });
    const { report } = await probeTree(root, PROBE_TIMEOUT_MS);
    const found = probeFindings(report.findings);
    expect(found.map((f) => [f.id, f.severity, f.flag])).toEqual([["probe-unreachable", "info", "--secure-port"]]);
    expect(found[0]?.actual).toContain("ECONNREFUSED");
    expect(report.summary.exitCode).toBe(offline.summary.exitCode);
  });

  test("a server that accepts TCP and never answers the handshake is unreachable after --probe-timeout", async () => {
    const silent = net.createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    servers.push(silent);
    const port = (silent.address() as net.AddressInfo).port;
    const root = newRoot();
    buildTree(root, pki, { apiserverPort: port, apiserverCert: pki.apiserver, clientCa: pki.ca.cert });
    const { report, probes } = await probeTree(root, 300);
    expect(probes[0]?.unreachable).toBe("no TLS handshake within 300 ms (the TCP connection opened but the server did not answer)");
    expect(probeFindings(report.findings).map((f) => [f.id, f.severity])).toEqual([["probe-unreachable", "info"]]);
  });
});

describe("what the probe contacts", () => {
  interface Dial {
    address: string;
    cert?: string;
    ca?: string[];
  }

  /** Record what would be dialled and with what, then dial a closed port instead. */
  async function recorder(): Promise<{ dials: Dial[]; connect: Connect }> {
    const closed = await freePort();
    const dials: Dial[] = [];
    const connect: Connect = (options) => {
      const cert = options.cert ? fingerprintOf(options.cert as Buffer) : undefined;
      const ca = options.ca ? (options.ca as string[]).map((pem) => fingerprintOf(pem)) : undefined;
      dials.push({ address: `${options.host}:${options.port}`, ...(cert ? { cert } : {}), ...(ca ? { ca } : {}) });
      return tls.connect({ ...options, host: "127.0.0.1", port: closed });
    };
    return { dials, connect };
  }

  const fp = (root: string, file: string) => fingerprintOf(fs.readFileSync(path.join(root, file)));

  test("a kubeadm node: its endpoints only, each with the client certificate and CA its real client uses", async () => {
    const root = SAMPLE("kubeadm-healthy");
    const { dials, connect } = await recorder();
    const { report } = await probeTree(root, PROBE_TIMEOUT_MS, connect);
    const byAddress = new Map(dials.map((dial) => [dial.address, dial]));
    expect([...byAddress.keys()].sort()).toEqual(["127.0.0.1:10250", "127.0.0.1:2379", "127.0.0.1:6443", "192.168.56.10:2379", "192.168.56.10:2380", "192.168.56.10:6443"]);
    expect(dials).toHaveLength(6);
    const etcdClient = fp(root, "etc/kubernetes/pki/apiserver-etcd-client.crt");
    const etcdCa = fp(root, "etc/kubernetes/pki/etcd/ca.crt");
    expect(byAddress.get("127.0.0.1:2379")).toEqual({ address: "127.0.0.1:2379", cert: etcdClient, ca: [etcdCa] });
    expect(byAddress.get("192.168.56.10:2379")).toEqual({ address: "192.168.56.10:2379", cert: etcdClient, ca: [etcdCa] });
    expect(byAddress.get("192.168.56.10:2380")).toEqual({ address: "192.168.56.10:2380", cert: fp(root, "etc/kubernetes/pki/etcd/peer.crt"), ca: [etcdCa] });
    // The API server: no client certificate; verified with the CA of kubelet.conf (ca.crt).
    expect(byAddress.get("127.0.0.1:6443")).toEqual({ address: "127.0.0.1:6443", ca: [fp(root, "etc/kubernetes/pki/ca.crt")] });
    // The kubelet: the API server's kubelet client pair; kubeadm sets no --kubelet-certificate-authority.
    expect(byAddress.get("127.0.0.1:10250")).toEqual({ address: "127.0.0.1:10250", cert: fp(root, "etc/kubernetes/pki/apiserver-kubelet-client.crt") });
    // Nothing answered: information only.
    expect(probeFindings(report.findings).map((f) => f.severity)).toEqual(Array(6).fill("info"));
    // Client keys were read to present them, and appear nowhere in the report.
    const text = JSON.stringify(report);
    for (const key of ["apiserver-etcd-client.key", "etcd/peer.key", "apiserver-kubelet-client.key"]) {
      const body = fs.readFileSync(path.join(root, "etc/kubernetes/pki", key), "utf8").split("\n")[1] as string;
      expect(body.length).toBeGreaterThan(40);
      expect(text).not.toContain(body.slice(0, 24));
    }
  });

  test("listen addresses: https only, all-addresses on loopback, the kubelet's --port over its config, no kubeconfig server", async () => {
    const root = newRoot();
    writeTree(root, {
      "/etc/systemd/system/kube-apiserver.service": unit("/usr/local/bin/kube-apiserver", ["--secure-port=16443", "--etcd-servers=https://127.0.0.1:12379"]),
      "/etc/systemd/system/etcd.service": unit("/usr/local/bin/etcd", [
        "--listen-client-urls=https://0.0.0.0:12379,http://127.0.0.1:12390",
        "--listen-peer-urls=https://[::]:12380",
        "--listen-metrics-urls=http://127.0.0.1:12381",
      ]),
      "/etc/systemd/system/kubelet.service": unit("/usr/bin/kubelet", ["--config=/var/lib/kubelet/config.yaml", "--port=11250", "--kubeconfig=/etc/kubernetes/kubelet.conf"]),
      "/var/lib/kubelet/config.yaml": "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nport: 10999\n",
      "/etc/kubernetes/kubelet.conf": [
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{name: c, cluster: {server: 'https://127.0.0.9:7443'}}]",
        "users: [{name: u, user: {}}]",
        "contexts: [{name: x, context: {cluster: c, user: u}}]",
        "current-context: x",
        "",
      ].join("\n"),
    });
    const { dials, connect } = await recorder();
    const { probes } = await probeTree(root, PROBE_TIMEOUT_MS, connect);
    expect(dials.map((d) => d.address).sort()).toEqual(["127.0.0.1:11250", "127.0.0.1:12379", "127.0.0.1:16443", "::1:12380"]);
    expect(probes.find((p) => p.target.component === "kubelet")?.target.addressFrom).toEqual({ source: "/etc/systemd/system/kubelet.service", flag: "--port" });
  });
});
