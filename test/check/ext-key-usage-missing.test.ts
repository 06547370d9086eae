import "reflect-metadata";
import { describe, expect, test } from "vitest";
import * as x509 from "@peculiar/x509";
import { extKeyUsageMissing } from "../../src/check/checks/ext-key-usage-missing.js";
import { decodeCertificate, type DecodedCertificate } from "../../src/load/certificate.js";
import type { Finding } from "../../src/model.js";
import { makeCert, testKey } from "../helpers/certs.js";
import { findingsOf, type ContextSpec, type RefSpec } from "../helpers/context.js";

const REFS = {
  apiserver: { component: "kube-apiserver", flag: "--tls-cert-file", path: "/etc/kubernetes/pki/apiserver.crt", purpose: "serving" },
  "etcd-server": { component: "etcd", flag: "--cert-file", path: "/etc/kubernetes/pki/etcd/server.crt", purpose: "serving" },
  "etcd-peer": { component: "etcd", flag: "--peer-cert-file", path: "/etc/kubernetes/pki/etcd/peer.crt", purpose: "peer" },
  "apiserver-etcd-client": { component: "kube-apiserver", flag: "--etcd-certfile", path: "/etc/kubernetes/pki/apiserver-etcd-client.crt" },
  "apiserver-kubelet-client": { component: "kube-apiserver", flag: "--kubelet-client-certificate", path: "/etc/kubernetes/pki/apiserver-kubelet-client.crt" },
  "kubelet-client": {
    component: "kubelet",
    flag: "--kubeconfig",
    field: "client-certificate",
    path: "/var/lib/kubelet/pki/kubelet-client-current.pem",
    kubeconfig: "/etc/kubernetes/kubelet.conf",
  },
  "kubelet-serving": { component: "kubelet", field: "tlsCertFile", path: "/var/lib/kubelet/pki/kubelet.crt", purpose: "serving" },
  "scheduler.conf": { component: "kube-scheduler", flag: "--kubeconfig", field: "client-certificate-data", path: "/etc/kubernetes/scheduler.conf" },
  ca: { component: "kube-apiserver", flag: "--client-ca-file", path: "/etc/kubernetes/pki/ca.crt", kind: "ca-bundle", purpose: "verify-clients" },
} satisfies Record<string, Omit<RefSpec, "role" | "certs">>;
type RoleId = keyof typeof REFS;

type Eku = Array<"serverAuth" | "clientAuth"> | null;

const withEku =
  (roleId: RoleId, eku: Eku) =>
  async (): Promise<ContextSpec> => ({ refs: [{ ...REFS[roleId], role: roleId, certs: [(await makeCert({ cn: roleId, eku })).cert] }] });

const ANY_EKU = "2.5.29.37.0";
const CODE_SIGNING = "1.3.6.1.5.5.7.3.3";

/** makeCert only writes serverAuth/clientAuth: build a certificate whose EKU holds the given OIDs. */
async function certWithEkuOids(cn: string, oids: string[]): Promise<DecodedCertificate> {
  const key = await testKey();
  const generated = await x509.X509CertificateGenerator.create({
    serialNumber: "e4a0",
    subject: `CN=${cn}`,
    issuer: `CN=${cn}`,
    notBefore: new Date("2026-01-15T09:55:00Z"),
    notAfter: new Date("2027-01-15T10:00:00Z"),
    signingAlgorithm: { name: "ECDSA", hash: "SHA-256" },
    publicKey: key.pair.publicKey,
    signingKey: key.pair.privateKey,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.ExtendedKeyUsageExtension(oids)],
  });
  return decodeCertificate(Buffer.from(generated.rawData));
}

const withOids =
  (roleId: RoleId, oids: string[]) =>
  async (): Promise<ContextSpec> => ({ refs: [{ ...REFS[roleId], role: roleId, certs: [await certWithEkuOids(roleId, oids)] }] });

interface Case {
  name: string;
  spec: () => Promise<ContextSpec>;
}
interface FailCase extends Case {
  findings: Array<Partial<Finding>>;
}

const missing = (roleId: RoleId, expected: string, actual: string): Partial<Finding> => ({
  id: "ext-key-usage-missing",
  severity: "critical",
  role: roleId,
  component: REFS[roleId].component,
  path: REFS[roleId].path,
  expected,
  actual,
});

const passes: Case[] = [
  { name: "etcd-server with serverAuth and clientAuth", spec: withEku("etcd-server", ["serverAuth", "clientAuth"]) },
  { name: "etcd-server with clientAuth and serverAuth (order does not matter)", spec: withEku("etcd-server", ["clientAuth", "serverAuth"]) },
  { name: "etcd-peer with serverAuth and clientAuth", spec: withEku("etcd-peer", ["serverAuth", "clientAuth"]) },
  { name: "apiserver with serverAuth", spec: withEku("apiserver", ["serverAuth"]) },
  { name: "apiserver with serverAuth and clientAuth (an extra usage is fine)", spec: withEku("apiserver", ["serverAuth", "clientAuth"]) },
  { name: "kubelet-serving with serverAuth", spec: withEku("kubelet-serving", ["serverAuth"]) },
  { name: "apiserver-etcd-client with clientAuth", spec: withEku("apiserver-etcd-client", ["clientAuth"]) },
  { name: "apiserver-kubelet-client with clientAuth", spec: withEku("apiserver-kubelet-client", ["clientAuth"]) },
  { name: "kubelet-client with clientAuth", spec: withEku("kubelet-client", ["clientAuth"]) },
  { name: "scheduler.conf with clientAuth", spec: withEku("scheduler.conf", ["clientAuth"]) },
  { name: "etcd-server without an EKU extension (any use allowed)", spec: withEku("etcd-server", null) },
  { name: "apiserver without an EKU extension", spec: withEku("apiserver", null) },
  { name: "kubelet-client without an EKU extension", spec: withEku("kubelet-client", null) },
  { name: "etcd-server with anyExtendedKeyUsage only", spec: withOids("etcd-server", [ANY_EKU]) },
  { name: "ca role has no extKeyUsage rule: clientAuth only is not reported", spec: withEku("ca", ["clientAuth"]) },
];

const fails: FailCase[] = [
  { name: "etcd-server with serverAuth only → critical (etcd also dials itself as a client)", spec: withEku("etcd-server", ["serverAuth"]), findings: [{ ...missing("etcd-server", "serverAuth, clientAuth", "serverAuth"), flag: "--cert-file" }] },
  { name: "etcd-server with clientAuth only → critical", spec: withEku("etcd-server", ["clientAuth"]), findings: [missing("etcd-server", "serverAuth, clientAuth", "clientAuth")] },
  { name: "etcd-peer with serverAuth only → critical", spec: withEku("etcd-peer", ["serverAuth"]), findings: [{ ...missing("etcd-peer", "serverAuth, clientAuth", "serverAuth"), flag: "--peer-cert-file" }] },
  { name: "apiserver with clientAuth only → critical", spec: withEku("apiserver", ["clientAuth"]), findings: [{ ...missing("apiserver", "serverAuth", "clientAuth"), flag: "--tls-cert-file" }] },
  { name: "kubelet-serving with clientAuth only → critical", spec: withEku("kubelet-serving", ["clientAuth"]), findings: [{ ...missing("kubelet-serving", "serverAuth", "clientAuth"), flag: "tlsCertFile" }] },
  { name: "apiserver-etcd-client with serverAuth only → critical", spec: withEku("apiserver-etcd-client", ["serverAuth"]), findings: [{ ...missing("apiserver-etcd-client", "clientAuth", "serverAuth"), flag: "--etcd-certfile" }] },
  { name: "apiserver-kubelet-client with serverAuth only → critical", spec: withEku("apiserver-kubelet-client", ["serverAuth"]), findings: [missing("apiserver-kubelet-client", "clientAuth", "serverAuth")] },
  { name: "kubelet-client with serverAuth only → critical", spec: withEku("kubelet-client", ["serverAuth"]), findings: [missing("kubelet-client", "clientAuth", "serverAuth")] },
  { name: "scheduler.conf with serverAuth only → critical", spec: withEku("scheduler.conf", ["serverAuth"]), findings: [missing("scheduler.conf", "clientAuth", "serverAuth")] },
  { name: "etcd-server with codeSigning only → critical, lacks both", spec: withOids("etcd-server", [CODE_SIGNING]), findings: [missing("etcd-server", "serverAuth, clientAuth", "codeSigning")] },
];

describe("ext-key-usage-missing", () => {
  test.each(passes)("passes: $name", async ({ spec }) => {
    expect(findingsOf(extKeyUsageMissing, await spec())).toEqual([]);
  });

  test.each(fails)("fails: $name", async ({ spec, findings }) => {
    expect(findingsOf(extKeyUsageMissing, await spec())).toEqual(findings.map((f) => expect.objectContaining(f)));
  });

  test("the anyExtendedKeyUsage helper really writes OID 2.5.29.37.0", async () => {
    expect((await certWithEkuOids("x", [ANY_EKU])).extKeyUsage).toEqual(["anyExtendedKeyUsage"]);
  });
});
