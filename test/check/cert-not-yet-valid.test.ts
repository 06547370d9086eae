import { describe, expect, test } from "vitest";
import { certNotYetValid } from "../../src/check/checks/cert-not-yet-valid.js";
import type { Finding } from "../../src/model.js";
import { AT, makeCA, makeCert, type CertSpec } from "../helpers/certs.js";
import { findingsOf, type ContextSpec, type RefSpec } from "../helpers/context.js";

const SECOND = 1000;
const DAY = 86_400 * SECOND;
const at = (offset: number) => new Date(AT.getTime() + offset);

const REFS = {
  apiserver: { component: "kube-apiserver", flag: "--tls-cert-file", path: "/etc/kubernetes/pki/apiserver.crt", purpose: "serving" },
  "etcd-server": { component: "etcd", flag: "--cert-file", path: "/etc/kubernetes/pki/etcd/server.crt", purpose: "serving" },
  "kubelet-serving": { component: "kubelet", field: "tlsCertFile", path: "/var/lib/kubelet/pki/kubelet.crt", purpose: "serving" },
} satisfies Record<string, Omit<RefSpec, "role" | "certs">>;
type RoleId = keyof typeof REFS;

const single =
  (role: RoleId, spec: CertSpec, extra: Partial<ContextSpec> = {}) =>
  async (): Promise<ContextSpec> => ({ refs: [{ ...REFS[role], role, certs: [(await makeCert(spec)).cert] }], ...extra });

interface Case {
  name: string;
  spec: () => Promise<ContextSpec>;
}
interface FailCase extends Case {
  findings: Array<Partial<Finding>>;
}

const early = (notBefore: Date, when: Date = AT) => ({ expected: `notBefore before ${when.toISOString()}`, actual: `notBefore ${notBefore.toISOString()}` });

const passes: Case[] = [
  { name: "notBefore = AT exactly is valid", spec: single("apiserver", { cn: "kube-apiserver", notBefore: AT }) },
  { name: "notBefore one second before AT", spec: single("apiserver", { cn: "kube-apiserver", notBefore: at(-SECOND) }) },
  { name: "kubeadm-style notBefore months ago", spec: single("etcd-server", { cn: "cp-1" }) },
  {
    name: "an expired certificate is not 'not yet valid'",
    spec: single("apiserver", { cn: "kube-apiserver", notBefore: at(-400 * DAY), notAfter: at(-DAY) }),
  },
  {
    name: "audit at the certificate's notBefore (custom at)",
    spec: single("apiserver", { cn: "kube-apiserver", notBefore: at(10 * DAY) }, { at: at(10 * DAY) }),
  },
];

const fails: FailCase[] = [
  {
    name: "notBefore one second after AT → critical (apiserver)",
    spec: single("apiserver", { cn: "kube-apiserver", notBefore: at(SECOND) }),
    findings: [
      { id: "cert-not-yet-valid", severity: "critical", role: "apiserver", component: "kube-apiserver", flag: "--tls-cert-file", path: "/etc/kubernetes/pki/apiserver.crt", ...early(at(SECOND)) },
    ],
  },
  {
    name: "etcd serving certificate issued by a machine whose clock was a day ahead → critical",
    spec: single("etcd-server", { cn: "cp-1", notBefore: at(DAY), notAfter: at(366 * DAY) }),
    findings: [{ id: "cert-not-yet-valid", severity: "critical", role: "etcd-server", component: "etcd", ...early(at(DAY)) }],
  },
  {
    name: "audit one second before notBefore (custom at) → critical",
    spec: single("apiserver", { cn: "kube-apiserver", notBefore: at(10 * DAY) }, { at: at(10 * DAY - SECOND) }),
    findings: [{ id: "cert-not-yet-valid", severity: "critical", role: "apiserver", ...early(at(10 * DAY), at(10 * DAY - SECOND)) }],
  },
  {
    // kubelet-serving says nobody verifies this certificate (expirySeverity: warning, kubernetes/kubernetes#99418):
    // a validity period that has not started yet is as harmless there as one that has ended.
    name: "kubelet-serving (expirySeverity: warning) not yet valid → capped to warning like expiry",
    spec: single("kubelet-serving", { cn: "cp-1@1767225600", eku: ["serverAuth"], notBefore: at(DAY) }),
    findings: [{ id: "cert-not-yet-valid", severity: "warning", role: "kubelet-serving", component: "kubelet", flag: "tlsCertFile", ...early(at(DAY)) }],
  },
  {
    name: "chain member (CA in an apiserver file) not yet valid → critical, shown without a role",
    spec: async () => {
      const root = await makeCA("kubernetes", { notBefore: at(SECOND) });
      const leaf = (await makeCert({ cn: "kube-apiserver", eku: ["serverAuth"], issuer: root })).cert;
      return { refs: [{ ...REFS.apiserver, role: "apiserver", certs: [leaf, root.cert] }] };
    },
    findings: [{ id: "cert-not-yet-valid", severity: "critical", role: null, component: "kube-apiserver", ...early(at(SECOND)) }],
  },
];

describe("cert-not-yet-valid", () => {
  test.each(passes)("passes: $name", async ({ spec }) => {
    expect(findingsOf(certNotYetValid, await spec())).toEqual([]);
  });

  test.each(fails)("fails: $name", async ({ spec, findings }) => {
    expect(findingsOf(certNotYetValid, await spec())).toEqual(findings.map((f) => expect.objectContaining(f)));
  });
});
