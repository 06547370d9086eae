import { expect } from "vitest";
import { notMounted } from "../../src/check/checks/not-mounted.js";
import type { DiscoveryProblem } from "../../src/discover/discover.js";
import { makeCA, makeCert, testKey } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { discoveryProblem, fileProblem, kubeadmRef, type RefSpec } from "../helpers/context.js";

const CERT = "/srv/certs/apiserver.crt";
const KEY = "/srv/certs/apiserver.key";
const MOUNTED_CERT = "/etc/kubernetes/pki/apiserver.crt";
const MOUNTED_KEY = "/etc/kubernetes/pki/apiserver.key";

const key = () => testKey({ kind: "ec" }, 1);
const cert = async () => (await makeCert({ cn: "kube-apiserver", key: await key(), issuer: await makeCA("kubernetes", { key: await testKey() }) })).cert;

interface PairOptions {
  certUnmounted?: boolean;
  keyUnmounted?: boolean;
}
/** kube-apiserver's serving pair: MOUNTED_CERT and MOUNTED_KEY, or CERT and KEY outside every volumeMount. */
async function apiserverPair({ certUnmounted = false, keyUnmounted = false }: PairOptions): Promise<RefSpec> {
  return kubeadmRef("apiserver", {
    path: certUnmounted ? CERT : MOUNTED_CERT,
    ...(certUnmounted ? { result: { notMounted: true as const } } : { certs: [await cert()] }),
    key: {
      path: keyUnmounted ? KEY : MOUNTED_KEY,
      flag: "--tls-private-key-file",
      ...(keyUnmounted ? { result: { notMounted: true as const } } : { privateKeys: [(await key()).fingerprint] }),
    },
  });
}
const discovery = (id: DiscoveryProblem["id"], severity: DiscoveryProblem["severity"] = "critical"): DiscoveryProblem =>
  discoveryProblem(
    id,
    severity,
    { component: "kube-controller-manager", path: "/etc/kubernetes/controller-manager.conf", flag: "--kubeconfig" },
    "kube-controller-manager --kubeconfig=/etc/kubernetes/controller-manager.conf",
  );

const passes: PassCase[] = [
  {
    name: "certificate and key both inside a mounted directory",
    spec: async () => ({ refs: [await apiserverPair({})] }),
  },
  {
    name: "a missing file (mounted path, no file) is file-missing's business",
    spec: async () => ({
      refs: [kubeadmRef("ca", { result: fileProblem("missing", "/etc/kubernetes/pki/ca.crt") })],
    }),
  },
  {
    name: "discovery problems of other ids (file-missing, file-unreadable, config-invalid) are ignored",
    spec: async () => ({ refs: [], discoveryProblems: [discovery("file-missing"), discovery("file-unreadable", "warning"), discovery("config-invalid")] }),
  },
];

const fails: FailCase[] = [
  {
    name: "critical: certificate outside every volumeMount, finding names the flag",
    spec: async () => ({ refs: [await apiserverPair({ certUnmounted: true })] }),
    findings: [
      {
        id: "not-mounted",
        severity: "critical",
        component: "kube-apiserver",
        path: CERT,
        flag: "--tls-cert-file",
        role: "apiserver",
        expected: "the path inside a hostPath volume mount",
        actual: "not mounted",
        message: expect.stringContaining(`kube-apiserver --tls-cert-file=${CERT}`),
      },
    ],
  },
  {
    name: "critical: only the key is outside every volumeMount, finding names the key flag",
    spec: async () => ({ refs: [await apiserverPair({ keyUnmounted: true })] }),
    findings: [
      {
        id: "not-mounted",
        severity: "critical",
        component: "kube-apiserver",
        path: KEY,
        flag: "--tls-private-key-file",
        role: "apiserver",
        actual: "not mounted",
        message: expect.stringContaining(`--tls-private-key-file=${KEY}`),
      },
    ],
  },
  {
    name: "critical: certificate and key both unmounted give one finding each",
    spec: async () => ({ refs: [await apiserverPair({ certUnmounted: true, keyUnmounted: true })] }),
    findings: [
      // Runner order: same severity and component, then path (…apiserver.crt before …apiserver.key).
      { id: "not-mounted", severity: "critical", path: CERT, flag: "--tls-cert-file" },
      { id: "not-mounted", severity: "critical", path: KEY, flag: "--tls-private-key-file" },
    ],
  },
  {
    name: "critical: unmounted CA bundle",
    spec: async () => ({
      refs: [{ component: "etcd", flag: "--trusted-ca-file", path: "/opt/etcd/ca.crt", kind: "ca-bundle", purpose: "verify-clients", role: "etcd-ca", result: { notMounted: true } }],
    }),
    findings: [{ id: "not-mounted", severity: "critical", component: "etcd", path: "/opt/etcd/ca.crt", flag: "--trusted-ca-file", role: "etcd-ca" }],
  },
  {
    name: "discovery problem with id not-mounted becomes a finding with its own severity",
    spec: async () => ({ refs: [], discoveryProblems: [discovery("not-mounted", "critical"), discovery("file-missing")] }),
    findings: [
      {
        id: "not-mounted",
        severity: "critical",
        component: "kube-controller-manager",
        path: "/etc/kubernetes/controller-manager.conf",
        flag: "--kubeconfig",
        role: null,
        message: "kube-controller-manager --kubeconfig=/etc/kubernetes/controller-manager.conf (not-mounted)",
        actual: "not mounted",
      },
    ],
  },
];

checkTable(notMounted, { passes, fails });
