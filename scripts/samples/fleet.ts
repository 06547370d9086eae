/**
 * A fleet of distinct kubeadm control-plane node snapshots, for `kube-cert-audit fleet DIR`.
 *
 *   npx tsx scripts/samples/fleet.ts OUTDIR N    write OUTDIR/node-0000 … OUTDIR/node-<N-1>
 *
 * Nodes come in clusters of three, as kubeadm HA control planes do (the last cluster may be
 * smaller). A cluster's nodes share its CA certificates and keys and its service-account key
 * pair, byte for byte; each cluster has its own CA certificates (own serials). Each node has its
 * own facts (name, address), its own leaf certificates and its own freshly generated leaf keys.
 *
 * Leaf keys are ECDSA P-256 (kubeadm's `encryptionAlgorithm: ECDSA-P256`) because generating
 * RSA-2048 keys for thousands of leaves takes minutes; the CA keys stay the committed RSA-2048
 * keys, so every signature is RSA PKCS#1 v1.5 as on the samples. Unlike sample-clusters/, a
 * fleet is not reproducible byte for byte: its keys are new on every run.
 */
import { createHash } from "node:crypto";
import { chmod, mkdir, readdir, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { KEYS_DIR } from "./generate.js";
import { FreshKeys, KeyStore, issueAll, type KeySource } from "./pki.js";
import { renderTree, type RenderedEntry } from "./render.js";
import { CP1_FACTS, kubeadmNode, type CertSpec, type KeyAlgorithm, type NodeFacts, type NodeSpec } from "./spec.js";
import { runWhenMain } from "./script-main.js";

/** Control-plane nodes per cluster. */
const CLUSTER_SIZE = 3;

/** The certificates a cluster's nodes share: kubeadm copies these CAs to every joining control-plane node. */
const CLUSTER_CAS = ["ca", "etcd-ca", "front-proxy-ca"] as const;

/** The service-account key pair, also copied to every control-plane node of a cluster. */
const SERVICE_ACCOUNT_KEY = "sa";

/**
 * Nodes rendered and written at once: enough to keep the signing and file-system thread pool
 * busy while the main thread builds certificates. (One worker thread per core was measured too:
 * on two cores it saved under 10%, not worth a second code path.)
 */
const NODES_IN_FLIGHT = 16;

/** Directory name of node `index` under the fleet directory. */
export function nodeDirName(index: number): string {
  return `node-${String(index).padStart(4, "0")}`;
}

/**
 * Facts of node `index`: member `index % 3` of cluster `index / 3`, named like `c0042-cp-2`, with
 * an address 10.<1+cluster/256>.<cluster%256>.<11+member>, below the service subnet 10.96.0.0/12.
 */
function fleetNodeFacts(index: number): NodeFacts {
  const cluster = Math.floor(index / CLUSTER_SIZE);
  const member = index % CLUSTER_SIZE;
  const secondOctet = 1 + Math.floor(cluster / 256);
  if (secondOctet >= 96) throw new Error(`node ${index}: the fleet's addresses would reach the service subnet ${CP1_FACTS.serviceSubnet}`);
  const name = `c${String(cluster).padStart(4, "0")}-cp-${member + 1}`;
  return { ...CP1_FACTS, hostname: name, nodeName: name, advertiseAddress: `10.${secondOctet}.${cluster % 256}.${11 + member}` };
}

/**
 * A serial as long as `template` (kubeadm's 64-bit or csrsigning's 128-bit), derived from `scope`
 * so that it is distinct per cluster or node and the same on every run; positive and non-zero.
 */
function serialFor(template: string, scope: string): string {
  const digest = createHash("sha256").update(scope).digest();
  digest[0] = ((digest[0] as number) & 0x7f) || 1;
  return digest.toString("hex").slice(0, template.length);
}

/** The cluster CAs, by id, of a node spec. */
function clusterCAs(spec: NodeSpec): Record<string, CertSpec> {
  return Object.fromEntries(CLUSTER_CAS.map((id) => {
    const cert = spec.certs[id];
    if (!cert) throw new Error(`the kubeadm node has no certificate ${id}`);
    return [id, cert];
  }));
}

/**
 * The spec of node `index`: kubeadm's node for its facts, with the cluster's CA serials, its own
 * leaf serials and ECDSA P-256 leaf keys (files holding a leaf key say so too). The kubelet's
 * self-signed serving pair keeps client-go's serials 1 and 2: its issuer, named after the host,
 * already differs per node.
 */
function fleetNodeSpec(index: number): NodeSpec {
  const facts = fleetNodeFacts(index);
  const spec = kubeadmNode(facts);
  const cluster = Math.floor(index / CLUSTER_SIZE);
  const algorithms = new Map<string, KeyAlgorithm>([[SERVICE_ACCOUNT_KEY, "ECDSA-P256"]]);
  for (const [id, cert] of Object.entries(spec.certs)) {
    if ((CLUSTER_CAS as readonly string[]).includes(id)) {
      cert.serial = serialFor(cert.serial, `cluster ${cluster} ${id}`);
    } else if (!cert.isCA) {
      cert.keyAlgorithm = "ECDSA-P256";
      if (cert.issuer !== "kubelet-serving-ca") cert.serial = serialFor(cert.serial, `node ${facts.nodeName} ${id}`);
    }
    algorithms.set(cert.keyId, cert.keyAlgorithm);
  }
  for (const file of spec.files) {
    if (file.kind === "private-key" || file.kind === "public-key") file.keyAlgorithm = algorithms.get(file.keyId) ?? file.keyAlgorithm;
    else if (file.kind === "pem" && file.key) file.key.keyAlgorithm = algorithms.get(file.key.keyId) ?? file.key.keyAlgorithm;
  }
  return spec;
}

/** What a cluster's nodes share: its keys (CA keys from the store, its own service-account key) and its CA certificates. */
interface ClusterMaterial {
  keys: KeySource;
  cas: Map<string, Uint8Array>;
}

async function clusterMaterial(firstNode: NodeSpec, store: KeySource): Promise<ClusterMaterial> {
  // kubeadm ECDSA-P256 clusters generate an ECDSA service-account key; one per cluster keeps sa.key distinct between clusters.
  const keys = new FreshKeys(new Set([SERVICE_ACCOUNT_KEY]), store);
  return { keys, cas: await issueAll(clusterCAs(firstNode), keys) };
}

/** Writes a rendered tree under `root`: directories first, then files (with their modes) and symlinks. */
async function writeTree(root: string, entries: ReadonlyMap<string, RenderedEntry>): Promise<void> {
  const dirs = new Set([...entries.keys()].map((path) => dirname(join(root, path))));
  for (const dir of dirs) await mkdir(dir, { recursive: true });
  await Promise.all([...entries].map(async ([path, entry]) => {
    const target = join(root, path);
    if (entry.kind === "symlink") return symlink(entry.target, target);
    await writeFile(target, entry.content, { mode: entry.mode });
    await chmod(target, entry.mode); // writeFile's mode is filtered by the umask
  }));
}

/** Runs `task` for 0 … count-1, at most `limit` at a time. */
async function forEachIndex(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

/**
 * Writes `nodes` node snapshots to `outDir/node-0000` … (see the file comment). `outDir` is
 * created if needed and must be empty: nothing already there is overwritten or removed.
 */
export async function generateFleet(outDir: string, nodes: number): Promise<void> {
  if (!Number.isInteger(nodes) || nodes < 1) throw new Error(`the number of nodes must be a positive integer, not ${nodes}`);
  await mkdir(outDir, { recursive: true });
  if ((await readdir(outDir)).length > 0) throw new Error(`${outDir} is not empty`);
  const store = new KeyStore(KEYS_DIR, false);
  const clusters = new Map<number, Promise<ClusterMaterial>>();
  await forEachIndex(nodes, NODES_IN_FLIGHT, async (index) => {
    const spec = fleetNodeSpec(index);
    const cluster = Math.floor(index / CLUSTER_SIZE);
    // The first node of a cluster to get here issues its CAs; the others wait for the same promise.
    const shared = clusters.get(cluster) ?? clusterMaterial(spec, store);
    clusters.set(cluster, shared);
    const { keys, cas } = await shared;
    // Leaf keys are the node's own; CA keys (the kubelet's serving CA included) come from the store.
    const leafKeyIds = Object.values(spec.certs).filter((cert) => !cert.isCA).map((cert) => cert.keyId);
    const tree = await renderTree(spec, new FreshKeys(new Set(leafKeyIds), keys), cas);
    await writeTree(join(outDir, nodeDirName(index)), tree);
  });
}

async function main(argv: string[]): Promise<number> {
  const [outDir, count, ...rest] = argv;
  const nodes = Number(count);
  if (!outDir || !Number.isInteger(nodes) || nodes < 1 || rest.length > 0) {
    console.error("usage: npx tsx scripts/samples/fleet.ts OUTDIR N   (N ≥ 1 node snapshots, in clusters of 3)");
    return 2;
  }
  const started = performance.now();
  await generateFleet(outDir, nodes);
  const seconds = (performance.now() - started) / 1000;
  console.log(`wrote ${nodes} nodes in ${Math.ceil(nodes / CLUSTER_SIZE)} clusters to ${outDir} in ${seconds.toFixed(1)} s`);
  return 0;
}

runWhenMain(import.meta.url, main);
