import { describe, expect, test } from "vitest";
import { keyUsageMissing } from "../../src/check/checks/key-usage-missing.js";
import type { Finding } from "../../src/model.js";
import { makeCert, type CertSpec } from "../helpers/certs.js";
import { findingsOf, type ContextSpec, type RefSpec } from "../helpers/context.js";

const REFS = {
  apiserver: { component: "kube-apiserver", flag: "--tls-cert-file", path: "/etc/kubernetes/pki/apiserver.crt", purpose: "serving" },
  "kubelet-client": {
    component: "kubelet",
    flag: "--kubeconfig",
    field: "client-certificate",
    path: "/var/lib/kubelet/pki/kubelet-client-current.pem",
    kubeconfig: "/etc/kubernetes/kubelet.conf",
  },
  "kubelet-serving": { component: "kubelet", field: "tlsCertFile", path: "/var/lib/kubelet/pki/kubelet.crt", purpose: "serving" },
  "apiserver-etcd-client": { component: "kube-apiserver", flag: "--etcd-certfile", path: "/etc/kubernetes/pki/apiserver-etcd-client.crt" },
  ca: { component: "kube-apiserver", flag: "--client-ca-file", path: "/etc/kubernetes/pki/ca.crt", kind: "ca-bundle", purpose: "verify-clients" },
} satisfies Record<string, Omit<RefSpec, "role" | "certs">>;
type RoleId = keyof typeof REFS;

const withKU =
  (roleId: RoleId, keyUsage: string[] | null, spec: CertSpec = {}) =>
  async (): Promise<ContextSpec> => ({ refs: [{ ...REFS[roleId], role: roleId, certs: [(await makeCert({ cn: roleId, keyUsage, ...spec })).cert] }] });

interface Case {
  name: string;
  spec: () => Promise<ContextSpec>;
}
interface FailCase extends Case {
  findings: Array<Partial<Finding>>;
}

const passes: Case[] = [
  { name: "apiserver with digitalSignature, keyEncipherment (kubeadm's)", spec: withKU("apiserver", ["digitalSignature", "keyEncipherment"]) },
  { name: "apiserver without a key usage extension (every usage allowed)", spec: withKU("apiserver", null) },
  { name: "kubelet-client with digitalSignature only (ECDSA key: keyEncipherment not needed)", spec: withKU("kubelet-client", ["digitalSignature"]) },
  { name: "apiserver-etcd-client without a key usage extension", spec: withKU("apiserver-etcd-client", null) },
  { name: "kubelet-serving has no keyUsage rule: keyEncipherment alone is not reported", spec: withKU("kubelet-serving", ["keyEncipherment"]) },
  { name: "ca with keyCertSign, cRLSign, digitalSignature", spec: withKU("ca", ["digitalSignature", "keyCertSign", "cRLSign"], { ca: true, eku: null }) },
  { name: "ca without a key usage extension", spec: withKU("ca", null, { ca: true, eku: null }) },
];

const fails: FailCase[] = [
  {
    name: "apiserver with keyEncipherment but no digitalSignature → warning",
    spec: withKU("apiserver", ["keyEncipherment"]),
    findings: [
      {
        id: "key-usage-missing",
        severity: "warning",
        role: "apiserver",
        component: "kube-apiserver",
        flag: "--tls-cert-file",
        path: "/etc/kubernetes/pki/apiserver.crt",
        expected: "digitalSignature",
        actual: "keyEncipherment",
      },
    ],
  },
  {
    name: "kubelet-client with only keyCertSign → warning",
    spec: withKU("kubelet-client", ["keyCertSign"]),
    findings: [{ id: "key-usage-missing", severity: "warning", role: "kubelet-client", component: "kubelet", expected: "digitalSignature", actual: "keyCertSign" }],
  },
  {
    name: "apiserver-etcd-client with an empty key usage extension → warning, actual (none)",
    spec: withKU("apiserver-etcd-client", []),
    findings: [{ id: "key-usage-missing", severity: "warning", role: "apiserver-etcd-client", expected: "digitalSignature", actual: "(none)" }],
  },
  {
    name: "ca whose key usage lacks keyCertSign → warning",
    spec: withKU("ca", ["digitalSignature", "cRLSign"], { ca: true, eku: null }),
    findings: [{ id: "key-usage-missing", severity: "warning", role: "ca", component: "kube-apiserver", flag: "--client-ca-file", expected: "keyCertSign", actual: "digitalSignature, cRLSign" }],
  },
];

describe("key-usage-missing", () => {
  test.each(passes)("passes: $name", async ({ spec }) => {
    expect(findingsOf(keyUsageMissing, await spec())).toEqual([]);
  });

  test.each(fails)("fails: $name", async ({ spec, findings }) => {
    expect(findingsOf(keyUsageMissing, await spec())).toEqual(findings.map((f) => expect.objectContaining(f)));
  });
});
