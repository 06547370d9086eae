import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { expect } from "vitest";
import { caNotCa } from "../../src/check/checks/ca-not-ca.js";
import type { DecodedCertificate } from "../../src/load/certificate.js";
import { makeCA, makeCert, makeRawCert, testKey } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { kubeadmRef, type RefSpec } from "../helpers/context.js";

const CA_PATH = "/etc/kubernetes/pki/ca.crt";
const APISERVER_PATH = "/etc/kubernetes/pki/apiserver.crt";
const SIGNING_PATH = "/etc/kubernetes/pki/signing-ca.crt";
const KUBELET_CA_PATH = "/etc/kubernetes/pki/kubelet-ca.crt";

const key = (slot: number) => testKey({ kind: "ec" }, slot);
const goodCA = async () => (await makeCA("kubernetes", { key: await key(0) })).cert;
/** What people paste into --client-ca-file by mistake: the API server's own serving certificate. */
const servingLeaf = async () =>
  (await makeCert({ cn: "kube-apiserver", dns: ["kubernetes"], eku: ["serverAuth"], key: await key(1), issuer: await makeCA("kubernetes", { key: await key(0) }) })).cert;

/** A self-signed certificate with no basicConstraints extension at all, and only the given key usage. */
async function withoutBasicConstraints(cn: string, slot: number, keyUsage: x509.KeyUsageFlags): Promise<DecodedCertificate> {
  const cert = await makeRawCert({ subject: `CN=${cn}`, serial: "7f01", key: await key(slot), extensions: [new x509.KeyUsagesExtension(keyUsage, true)] });
  if (cert.basicConstraints !== null) throw new Error("test fixture still has basicConstraints");
  return cert;
}

/** kube-apiserver --client-ca-file (CA_PATH) holding `certs`. */
const clientCAFile = (certs: DecodedCertificate[]): RefSpec => kubeadmRef("ca", { certs });
/** kube-apiserver --tls-cert-file (APISERVER_PATH) holding `certs`. */
const servingCert = (certs: DecodedCertificate[]): RefSpec => kubeadmRef("apiserver", { certs });

const passes: PassCase[] = [
  {
    name: "proper self-signed CA (CA:TRUE, keyCertSign) in --client-ca-file",
    spec: async () => ({ refs: [clientCAFile([await goodCA()])] }),
  },
  {
    name: "CA:TRUE without a key usage extension (key usage is only checked when present)",
    spec: async () => ({ refs: [clientCAFile([(await makeCA("kubernetes", { key: await key(0), keyUsage: null })).cert])] }),
  },
  {
    name: "rotation bundle of two proper CAs",
    spec: async () => ({ refs: [clientCAFile([await goodCA(), (await makeCA("kubernetes", { key: await key(2) })).cert])] }),
  },
  {
    name: "a leaf (CA:FALSE) used as a serving certificate is not trusted as a CA, so not checked",
    spec: async () => ({ refs: [clientCAFile([await goodCA()]), servingCert([await servingLeaf()])] }),
  },
  {
    name: "a leaf without basicConstraints used as a serving certificate is not checked",
    spec: async () => ({ refs: [servingCert([await withoutBasicConstraints("kube-apiserver", 1, x509.KeyUsageFlags.digitalSignature)])] }),
  },
  {
    name: "serving certificate file with its chain (leaf + issuing CA): chain members are not trusted as CAs",
    spec: async () => {
      const root = await makeCA("kubernetes", { key: await key(0) });
      const leafCert = await servingLeaf();
      return { refs: [servingCert([leafCert, root.cert])] };
    },
  },
];

const fails: FailCase[] = [
  {
    name: "critical: a leaf (CA:FALSE) in a --client-ca-file bundle",
    spec: async () => ({ refs: [clientCAFile([await servingLeaf()])] }),
    findings: [
      {
        id: "ca-not-ca",
        severity: "critical",
        component: "kube-apiserver",
        path: CA_PATH,
        flag: "--client-ca-file",
        role: "ca",
        expected: "CA:TRUE with keyCertSign",
        actual: "basicConstraints CA:FALSE, key usage without keyCertSign",
      },
    ],
  },
  {
    name: "critical: CA:FALSE with keyCertSign still is not a CA",
    spec: async () => ({ refs: [clientCAFile([(await makeCert({ cn: "kubernetes", ca: false, keyUsage: ["digitalSignature", "keyCertSign"], key: await key(0) })).cert])] }),
    findings: [{ id: "ca-not-ca", severity: "critical", path: CA_PATH, flag: "--client-ca-file", role: "ca", actual: "basicConstraints CA:FALSE" }],
  },
  {
    name: "critical: no basicConstraints extension (keyCertSign present)",
    spec: async () => ({ refs: [clientCAFile([await withoutBasicConstraints("kubernetes", 0, x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign)])] }),
    findings: [{ id: "ca-not-ca", severity: "critical", path: CA_PATH, flag: "--client-ca-file", role: "ca", actual: "no basicConstraints extension" }],
  },
  {
    name: "critical: CA:TRUE but key usage lacks keyCertSign",
    spec: async () => ({ refs: [clientCAFile([(await makeCA("kubernetes", { key: await key(0), keyUsage: ["digitalSignature", "keyEncipherment"] })).cert])] }),
    findings: [{ id: "ca-not-ca", severity: "critical", path: CA_PATH, flag: "--client-ca-file", role: "ca", actual: "key usage without keyCertSign" }],
  },
  {
    // Go never uses a non-CA as a parent, so beside the real CA the leaf is inert: clean it up.
    name: "warning: the second certificate of a CA bundle is a leaf (message names #2) beside a real CA",
    spec: async () => ({ refs: [clientCAFile([await goodCA(), await servingLeaf()])] }),
    findings: [
      {
        id: "ca-not-ca",
        severity: "warning",
        path: CA_PATH,
        flag: "--client-ca-file",
        role: "ca",
        message: expect.stringContaining(`${CA_PATH} #2`),
        remediation: expect.stringContaining(`Remove block #2`),
      },
    ],
  },
  {
    name: "critical: a leaf in a CA bundle that no role claims (--kubelet-certificate-authority)",
    spec: async () => ({
      refs: [{ component: "kube-apiserver", flag: "--kubelet-certificate-authority", path: KUBELET_CA_PATH, kind: "ca-bundle", purpose: "verify-server", certs: [await servingLeaf()] }],
    }),
    findings: [{ id: "ca-not-ca", severity: "critical", component: "kube-apiserver", path: KUBELET_CA_PATH, flag: "--kubelet-certificate-authority", role: null }],
  },
  {
    name: "critical: a leaf named by a CA role through a certificate flag (--cluster-signing-cert-file)",
    spec: async () => ({
      refs: [
        {
          component: "kube-controller-manager",
          flag: "--cluster-signing-cert-file",
          path: SIGNING_PATH,
          kind: "certificate",
          purpose: "signing",
          role: "ca",
          certs: [await servingLeaf()],
          key: { path: "/etc/kubernetes/pki/signing-ca.key", flag: "--cluster-signing-key-file", privateKeys: [(await key(1)).fingerprint] },
        },
      ],
    }),
    findings: [{ id: "ca-not-ca", severity: "critical", component: "kube-controller-manager", path: SIGNING_PATH, flag: "--cluster-signing-cert-file", role: "ca" }],
  },
  {
    name: "critical: the same leaf file trusted as a CA and used as a serving certificate is reported once, as the CA",
    spec: async () => {
      const leafCert = await servingLeaf();
      return { refs: [servingCert([leafCert]), { ...clientCAFile([leafCert]), path: APISERVER_PATH }] };
    },
    // The classic copy-paste mistake: --client-ca-file names apiserver.crt. The finding must point at the flag
    // that trusts it, not at --tls-cert-file, which rightly uses it as a leaf.
    findings: [
      {
        id: "ca-not-ca",
        severity: "critical",
        component: "kube-apiserver",
        path: APISERVER_PATH,
        flag: "--client-ca-file",
        role: "ca",
        actual: "basicConstraints CA:FALSE, key usage without keyCertSign",
        message: expect.stringContaining("kube-apiserver --client-ca-file trusts"),
      },
    ],
  },
];

checkTable(caNotCa, { passes, fails });
