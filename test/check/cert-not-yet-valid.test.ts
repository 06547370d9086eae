import { certNotYetValid } from "../../src/check/checks/cert-not-yet-valid.js";
import { AT, DAY, SECOND, at, makeCA, makeCert } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { kubeadmRef, withCert } from "../helpers/context.js";

const early = (notBefore: Date, when: Date = AT) => ({ expected: `notBefore before ${when.toISOString()}`, actual: `notBefore ${notBefore.toISOString()}` });

const passes: PassCase[] = [
  { name: "notBefore = AT exactly is valid", spec: withCert("apiserver", { cn: "kube-apiserver", notBefore: AT }) },
  { name: "notBefore one second before AT", spec: withCert("apiserver", { cn: "kube-apiserver", notBefore: at(-SECOND) }) },
  { name: "kubeadm-style notBefore months ago", spec: withCert("etcd-server", { cn: "cp-1" }) },
  {
    name: "an expired certificate is not 'not yet valid'",
    spec: withCert("apiserver", { cn: "kube-apiserver", notBefore: at(-400 * DAY), notAfter: at(-DAY) }),
  },
  {
    name: "audit at the certificate's notBefore (custom at)",
    spec: withCert("apiserver", { cn: "kube-apiserver", notBefore: at(10 * DAY) }, { at: at(10 * DAY) }),
  },
];

const fails: FailCase[] = [
  {
    name: "notBefore one second after AT → critical (apiserver)",
    spec: withCert("apiserver", { cn: "kube-apiserver", notBefore: at(SECOND) }),
    findings: [
      { id: "cert-not-yet-valid", severity: "critical", role: "apiserver", component: "kube-apiserver", flag: "--tls-cert-file", path: "/etc/kubernetes/pki/apiserver.crt", ...early(at(SECOND)) },
    ],
  },
  {
    name: "etcd serving certificate issued by a machine whose clock was a day ahead → critical",
    spec: withCert("etcd-server", { cn: "cp-1", notBefore: at(DAY), notAfter: at(366 * DAY) }),
    findings: [{ id: "cert-not-yet-valid", severity: "critical", role: "etcd-server", component: "etcd", ...early(at(DAY)) }],
  },
  {
    name: "audit one second before notBefore (custom at) → critical",
    spec: withCert("apiserver", { cn: "kube-apiserver", notBefore: at(10 * DAY) }, { at: at(10 * DAY - SECOND) }),
    findings: [{ id: "cert-not-yet-valid", severity: "critical", role: "apiserver", ...early(at(10 * DAY), at(10 * DAY - SECOND)) }],
  },
  {
    // kubelet-serving says nobody verifies this certificate (expirySeverity: warning, kubernetes/kubernetes#99418):
    // a validity period that has not started yet is as harmless there as one that has ended.
    name: "kubelet-serving (expirySeverity: warning) not yet valid → capped to warning like expiry",
    spec: withCert("kubelet-serving", { cn: "cp-1@1767225600", eku: ["serverAuth"], notBefore: at(DAY) }),
    findings: [{ id: "cert-not-yet-valid", severity: "warning", role: "kubelet-serving", component: "kubelet", flag: "tlsCertFile", ...early(at(DAY)) }],
  },
  {
    name: "chain member (CA in an apiserver file) not yet valid → critical, shown without a role",
    spec: async () => {
      const root = await makeCA("kubernetes", { notBefore: at(SECOND) });
      const leaf = (await makeCert({ cn: "kube-apiserver", eku: ["serverAuth"], issuer: root })).cert;
      return { refs: [kubeadmRef("apiserver", { certs: [leaf, root.cert] })] };
    },
    findings: [{ id: "cert-not-yet-valid", severity: "critical", role: null, component: "kube-apiserver", ...early(at(SECOND)) }],
  },
];

checkTable(certNotYetValid, { passes, fails });
