import { certExpired } from "../../src/check/checks/cert-expired.js";
import { AT, DAY, SECOND, at, makeCA, makeCert, type CertSpec } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { kubeadmRef, withCert, type ContextSpec, type KubeadmRole } from "../helpers/context.js";

/** A certificate file holding a leaf and its CA (a chain): the second block is a chain member. */
const chain =
  (role: KubeadmRole, leaf: CertSpec, ca: CertSpec) =>
  async (): Promise<ContextSpec> => {
    const root = await makeCA("kubernetes", ca);
    const cert = (await makeCert({ ...leaf, issuer: root })).cert;
    return { refs: [kubeadmRef(role, { certs: [cert, root.cert] })] };
  };

const expired = (notAfter: Date) => ({ expected: `notAfter no earlier than ${AT.toISOString()}`, actual: `notAfter ${notAfter.toISOString()}` });

const passes: PassCase[] = [
  // RFC 5280 §4.1.2.5: the validity period includes notAfter; Go's verifier rejects only after it.
  { name: "at = notAfter exactly is still valid (apiserver)", spec: withCert("apiserver", { cn: "kube-apiserver", notAfter: AT }) },
  { name: "at = notAfter exactly is still valid (kubelet-serving)", spec: withCert("kubelet-serving", { cn: "cp-1@1767225600", eku: ["serverAuth"], notAfter: AT }) },
  { name: "one second before notAfter (notAfter = AT + 1 s) is still valid", spec: withCert("apiserver", { cn: "kube-apiserver", notAfter: at(SECOND) }) },
  { name: "a certificate valid for another 7 months", spec: withCert("apiserver", { cn: "kube-apiserver" }) },
  {
    name: "audit one second before notAfter (at = notAfter - 1 s)",
    spec: withCert("apiserver", { cn: "kube-apiserver", notAfter: at(DAY) }, { at: at(DAY - SECOND) }),
  },
  {
    name: "a not-yet-valid certificate is not expired",
    spec: withCert("apiserver", { cn: "kube-apiserver", notBefore: at(DAY), notAfter: at(365 * DAY) }),
  },
  {
    name: "kubelet-serving chain whose CA is still valid",
    spec: chain("kubelet-serving", { cn: "cp-1@1767225600", eku: ["serverAuth"] }, {}),
  },
];

const fails: FailCase[] = [
  {
    name: "one second past notAfter → expired, critical",
    spec: withCert("apiserver", { cn: "kube-apiserver", notAfter: at(-SECOND) }),
    findings: [{ id: "cert-expired", severity: "critical", role: "apiserver", ...expired(at(-SECOND)) }],
  },
  {
    name: "audit one second after notAfter (at = notAfter + 1 s) → expired",
    spec: withCert("apiserver", { cn: "kube-apiserver", notAfter: at(DAY) }, { at: at(DAY + SECOND) }),
    findings: [
      { id: "cert-expired", severity: "critical", role: "apiserver", expected: `notAfter no earlier than ${at(DAY + SECOND).toISOString()}`, actual: `notAfter ${at(DAY).toISOString()}` },
    ],
  },
  {
    name: "kubelet client certificate expired a year ago → critical",
    spec: withCert("kubelet-client", { cn: "system:node:cp-1", o: ["system:nodes"], notBefore: at(-730 * DAY), notAfter: at(-365 * DAY) }),
    findings: [{ id: "cert-expired", severity: "critical", role: "kubelet-client", component: "kubelet", ...expired(at(-365 * DAY)) }],
  },
  {
    name: "kubelet-serving (expirySeverity: warning) expired → capped to warning",
    spec: withCert("kubelet-serving", { cn: "cp-1@1767225600", eku: ["serverAuth"], notAfter: at(-DAY) }),
    findings: [{ id: "cert-expired", severity: "warning", role: "kubelet-serving", component: "kubelet", flag: "tlsCertFile", path: "/var/lib/kubelet/pki/kubelet.crt", ...expired(at(-DAY)) }],
  },
  {
    name: "chain member (second cert of a kubelet-serving file) expired → inherits the warning cap, shown without a role",
    spec: chain("kubelet-serving", { cn: "cp-1@1767225600", eku: ["serverAuth"] }, { notBefore: at(-400 * DAY), notAfter: at(-DAY) }),
    findings: [{ id: "cert-expired", severity: "warning", role: null, component: "kubelet", flag: "tlsCertFile", path: "/var/lib/kubelet/pki/kubelet.crt", ...expired(at(-DAY)) }],
  },
  {
    name: "kubelet-serving leaf and its chain member both expired → two warnings",
    spec: chain("kubelet-serving", { cn: "cp-1@1767225600", eku: ["serverAuth"], notBefore: at(-400 * DAY), notAfter: at(-2 * DAY) }, { notBefore: at(-400 * DAY), notAfter: at(-DAY) }),
    findings: [
      // the runner orders equal severities by message: "expired 1 day ago" before "expired 2 days ago"
      { id: "cert-expired", severity: "warning", role: null, ...expired(at(-DAY)) },
      { id: "cert-expired", severity: "warning", role: "kubelet-serving", ...expired(at(-2 * DAY)) },
    ],
  },
  {
    name: "chain member of a role without a cap (apiserver) expired → critical, shown without a role",
    spec: chain("apiserver", { cn: "kube-apiserver", eku: ["serverAuth"] }, { notBefore: at(-400 * DAY), notAfter: at(-DAY) }),
    findings: [{ id: "cert-expired", severity: "critical", role: null, component: "kube-apiserver", flag: "--tls-cert-file", ...expired(at(-DAY)) }],
  },
  {
    name: "a certificate no role knows, expired → critical with role null",
    spec: async () => ({
      refs: [{ component: "kube-apiserver", flag: "--service-account-key-file", path: "/etc/kubernetes/pki/custom.crt", certs: [(await makeCert({ cn: "custom", notAfter: at(-SECOND) })).cert] }],
    }),
    findings: [{ id: "cert-expired", severity: "critical", role: null, component: "kube-apiserver", ...expired(at(-SECOND)) }],
  },
];

checkTable(certExpired, { passes, fails });
