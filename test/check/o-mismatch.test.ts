import { oMismatch } from "../../src/check/checks/o-mismatch.js";
import type { RoleRule } from "../../src/rules/types.js";
import { makeCert } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { KUBEADM_REFS, role, type ContextSpec, type RefSpec } from "../helpers/context.js";

const REFS = {
  ...KUBEADM_REFS,
  // a test role (below) that requires a set of two groups, to show the order of O values does not matter
  "two-groups": { component: "kube-controller-manager", flag: "--kubeconfig", field: "client-certificate-data", path: "/etc/kubernetes/two-groups.conf" },
} satisfies Record<string, Omit<RefSpec, "role" | "certs">>;

const TWO_GROUPS: RoleRule = {
  ...role("scheduler.conf"),
  id: "two-groups",
  cn: undefined,
  o: { anyOf: [["system:nodes", "team:ops"]], severity: "critical" },
  source: "test",
};

const CN = {
  "apiserver-kubelet-client": "kube-apiserver-kubelet-client",
  "apiserver-etcd-client": "kube-apiserver-etcd-client",
  "kubelet-client": "system:node:cp-1",
  "admin.conf": "kubernetes-admin",
  "scheduler.conf": "system:kube-scheduler",
  "two-groups": "two-groups",
} satisfies Partial<Record<keyof typeof REFS, string>>;
type RoleId = keyof typeof CN;

const withO =
  (roleId: RoleId, o: string[]) =>
  async (): Promise<ContextSpec> => ({ refs: [{ ...REFS[roleId], role: roleId, certs: [(await makeCert({ cn: CN[roleId], o })).cert] }], roles: [TWO_GROUPS] });

const ADMIN_GROUPS = "kubeadm:cluster-admins | system:masters";

const passes: PassCase[] = [
  { name: "apiserver-kubelet-client O kubeadm:cluster-admins (v1.29+)", spec: withO("apiserver-kubelet-client", ["kubeadm:cluster-admins"]) },
  { name: "apiserver-kubelet-client O system:masters (before v1.29, kept by renewals)", spec: withO("apiserver-kubelet-client", ["system:masters"]) },
  { name: "apiserver-etcd-client with no O at all (v1.29+: anyOf [[], …])", spec: withO("apiserver-etcd-client", []) },
  { name: "apiserver-etcd-client O system:masters (before v1.29)", spec: withO("apiserver-etcd-client", ["system:masters"]) },
  { name: "kubelet-client O system:nodes", spec: withO("kubelet-client", ["system:nodes"]) },
  { name: "admin.conf O kubeadm:cluster-admins", spec: withO("admin.conf", ["kubeadm:cluster-admins"]) },
  { name: "a set of two O values in the rule's order", spec: withO("two-groups", ["system:nodes", "team:ops"]) },
  { name: "a set of two O values in the reverse order: order does not matter", spec: withO("two-groups", ["team:ops", "system:nodes"]) },
  { name: "scheduler.conf has no O rule: any O is accepted", spec: withO("scheduler.conf", ["whatever"]) },
];

const fails: FailCase[] = [
  {
    name: "apiserver-kubelet-client O typo system:master → critical",
    spec: withO("apiserver-kubelet-client", ["system:master"]),
    findings: [
      {
        id: "o-mismatch",
        severity: "critical",
        role: "apiserver-kubelet-client",
        component: "kube-apiserver",
        flag: "--kubelet-client-certificate",
        path: "/etc/kubernetes/pki/apiserver-kubelet-client.crt",
        expected: ADMIN_GROUPS,
        actual: "system:master",
      },
    ],
  },
  {
    name: "apiserver-kubelet-client without O → critical (kubectl logs/exec fail)",
    spec: withO("apiserver-kubelet-client", []),
    findings: [{ id: "o-mismatch", severity: "critical", role: "apiserver-kubelet-client", expected: ADMIN_GROUPS, actual: "(none)" }],
  },
  {
    name: "apiserver-kubelet-client O in the wrong case (System:Masters) → critical",
    spec: withO("apiserver-kubelet-client", ["System:Masters"]),
    findings: [{ id: "o-mismatch", severity: "critical", role: "apiserver-kubelet-client", actual: "System:Masters" }],
  },
  {
    name: "apiserver-kubelet-client with an extra O besides the accepted one → critical",
    spec: withO("apiserver-kubelet-client", ["kubeadm:cluster-admins", "developers"]),
    findings: [{ id: "o-mismatch", severity: "critical", role: "apiserver-kubelet-client", expected: ADMIN_GROUPS, actual: "developers, kubeadm:cluster-admins" }],
  },
  {
    name: "kubelet-client with an extra system:masters (privilege escalation) → critical",
    spec: withO("kubelet-client", ["system:nodes", "system:masters"]),
    findings: [{ id: "o-mismatch", severity: "critical", role: "kubelet-client", component: "kubelet", expected: "system:nodes", actual: "system:masters, system:nodes" }],
  },
  {
    name: "kubelet-client without system:nodes → critical",
    spec: withO("kubelet-client", []),
    findings: [{ id: "o-mismatch", severity: "critical", role: "kubelet-client", expected: "system:nodes", actual: "(none)" }],
  },
  {
    name: "apiserver-etcd-client O kubeadm:cluster-admins → warning (etcd ignores O)",
    spec: withO("apiserver-etcd-client", ["kubeadm:cluster-admins"]),
    findings: [
      {
        id: "o-mismatch",
        severity: "warning",
        role: "apiserver-etcd-client",
        component: "kube-apiserver",
        flag: "--etcd-certfile",
        expected: "(none) | system:masters",
        actual: "kubeadm:cluster-admins",
      },
    ],
  },
  {
    name: "two-group role with only one of the two → critical",
    spec: withO("two-groups", ["system:nodes"]),
    findings: [{ id: "o-mismatch", severity: "critical", role: "two-groups", expected: "system:nodes, team:ops", actual: "system:nodes" }],
  },
  {
    name: "two-group role with a third, extra O → critical",
    spec: withO("two-groups", ["team:ops", "system:nodes", "team:dev"]),
    findings: [{ id: "o-mismatch", severity: "critical", role: "two-groups", actual: "system:nodes, team:dev, team:ops" }],
  },
];

checkTable(oMismatch, { passes, fails });
