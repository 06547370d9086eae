import { describe, expect, test } from "vitest";
import { configInvalid } from "../../src/check/checks/config-invalid.js";
import type { DiscoveryProblem } from "../../src/discover/discover.js";
import { findingsOf } from "../helpers/context.js";

const manifest: DiscoveryProblem = {
  id: "config-invalid",
  severity: "critical",
  component: "kube-apiserver.yaml",
  path: "/etc/kubernetes/manifests/kube-apiserver.yaml",
  flag: null,
  message: "/etc/kubernetes/manifests/kube-apiserver.yaml is not valid YAML (line 12: bad indentation)",
};
const kubeconfig: DiscoveryProblem = {
  id: "config-invalid",
  severity: "warning",
  component: "admin.conf",
  path: "/etc/kubernetes/admin.conf",
  flag: null,
  message: "/etc/kubernetes/admin.conf is not a kubeconfig (no users)",
};
const other = (id: DiscoveryProblem["id"]): DiscoveryProblem => ({ ...manifest, id, message: `${manifest.path} (${id})` });

const passes: Array<{ name: string; problems: DiscoveryProblem[] }> = [
  { name: "no discovery problems", problems: [] },
  { name: "discovery problems of other ids (file-missing, file-unreadable, not-mounted) only", problems: [other("file-missing"), other("file-unreadable"), other("not-mounted")] },
];

const fails: Array<{ name: string; problems: DiscoveryProblem[]; findings: Array<Record<string, unknown>> }> = [
  {
    name: "critical: unparsable static pod manifest passes through with its severity, component, path and message",
    problems: [manifest],
    findings: [
      {
        id: "config-invalid",
        severity: "critical",
        component: "kube-apiserver.yaml",
        path: manifest.path,
        flag: null,
        role: null,
        message: manifest.message,
        expected: "valid YAML of the expected kind",
        actual: "unparsable",
      },
    ],
  },
  {
    name: "warning: broken kubeconfig keeps its warning severity",
    problems: [kubeconfig],
    findings: [{ id: "config-invalid", severity: "warning", component: "admin.conf", path: kubeconfig.path, role: null, message: kubeconfig.message }],
  },
  {
    name: "mixed: only the config-invalid problems become findings, worst first",
    problems: [other("file-missing"), kubeconfig, other("not-mounted"), manifest, other("file-unreadable")],
    findings: [
      { id: "config-invalid", severity: "critical", path: manifest.path },
      { id: "config-invalid", severity: "warning", path: kubeconfig.path },
    ],
  },
  {
    name: "a flag named by the discovery problem is kept",
    problems: [{ ...kubeconfig, component: "kube-scheduler", flag: "--kubeconfig", path: "/etc/kubernetes/scheduler.conf" }],
    findings: [{ id: "config-invalid", severity: "warning", component: "kube-scheduler", flag: "--kubeconfig", path: "/etc/kubernetes/scheduler.conf" }],
  },
];

describe("config-invalid", () => {
  test.each(passes)("passes: $name", ({ problems }) => {
    expect(findingsOf(configInvalid, { refs: [], discoveryProblems: problems })).toEqual([]);
  });

  test.each(fails)("fails $name", ({ problems, findings }) => {
    expect(findingsOf(configInvalid, { refs: [], discoveryProblems: problems })).toEqual(findings.map((finding) => expect.objectContaining(finding)));
  });
});
