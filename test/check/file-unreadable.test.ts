import { expect } from "vitest";
import { fileUnreadable } from "../../src/check/checks/file-unreadable.js";
import type { DiscoveryProblem } from "../../src/discover/discover.js";
import type { FileProblemKind } from "../../src/load/root-fs.js";
import { makeCA, makeCert, testKey } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { discoveryProblem, fileProblem, kubeadmRef, type RefSpec } from "../helpers/context.js";

const CA = "/etc/kubernetes/pki/ca.crt";
const APISERVER_KEY = "/etc/kubernetes/pki/apiserver.key";

/** `component` --client-ca-file (CA), plus `extra`. */
const clientCA = (component: string, extra: Partial<RefSpec> = {}): RefSpec => kubeadmRef("ca", { component, ...extra });
/** kube-apiserver --tls-cert-file (APISERVER_CRT) and --tls-private-key-file (APISERVER_KEY), a matching pair unless the key file gives `keyResult`. */
const apiserverPair = async (keyResult?: RefSpec["result"]): Promise<RefSpec> =>
  kubeadmRef("apiserver", {
    certs: [(await makeCert({ cn: "kube-apiserver", key: await testKey({ kind: "ec" }, 1), issuer: await makeCA("kubernetes", { key: await testKey() }) })).cert],
    key: { path: APISERVER_KEY, flag: "--tls-private-key-file", privateKeys: [(await testKey({ kind: "ec" }, 1)).fingerprint], ...(keyResult ? { result: keyResult } : {}) },
  });
const discovery = (id: DiscoveryProblem["id"], severity: DiscoveryProblem["severity"] = "warning"): DiscoveryProblem =>
  discoveryProblem(id, severity, { component: "kube-apiserver.yaml", path: "/etc/kubernetes/manifests/kube-apiserver.yaml", flag: null });

const unreadableKinds: FileProblemKind[] = ["not-a-file", "too-large", "symlink-loop", "unreadable"];

const passes: PassCase[] = [
  {
    name: "every referenced file is readable",
    spec: async () => ({ refs: [clientCA("kube-apiserver", { certs: [(await makeCA("kubernetes")).cert] }), await apiserverPair()] }),
  },
  {
    name: "a missing file is file-missing's business, not this check's",
    spec: async () => ({ refs: [clientCA("kube-apiserver", { result: fileProblem("missing", CA) })] }),
  },
  {
    name: "a missing key file is not reported here",
    spec: async () => ({ refs: [await apiserverPair(fileProblem("missing", APISERVER_KEY))] }),
  },
  {
    name: "a file that is not mounted is not reported here",
    spec: async () => ({ refs: [clientCA("kube-apiserver", { result: { notMounted: true } })] }),
  },
  {
    name: "discovery problems of other ids (file-missing, config-invalid, not-mounted) are ignored",
    spec: async () => ({ refs: [], discoveryProblems: [discovery("file-missing"), discovery("config-invalid", "critical"), discovery("not-mounted", "critical")] }),
  },
];

const fails: FailCase[] = [
  ...unreadableKinds.map(
    (kind): FailCase => ({
      name: `critical: CA file is ${kind}`,
      spec: async () => ({ refs: [clientCA("kube-apiserver", { result: fileProblem(kind, CA) })] }),
      findings: [
        {
          id: "file-unreadable",
          severity: "critical",
          component: "kube-apiserver",
          path: CA,
          flag: "--client-ca-file",
          role: "ca",
          expected: "a readable file",
          actual: kind,
          message: `${fileProblem(kind, CA).problem.message}; named by kube-apiserver --client-ca-file`,
        },
      ],
    }),
  ),
  ...unreadableKinds.map(
    (kind): FailCase => ({
      name: `critical: key file is ${kind}, reported with the key flag`,
      spec: async () => ({ refs: [await apiserverPair(fileProblem(kind, APISERVER_KEY))] }),
      findings: [
        {
          id: "file-unreadable",
          severity: "critical",
          component: "kube-apiserver",
          path: APISERVER_KEY,
          flag: "--tls-private-key-file",
          role: "apiserver",
          actual: kind,
          message: expect.stringContaining("named by kube-apiserver --tls-private-key-file"),
        },
      ],
    }),
  ),
  {
    name: "critical: one unreadable file named by two components gives one finding naming both",
    spec: async () => {
      const result = fileProblem("unreadable", CA);
      return { refs: [clientCA("kube-apiserver", { result }), clientCA("kube-scheduler", { result })] };
    },
    findings: [
      {
        id: "file-unreadable",
        severity: "critical",
        component: "kube-apiserver",
        path: CA,
        flag: "--client-ca-file",
        message: expect.stringContaining("named by kube-apiserver --client-ca-file, kube-scheduler --client-ca-file"),
      },
    ],
  },
  {
    name: "discovery problem with id file-unreadable becomes a finding with its own severity",
    spec: async () => ({ refs: [], discoveryProblems: [discovery("file-unreadable", "warning"), discovery("file-missing")] }),
    findings: [
      {
        id: "file-unreadable",
        severity: "warning",
        component: "kube-apiserver.yaml",
        path: "/etc/kubernetes/manifests/kube-apiserver.yaml",
        flag: null,
        role: null,
        message: "/etc/kubernetes/manifests/kube-apiserver.yaml (file-unreadable)",
        actual: "file-unreadable",
      },
    ],
  },
];

checkTable(fileUnreadable, { passes, fails });
