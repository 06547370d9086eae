import { describe, expect, test } from "vitest";
import { fileUnreadable } from "../../src/check/checks/file-unreadable.js";
import type { DiscoveryProblem } from "../../src/discover/discover.js";
import type { FileProblem, FileProblemKind } from "../../src/load/root-fs.js";
import { makeCA, makeCert, testKey } from "../helpers/certs.js";
import { findingsOf, type ContextSpec, type RefSpec } from "../helpers/context.js";

const CA = "/etc/kubernetes/pki/ca.crt";
const APISERVER_CRT = "/etc/kubernetes/pki/apiserver.crt";
const APISERVER_KEY = "/etc/kubernetes/pki/apiserver.key";

/** File problems as RootFs reports them. */
function problem(kind: FileProblemKind, path: string): { problem: FileProblem } {
  const messages: Record<FileProblemKind, string> = {
    missing: `${path} does not exist`,
    "not-a-file": `${path} is a directory`,
    unreadable: `${path} is not readable (permission denied)`,
    "too-large": `${path} is 5000000 bytes, more than the 4194304-byte limit for a certificate, key or config file`,
    "symlink-loop": `too many levels of symbolic links at ${path}`,
  };
  return { problem: { problem: kind, path, message: messages[kind] } };
}

const clientCA = (component: string, extra: Partial<RefSpec> = {}): RefSpec => ({
  component,
  flag: "--client-ca-file",
  path: CA,
  kind: "ca-bundle",
  purpose: "verify-clients",
  role: "ca",
  ...extra,
});
const apiserverPair = async (keyResult?: RefSpec["result"]): Promise<RefSpec> => ({
  component: "kube-apiserver",
  flag: "--tls-cert-file",
  path: APISERVER_CRT,
  purpose: "serving",
  role: "apiserver",
  certs: [(await makeCert({ cn: "kube-apiserver", key: await testKey({ kind: "ec" }, 1), issuer: await makeCA("kubernetes", { key: await testKey() }) })).cert],
  key: { path: APISERVER_KEY, flag: "--tls-private-key-file", privateKeys: [(await testKey({ kind: "ec" }, 1)).fingerprint], ...(keyResult ? { result: keyResult } : {}) },
});
const discovery = (id: DiscoveryProblem["id"], severity: DiscoveryProblem["severity"] = "warning"): DiscoveryProblem => ({
  id,
  severity,
  component: "kube-apiserver.yaml",
  path: "/etc/kubernetes/manifests/kube-apiserver.yaml",
  flag: null,
  message: `/etc/kubernetes/manifests/kube-apiserver.yaml (${id})`,
});

interface Case {
  name: string;
  spec: () => Promise<ContextSpec>;
}

const unreadableKinds: FileProblemKind[] = ["not-a-file", "too-large", "symlink-loop", "unreadable"];

const passes: Case[] = [
  {
    name: "every referenced file is readable",
    spec: async () => ({ refs: [clientCA("kube-apiserver", { certs: [(await makeCA("kubernetes")).cert] }), await apiserverPair()] }),
  },
  {
    name: "a missing file is file-missing's business, not this check's",
    spec: async () => ({ refs: [clientCA("kube-apiserver", { result: problem("missing", CA) })] }),
  },
  {
    name: "a missing key file is not reported here",
    spec: async () => ({ refs: [await apiserverPair(problem("missing", APISERVER_KEY))] }),
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

describe("file-unreadable", () => {
  test.each(passes)("passes: $name", async ({ spec }) => {
    expect(findingsOf(fileUnreadable, await spec())).toEqual([]);
  });

  test.each(unreadableKinds)("fails critical: CA file is %s", (kind) => {
    const findings = findingsOf(fileUnreadable, { refs: [clientCA("kube-apiserver", { result: problem(kind, CA) })] });
    expect(findings).toEqual([
      expect.objectContaining({
        id: "file-unreadable",
        severity: "critical",
        component: "kube-apiserver",
        path: CA,
        flag: "--client-ca-file",
        role: "ca",
        expected: "a readable file",
        actual: kind,
        message: `${problem(kind, CA).problem.message}; named by kube-apiserver --client-ca-file`,
      }),
    ]);
  });

  test.each(unreadableKinds)("fails critical: key file is %s, reported with the key flag", async (kind) => {
    const findings = findingsOf(fileUnreadable, { refs: [await apiserverPair(problem(kind, APISERVER_KEY))] });
    expect(findings).toEqual([
      expect.objectContaining({
        id: "file-unreadable",
        severity: "critical",
        component: "kube-apiserver",
        path: APISERVER_KEY,
        flag: "--tls-private-key-file",
        role: "apiserver",
        actual: kind,
        message: expect.stringContaining("named by kube-apiserver --tls-private-key-file"),
      }),
    ]);
  });

  test("fails critical: one unreadable file named by two components gives one finding naming both", () => {
    const result = problem("unreadable", CA);
    const findings = findingsOf(fileUnreadable, { refs: [clientCA("kube-apiserver", { result }), clientCA("kube-scheduler", { result })] });
    expect(findings).toEqual([
      expect.objectContaining({
        id: "file-unreadable",
        severity: "critical",
        component: "kube-apiserver",
        path: CA,
        flag: "--client-ca-file",
        message: expect.stringContaining("named by kube-apiserver --client-ca-file, kube-scheduler --client-ca-file"),
      }),
    ]);
  });

  test("fails: discovery problem with id file-unreadable becomes a finding with its own severity", () => {
    const findings = findingsOf(fileUnreadable, { refs: [], discoveryProblems: [discovery("file-unreadable", "warning"), discovery("file-missing")] });
    expect(findings).toEqual([
      expect.objectContaining({
        id: "file-unreadable",
        severity: "warning",
        component: "kube-apiserver.yaml",
        path: "/etc/kubernetes/manifests/kube-apiserver.yaml",
        flag: null,
        role: null,
        message: "/etc/kubernetes/manifests/kube-apiserver.yaml (file-unreadable)",
        actual: "file-unreadable",
      }),
    ]);
  });
});
