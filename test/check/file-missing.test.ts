import { expect } from "vitest";
import { fileMissing } from "../../src/check/checks/file-missing.js";
import type { DiscoveryProblem } from "../../src/discover/discover.js";
import { makeCA, makeCert, testKey } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { KUBELET_SERVER_PEM, discoveryProblem, fileProblem, kubeadmRef, kubeletServerPem, type RefSpec } from "../helpers/context.js";

const CA = "/etc/kubernetes/pki/ca.crt";
const APISERVER_CRT = "/etc/kubernetes/pki/apiserver.crt";
const APISERVER_KEY = "/etc/kubernetes/pki/apiserver.key";
const ETCD_SERVER = "/etc/kubernetes/pki/etcd/server.crt";
const HEALTHCHECK_CRT = "/etc/kubernetes/pki/etcd/healthcheck-client.crt";
const HEALTHCHECK_KEY = "/etc/kubernetes/pki/etcd/healthcheck-client.key";

const missing = (path: string) => fileProblem("missing", path);

const cert = async () => (await makeCert({ cn: "kube-apiserver", key: await testKey({ kind: "ec" }, 1), issuer: await makeCA("kubernetes", { key: await testKey() }) })).cert;

/** `component` --client-ca-file (CA), plus `extra`. */
const clientCA = (component: string, extra: Partial<RefSpec> = {}): RefSpec => kubeadmRef("ca", { component, ...extra });
/** kube-apiserver --tls-cert-file (APISERVER_CRT) and --tls-private-key-file (APISERVER_KEY), a matching pair unless `extra`/`keyExtra` say otherwise. */
const apiserverPair = async (extra: Partial<RefSpec> = {}, keyExtra: Partial<NonNullable<RefSpec["key"]>> = {}): Promise<RefSpec> =>
  kubeadmRef("apiserver", {
    certs: [await cert()],
    key: { path: APISERVER_KEY, flag: "--tls-private-key-file", privateKeys: [(await testKey({ kind: "ec" }, 1)).fingerprint], ...keyExtra },
    ...extra,
  });
/** kubeadm's well-known etcd health-check pair: audited when present, never required. */
const healthcheck = async (extra: Partial<RefSpec> = {}, keyExtra: Partial<NonNullable<RefSpec["key"]>> = {}): Promise<RefSpec> => ({
  component: "etcdctl",
  path: HEALTHCHECK_CRT,
  role: "etcd-healthcheck-client",
  optional: true,
  certs: [await cert()],
  key: { path: HEALTHCHECK_KEY, privateKeys: [(await testKey({ kind: "ec" }, 1)).fingerprint], ...keyExtra },
  ...extra,
});
const discovery = (id: DiscoveryProblem["id"], severity: DiscoveryProblem["severity"] = "warning"): DiscoveryProblem =>
  discoveryProblem(id, severity, { component: "kubelet", path: "/etc/kubernetes/kubelet.conf", flag: "--kubeconfig" });

const passes: PassCase[] = [
  {
    name: "every referenced certificate, key and CA file exists",
    spec: async () => ({ refs: [clientCA("kube-apiserver", { certs: [(await makeCA("kubernetes")).cert] }), await apiserverPair()] }),
  },
  {
    name: "optional well-known certificate (etcd healthcheck-client.crt) missing",
    spec: async () => ({ refs: [await healthcheck({ result: missing(HEALTHCHECK_CRT) }, { result: missing(HEALTHCHECK_KEY) })] }),
  },
  {
    name: "optional well-known key (etcd healthcheck-client.key) missing while its certificate exists",
    spec: async () => ({ refs: [await healthcheck({}, { result: missing(HEALTHCHECK_KEY) })] }),
  },
  {
    name: "an unreadable file is not reported as missing",
    spec: async () => ({ refs: [clientCA("kube-apiserver", { result: fileProblem("unreadable", CA) })] }),
  },
  {
    name: "a directory where the file should be is not reported as missing",
    spec: async () => ({ refs: [clientCA("kube-apiserver", { result: fileProblem("not-a-file", CA) })] }),
  },
  {
    name: "a file not mounted into the pod is not reported as missing",
    spec: async () => ({ refs: [clientCA("kube-apiserver", { result: { notMounted: true } })] }),
  },
  {
    name: "discovery problems of other ids (file-unreadable, config-invalid, not-mounted) are ignored",
    spec: async () => ({ refs: [], discoveryProblems: [discovery("file-unreadable"), discovery("config-invalid", "critical"), discovery("not-mounted", "critical")] }),
  },
];

const fails: FailCase[] = [
  {
    name: "critical: missing CA file named by two flags gives one finding naming both",
    spec: async () => ({ refs: [clientCA("kube-apiserver", { result: missing(CA) }), clientCA("kube-controller-manager", { result: missing(CA) })] }),
    findings: [
      {
        id: "file-missing",
        severity: "critical",
        component: "kube-apiserver",
        path: CA,
        flag: "--client-ca-file",
        role: "ca",
        expected: "a readable file",
        actual: "missing",
        message: `${CA} does not exist; named by kube-apiserver --client-ca-file, kube-controller-manager --client-ca-file`,
      },
    ],
  },
  {
    name: "critical: missing certificate file named by two flags of one component (etcd --cert-file and --peer-cert-file)",
    spec: async () => ({
      refs: [
        { component: "etcd", flag: "--cert-file", path: ETCD_SERVER, purpose: "serving", role: "etcd-server", result: missing(ETCD_SERVER) },
        { component: "etcd", flag: "--peer-cert-file", path: ETCD_SERVER, purpose: "peer", role: "etcd-peer", result: missing(ETCD_SERVER) },
      ],
    }),
    findings: [
      {
        id: "file-missing",
        severity: "critical",
        component: "etcd",
        path: ETCD_SERVER,
        flag: "--cert-file",
        role: "etcd-server",
        message: expect.stringContaining("named by etcd --cert-file, etcd --peer-cert-file"),
      },
    ],
  },
  {
    name: "critical: missing key file is reported with the key flag",
    spec: async () => ({ refs: [await apiserverPair({}, { result: missing(APISERVER_KEY) })] }),
    findings: [
      {
        id: "file-missing",
        severity: "critical",
        component: "kube-apiserver",
        path: APISERVER_KEY,
        flag: "--tls-private-key-file",
        role: "apiserver",
        actual: "missing",
        message: expect.stringContaining("named by kube-apiserver --tls-private-key-file"),
      },
    ],
  },
  {
    name: "critical: missing file named by an optional and a required reference names only the required one",
    spec: async () => ({
      refs: [
        await healthcheck({ result: missing(HEALTHCHECK_CRT) }, { result: missing(HEALTHCHECK_KEY) }),
        { component: "kube-apiserver", flag: "--etcd-certfile", path: HEALTHCHECK_CRT, role: "apiserver-etcd-client", result: missing(HEALTHCHECK_CRT) },
      ],
    }),
    findings: [
      {
        id: "file-missing",
        severity: "critical",
        component: "kube-apiserver",
        path: HEALTHCHECK_CRT,
        flag: "--etcd-certfile",
        role: "apiserver-etcd-client",
        message: `${HEALTHCHECK_CRT} does not exist; named by kube-apiserver --etcd-certfile`,
      },
    ],
  },
  {
    name: "critical: missing kubelet combined PEM (certificate and key fields name one file) gives one finding naming both fields",
    spec: async () => ({
      refs: [kubeletServerPem({ result: missing(KUBELET_SERVER_PEM) }, { result: missing(KUBELET_SERVER_PEM) })],
    }),
    findings: [
      {
        id: "file-missing",
        severity: "critical",
        component: "kubelet",
        path: KUBELET_SERVER_PEM,
        flag: "tlsCertFile",
        role: "kubelet-serving",
        message: expect.stringContaining("named by kubelet tlsCertFile, kubelet tlsPrivateKeyFile"),
      },
    ],
  },
  {
    name: "critical: two different missing files give one finding each",
    spec: async () => ({ refs: [clientCA("kube-apiserver", { result: missing(CA) }), await apiserverPair({ result: missing(APISERVER_CRT) }, { result: missing(APISERVER_KEY) })] }),
    findings: [
      // The runner orders findings by severity, component, then path.
      { id: "file-missing", severity: "critical", path: APISERVER_CRT, flag: "--tls-cert-file" },
      { id: "file-missing", severity: "critical", path: APISERVER_KEY, flag: "--tls-private-key-file" },
      { id: "file-missing", severity: "critical", path: CA, flag: "--client-ca-file" },
    ],
  },
  {
    name: "discovery problem with id file-missing becomes a finding with its own severity",
    spec: async () => ({ refs: [], discoveryProblems: [discovery("file-missing", "warning"), discovery("file-unreadable")] }),
    findings: [
      {
        id: "file-missing",
        severity: "warning",
        component: "kubelet",
        path: "/etc/kubernetes/kubelet.conf",
        flag: "--kubeconfig",
        role: null,
        message: "/etc/kubernetes/kubelet.conf (file-missing)",
        expected: "a readable file",
        actual: "file-missing",
      },
    ],
  },
];

checkTable(fileMissing, { passes, fails });
