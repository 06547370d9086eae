import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { describe, expect, test } from "vitest";
import { extKeyUsageMissing } from "../../src/check/checks/ext-key-usage-missing.js";
import type { DecodedCertificate } from "../../src/load/certificate.js";
import type { Finding } from "../../src/model.js";
import { makeRawCert } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { KUBEADM_REFS, kubeadmRef, withCert, type ContextSpec, type KubeadmRole } from "../helpers/context.js";

type Eku = Array<"serverAuth" | "clientAuth"> | null;

const withEku = (roleId: KubeadmRole, eku: Eku) => withCert(roleId, { cn: roleId, eku });

const ANY_EKU = "2.5.29.37.0";
const CODE_SIGNING = "1.3.6.1.5.5.7.3.3";

/** makeCert only writes serverAuth/clientAuth: build a certificate whose EKU holds the given OIDs. */
async function certWithEkuOids(cn: string, oids: string[]): Promise<DecodedCertificate> {
  return makeRawCert({
    subject: `CN=${cn}`,
    serial: "e4a0",
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.ExtendedKeyUsageExtension(oids)],
  });
}

const withOids =
  (roleId: KubeadmRole, oids: string[]) =>
  async (): Promise<ContextSpec> => ({ refs: [kubeadmRef(roleId, { certs: [await certWithEkuOids(roleId, oids)] })] });

const missing = (roleId: KubeadmRole, expected: string, actual: string): Partial<Finding> => ({
  id: "ext-key-usage-missing",
  severity: "critical",
  role: roleId,
  component: KUBEADM_REFS[roleId].component,
  path: KUBEADM_REFS[roleId].path,
  expected,
  actual,
});

const passes: PassCase[] = [
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

checkTable(extKeyUsageMissing, { passes, fails });

describe("ext-key-usage-missing test fixtures", () => {
  test("the anyExtendedKeyUsage helper really writes OID 2.5.29.37.0", async () => {
    expect((await certWithEkuOids("x", [ANY_EKU])).extKeyUsage).toEqual(["anyExtendedKeyUsage"]);
  });
});
