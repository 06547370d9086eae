import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { cnMismatch } from "../../src/check/checks/cn-mismatch.js";
import type { DecodedCertificate } from "../../src/load/certificate.js";
import { makeCert, makeRawCert, type CertSpec } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { FACTS, factsWithout, kubeadmRef, withCert, type ContextSpec, type KubeadmRole } from "../helpers/context.js";

/** A certificate whose subject has no CN at all (makeCert always writes one). */
async function certWithoutCN(o: string[]): Promise<DecodedCertificate> {
  return makeRawCert({ subject: o.map((value) => `O=${value}`).join(", "), serial: "7e57", extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])] });
}

/** One reference of `role` whose certificate has CN `cn` (and `cert`'s other fields), in `context`. */
const withCN = (role: KubeadmRole, cn: string, { cert, ...context }: Partial<ContextSpec> & { cert?: CertSpec } = {}) => withCert(role, { cn, ...cert }, context);

const passes: PassCase[] = [
  { name: "scheduler.conf CN system:kube-scheduler", spec: withCN("scheduler.conf", "system:kube-scheduler") },
  { name: "kubelet-client CN system:node:${nodeName} = system:node:cp-1", spec: withCN("kubelet-client", "system:node:cp-1", { cert: { o: ["system:nodes"] } }) },
  { name: "kubelet-serving self-signed CN ${hostname}@<timestamp> = cp-1@1767225600", spec: withCN("kubelet-serving", "cp-1@1767225600") },
  { name: "kubelet-serving CN system:node:cp-1 (serverTLSBootstrap, second alternative)", spec: withCN("kubelet-serving", "system:node:cp-1") },
  {
    name: "kubelet-serving pattern with a dotted hostname: cp-1.lab@1767225600",
    spec: withCN("kubelet-serving", "cp-1.lab@1767225600", { facts: { ...FACTS, hostname: "cp-1.lab" } }),
  },
  { name: "apiserver CN kube-apiserver", spec: withCN("apiserver", "kube-apiserver") },
  {
    // The CA's CN is kubeadm's convention (profile: kubeadm on the expectation): a hand-built CA may be CN=Kubernetes.
    name: "ca CN Kubernetes on a hand-built node (profiles kubernetes + hardway): kubeadm's naming is not checked",
    spec: withCN("ca", "Kubernetes", { cert: { ca: true, eku: null }, profiles: ["kubernetes", "hardway"] }),
  },
  { name: "etcd-server CN ${nodeName} = cp-1", spec: withCN("etcd-server", "cp-1") },
  { name: "ca CN kubernetes", spec: withCN("ca", "kubernetes", { cert: { ca: true, eku: null } }) },
  {
    name: "facts without nodeName: kubelet-client CN cannot be checked → no cn-mismatch (fact-unknown reports it)",
    spec: withCN("kubelet-client", "system:node:somebody-else", { facts: factsWithout("nodeName"), cert: { o: ["system:nodes"] } }),
  },
  { name: "facts without nodeName: etcd-server CN cannot be checked → no cn-mismatch", spec: withCN("etcd-server", "etcd", { facts: factsWithout("nodeName") }) },
  {
    // anyOf [${hostname}@*, system:node:${nodeName}]: with hostname unknown (no /etc/hostname, nodeName from etcd --name)
    // the first alternative cannot be evaluated, so a CN that may well match it must not be reported as a mismatch.
    name: "facts without hostname: kubelet-serving CN cp-1@1767225600 may match the unknown alternative → no finding",
    spec: withCN("kubelet-serving", "cp-1@1767225600", { facts: factsWithout("hostname") }),
  },
  { name: "a certificate no role knows is not compared", spec: async () => ({ refs: [{ component: "kube-apiserver", flag: "--foo", path: "/etc/kubernetes/pki/x.crt", certs: [(await makeCert({ cn: "anything" })).cert] }] }) },
];

const fails: FailCase[] = [
  {
    name: "kubelet-client CN system:node:cp-2 (another node's name) → critical",
    spec: withCN("kubelet-client", "system:node:cp-2", { cert: { o: ["system:nodes"] } }),
    findings: [{ id: "cn-mismatch", severity: "critical", role: "kubelet-client", component: "kubelet", expected: "system:node:cp-1", actual: "system:node:cp-2" }],
  },
  {
    name: "kubelet-client CN without the system:node: prefix → critical",
    spec: withCN("kubelet-client", "cp-1", { cert: { o: ["system:nodes"] } }),
    findings: [{ id: "cn-mismatch", severity: "critical", role: "kubelet-client", expected: "system:node:cp-1", actual: "cp-1" }],
  },
  {
    name: "kubelet-client CN differing only in case (System:Node:cp-1) → critical",
    spec: withCN("kubelet-client", "System:Node:cp-1", { cert: { o: ["system:nodes"] } }),
    findings: [{ id: "cn-mismatch", severity: "critical", role: "kubelet-client", expected: "system:node:cp-1", actual: "System:Node:cp-1" }],
  },
  {
    name: "kubelet-client CN with a trailing suffix (system:node:cp-1x) → critical (no prefix match)",
    spec: withCN("kubelet-client", "system:node:cp-1x", { cert: { o: ["system:nodes"] } }),
    findings: [{ id: "cn-mismatch", severity: "critical", role: "kubelet-client", actual: "system:node:cp-1x" }],
  },
  {
    name: "kubelet-serving CN of another host (cp-2@1767225600) → info",
    spec: withCN("kubelet-serving", "cp-2@1767225600"),
    findings: [{ id: "cn-mismatch", severity: "info", role: "kubelet-serving", component: "kubelet", flag: "tlsCertFile", expected: "cp-1@* | system:node:cp-1", actual: "cp-2@1767225600" }],
  },
  {
    name: "kubelet-serving CN = hostname without '@…' → info",
    spec: withCN("kubelet-serving", "cp-1"),
    findings: [{ id: "cn-mismatch", severity: "info", role: "kubelet-serving", actual: "cp-1" }],
  },
  {
    name: "kubelet-serving pattern is anchored at the start: xcp-1@1767225600 → info",
    spec: withCN("kubelet-serving", "xcp-1@1767225600"),
    findings: [{ id: "cn-mismatch", severity: "info", role: "kubelet-serving", actual: "xcp-1@1767225600" }],
  },
  {
    name: "kubelet-serving: a dot in the hostname is literal, not a wildcard (cp-1xlab@1 vs cp-1.lab@*) → info",
    spec: withCN("kubelet-serving", "cp-1xlab@1767225600", { facts: { ...FACTS, hostname: "cp-1.lab" } }),
    findings: [{ id: "cn-mismatch", severity: "info", role: "kubelet-serving", expected: "cp-1.lab@* | system:node:cp-1", actual: "cp-1xlab@1767225600" }],
  },
  {
    name: "apiserver CN kubernetes → warning (naming convention only)",
    spec: withCN("apiserver", "kubernetes"),
    findings: [{ id: "cn-mismatch", severity: "warning", role: "apiserver", component: "kube-apiserver", flag: "--tls-cert-file", path: "/etc/kubernetes/pki/apiserver.crt", expected: "kube-apiserver", actual: "kubernetes" }],
  },
  {
    name: "scheduler.conf CN without the system: prefix → critical",
    spec: withCN("scheduler.conf", "kube-scheduler"),
    findings: [{ id: "cn-mismatch", severity: "critical", role: "scheduler.conf", component: "kube-scheduler", expected: "system:kube-scheduler", actual: "kube-scheduler" }],
  },
  {
    name: "etcd-server CN of another node → warning",
    spec: withCN("etcd-server", "cp-2"),
    findings: [{ id: "cn-mismatch", severity: "warning", role: "etcd-server", component: "etcd", expected: "cp-1", actual: "cp-2" }],
  },
  {
    name: "ca CN kubernetes-ca (the docs' name, not kubeadm's) → info",
    spec: withCN("ca", "kubernetes-ca", { cert: { ca: true, eku: null } }),
    findings: [{ id: "cn-mismatch", severity: "info", role: "ca", expected: "kubernetes", actual: "kubernetes-ca" }],
  },
  {
    name: "kubelet-client certificate without any CN → critical, actual (no CN)",
    spec: async () => ({ refs: [kubeadmRef("kubelet-client", { certs: [await certWithoutCN(["system:nodes"])] })] }),
    findings: [{ id: "cn-mismatch", severity: "critical", role: "kubelet-client", expected: "system:node:cp-1", actual: "(no CN)" }],
  },
];

checkTable(cnMismatch, { passes, fails });
