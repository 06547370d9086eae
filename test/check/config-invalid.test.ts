import { configInvalid } from "../../src/check/checks/config-invalid.js";
import type { DiscoveryProblem } from "../../src/discover/discover.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { discoveryProblem, type ContextSpec } from "../helpers/context.js";

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
const other = (id: DiscoveryProblem["id"]): DiscoveryProblem => discoveryProblem(id, manifest.severity, manifest);
/** No references: only what discovery reported. */
const discovered =
  (...problems: DiscoveryProblem[]) =>
  async (): Promise<ContextSpec> => ({ refs: [], discoveryProblems: problems });

const passes: PassCase[] = [
  { name: "no discovery problems", spec: discovered() },
  { name: "discovery problems of other ids (file-missing, file-unreadable, not-mounted) only", spec: discovered(other("file-missing"), other("file-unreadable"), other("not-mounted")) },
];

const fails: FailCase[] = [
  {
    name: "critical: unparsable static pod manifest passes through with its severity, component, path and message",
    spec: discovered(manifest),
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
    spec: discovered(kubeconfig),
    findings: [{ id: "config-invalid", severity: "warning", component: "admin.conf", path: kubeconfig.path, role: null, message: kubeconfig.message }],
  },
  {
    name: "mixed: only the config-invalid problems become findings, worst first",
    spec: discovered(other("file-missing"), kubeconfig, other("not-mounted"), manifest, other("file-unreadable")),
    findings: [
      { id: "config-invalid", severity: "critical", path: manifest.path },
      { id: "config-invalid", severity: "warning", path: kubeconfig.path },
    ],
  },
  {
    name: "a flag named by the discovery problem is kept",
    spec: discovered({ ...kubeconfig, component: "kube-scheduler", flag: "--kubeconfig", path: "/etc/kubernetes/scheduler.conf" }),
    findings: [{ id: "config-invalid", severity: "warning", component: "kube-scheduler", flag: "--kubeconfig", path: "/etc/kubernetes/scheduler.conf" }],
  },
];

checkTable(configInvalid, { passes, fails });
