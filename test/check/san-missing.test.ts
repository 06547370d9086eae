import { expect } from "vitest";
import { sanMissing } from "../../src/check/checks/san-missing.js";
import type { Facts } from "../../src/model.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { FACTS, KUBEADM_REFS, withCert, type KubeadmRole } from "../helpers/context.js";

/** What kubeadm puts in each serving certificate on the sample node (FACTS). */
const APISERVER = {
  dns: ["cp-1", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"],
  ip: ["10.96.0.1", "192.168.56.10"],
};
const ETCD = { dns: ["cp-1", "localhost"], ip: ["192.168.56.10", "127.0.0.1", "::1"] };

const withSans = (roleId: KubeadmRole, sans: { dns?: string[]; ip?: string[] }, facts: Facts = FACTS) =>
  withCert(roleId, { cn: roleId, eku: ["serverAuth", "clientAuth"], ...sans }, { facts });

const drop = (list: string[], value: string) => list.filter((item) => item !== value);
const replace = (list: string[], from: string, to: string) => list.map((item) => (item === from ? to : item));

const passes: PassCase[] = [
  { name: "apiserver with every SAN kubeadm puts in it", spec: withSans("apiserver", APISERVER) },
  { name: "apiserver with extra SANs (load balancer name and VIP)", spec: withSans("apiserver", { dns: [...APISERVER.dns, "k8s.example.com"], ip: [...APISERVER.ip, "192.168.56.100"] }) },
  {
    name: "apiserver DNS SANs in mixed case (DNS names compare case-insensitively)",
    spec: withSans("apiserver", { dns: ["CP-1", "Kubernetes", "KUBERNETES.default", "kubernetes.Default.svc", "kubernetes.default.svc.Cluster.Local"], ip: APISERVER.ip }),
  },
  {
    name: "apiserver: wildcard *.default.svc.cluster.local covers kubernetes.default.svc.cluster.local (one label)",
    spec: withSans("apiserver", { dns: replace(APISERVER.dns, "kubernetes.default.svc.cluster.local", "*.default.svc.cluster.local"), ip: APISERVER.ip }),
  },
  {
    name: "apiserver: IPv6 advertise address given expanded in the facts matches the compressed SAN",
    spec: withSans("apiserver", { dns: APISERVER.dns, ip: ["10.96.0.1", "fd00::10"] }, { ...FACTS, advertiseAddress: "fd00:0:0:0:0:0:0:10" }),
  },
  {
    name: "apiserver: facts without advertiseAddress → that SAN is not required (fact-unknown reports it)",
    spec: withSans("apiserver", { dns: APISERVER.dns, ip: ["10.96.0.1"] }, { ...FACTS, advertiseAddress: undefined }),
  },
  { name: "etcd-server with every SAN kubeadm puts in it", spec: withSans("etcd-server", ETCD) },
  { name: "etcd-server with ::1 written in expanded form (0:0:0:0:0:0:0:1)", spec: withSans("etcd-server", { dns: ETCD.dns, ip: ["192.168.56.10", "127.0.0.1", "0:0:0:0:0:0:0:1"] }) },
  {
    name: "etcd-server: a DNS host of --etcd-servers present as a DNS SAN",
    spec: withSans("etcd-server", { dns: [...ETCD.dns, "etcd.cp.internal"], ip: ETCD.ip }, { ...FACTS, etcdServerHosts: ["127.0.0.1", "etcd.cp.internal"] }),
  },
  {
    name: "etcd-server: an IP host of --etcd-servers present as an IP SAN",
    spec: withSans("etcd-server", { dns: ETCD.dns, ip: [...ETCD.ip, "10.0.0.5"] }, { ...FACTS, etcdServerHosts: ["10.0.0.5", "127.0.0.1"] }),
  },
  {
    name: "etcd-server: an --etcd-servers DNS host covered by a wildcard SAN",
    spec: withSans("etcd-server", { dns: [...ETCD.dns, "*.cp.internal"], ip: ETCD.ip }, { ...FACTS, etcdServerHosts: ["etcd.cp.internal"] }),
  },
  { name: "etcd-peer with every SAN kubeadm puts in it", spec: withSans("etcd-peer", ETCD) },
  { name: "kubelet-serving with DNS ${hostname}", spec: withSans("kubelet-serving", { dns: ["cp-1"] }) },
  { name: "scheduler.conf (a client role) needs no SANs", spec: withSans("scheduler.conf", {}) },
];

const missingOne = (roleId: "apiserver" | "etcd-server", base: { dns: string[]; ip: string[] }, value: string, kind: "DNS" | "IP"): FailCase => ({
  name: `${roleId} without ${kind}:${value} → critical naming it`,
  spec: withSans(roleId, kind === "DNS" ? { dns: drop(base.dns, value), ip: base.ip } : { dns: base.dns, ip: drop(base.ip, value) }),
  findings: [{ id: "san-missing", severity: "critical", role: roleId, component: KUBEADM_REFS[roleId].component, flag: KUBEADM_REFS[roleId].flag, path: KUBEADM_REFS[roleId].path, expected: `${kind}:${value}`, message: expect.stringContaining(value) }],
});

const fails: FailCase[] = [
  ...APISERVER.dns.map((value) => missingOne("apiserver", APISERVER, value, "DNS")),
  ...APISERVER.ip.map((value) => missingOne("apiserver", APISERVER, value, "IP")),
  ...ETCD.dns.map((value) => missingOne("etcd-server", ETCD, value, "DNS")),
  ...ETCD.ip.map((value) => missingOne("etcd-server", ETCD, value, "IP")),
  {
    name: "apiserver missing two SANs → one finding listing both (DNS first, then IP)",
    spec: withSans("apiserver", { dns: drop(APISERVER.dns, "kubernetes"), ip: ["192.168.56.10"] }),
    findings: [{ id: "san-missing", severity: "critical", role: "apiserver", expected: "DNS:kubernetes, IP:10.96.0.1" }],
  },
  {
    name: "apiserver without any SAN → every required one is named, actual (no SANs)",
    spec: withSans("apiserver", {}),
    findings: [
      {
        id: "san-missing",
        severity: "critical",
        role: "apiserver",
        expected: "DNS:cp-1, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local, IP:10.96.0.1, IP:192.168.56.10",
        actual: "(no SANs)",
      },
    ],
  },
  {
    name: "apiserver: the advertise address as a DNS SAN does not count as an IP SAN → critical",
    spec: withSans("apiserver", { dns: [...APISERVER.dns, "192.168.56.10"], ip: ["10.96.0.1"] }),
    findings: [{ id: "san-missing", severity: "critical", role: "apiserver", expected: "IP:192.168.56.10" }],
  },
  {
    name: "apiserver: wildcard *.svc.cluster.local does not cover two labels (kubernetes.default.svc.cluster.local) → critical",
    spec: withSans("apiserver", { dns: replace(APISERVER.dns, "kubernetes.default.svc.cluster.local", "*.svc.cluster.local"), ip: APISERVER.ip }),
    findings: [{ id: "san-missing", severity: "critical", role: "apiserver", expected: "DNS:kubernetes.default.svc.cluster.local" }],
  },
  {
    name: "apiserver: wildcard *.kubernetes.default does not cover its base name kubernetes.default → critical",
    spec: withSans("apiserver", { dns: [...drop(APISERVER.dns, "kubernetes.default"), "*.kubernetes.default"], ip: APISERVER.ip }),
    findings: [{ id: "san-missing", severity: "critical", role: "apiserver", expected: "DNS:kubernetes.default" }],
  },
  {
    name: "apiserver: a custom cluster domain is required in the SAN (example.internal)",
    spec: withSans("apiserver", APISERVER, { ...FACTS, clusterDomain: "example.internal" }),
    findings: [{ id: "san-missing", severity: "critical", role: "apiserver", expected: "DNS:kubernetes.default.svc.example.internal" }],
  },
  {
    name: "apiserver: facts without advertiseAddress still require the other SANs",
    spec: withSans("apiserver", { dns: drop(APISERVER.dns, "kubernetes"), ip: ["10.96.0.1"] }, { ...FACTS, advertiseAddress: undefined }),
    findings: [{ id: "san-missing", severity: "critical", role: "apiserver", expected: "DNS:kubernetes" }],
  },
  {
    name: "etcd-server: a DNS host of --etcd-servers without a DNS SAN → critical naming it",
    spec: withSans("etcd-server", ETCD, { ...FACTS, etcdServerHosts: ["127.0.0.1", "etcd.cp.internal"] }),
    findings: [{ id: "san-missing", severity: "critical", role: "etcd-server", component: "etcd", expected: "DNS:etcd.cp.internal" }],
  },
  {
    name: "etcd-server: an IP host of --etcd-servers without an IP SAN → critical naming it",
    spec: withSans("etcd-server", ETCD, { ...FACTS, etcdServerHosts: ["10.0.0.5", "127.0.0.1"] }),
    findings: [{ id: "san-missing", severity: "critical", role: "etcd-server", expected: "IP:10.0.0.5" }],
  },
  {
    name: "etcd-server: wildcard *.internal does not cover etcd.cp.internal → critical",
    spec: withSans("etcd-server", { dns: [...ETCD.dns, "*.internal"], ip: ETCD.ip }, { ...FACTS, etcdServerHosts: ["etcd.cp.internal"] }),
    findings: [{ id: "san-missing", severity: "critical", role: "etcd-server", expected: "DNS:etcd.cp.internal" }],
  },
  {
    name: "etcd-peer without IP ::1 → critical",
    spec: withSans("etcd-peer", { dns: ETCD.dns, ip: ["192.168.56.10", "127.0.0.1"] }),
    findings: [{ id: "san-missing", severity: "critical", role: "etcd-peer", component: "etcd", flag: "--peer-cert-file", expected: "IP:::1" }],
  },
  {
    name: "kubelet-serving without DNS ${hostname} → info",
    spec: withSans("kubelet-serving", { dns: ["cp-2"], ip: ["192.168.56.10"] }),
    findings: [{ id: "san-missing", severity: "info", role: "kubelet-serving", component: "kubelet", flag: "tlsCertFile", expected: "DNS:cp-1", actual: "DNS:cp-2, IP:192.168.56.10" }],
  },
];

checkTable(sanMissing, { passes, fails });
