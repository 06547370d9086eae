import { expect } from "vitest";
import { fileInvalid } from "../../src/check/checks/file-invalid.js";
import type { DecodedCertificate } from "../../src/load/certificate.js";
import { decodeMaterial, type Material } from "../../src/load/material.js";
import { makeCA, makeCert, testKey } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { KUBELET_SERVER_PEM, fileProblem, kubeadmRef, kubeletServerPem, type RefSpec } from "../helpers/context.js";

const CA = "/etc/kubernetes/pki/ca.crt";
const APISERVER_CRT = "/etc/kubernetes/pki/apiserver.crt";
const APISERVER_KEY = "/etc/kubernetes/pki/apiserver.key";
const SA_KEY = "/etc/kubernetes/pki/sa.key";
const SA_PUB = "/etc/kubernetes/pki/sa.pub";

// File contents go through the real decoder, so the problems are the ones production reports.
const decode = (text: string): Material => decodeMaterial(Buffer.from(text, "latin1"));
const pemBlock = (label: string, der: Buffer, headers = "") =>
  `-----BEGIN ${label}-----\n${headers}${der.toString("base64").replace(/.{64}/g, "$&\n").replace(/\n?$/, "\n")}-----END ${label}-----\n`;
const certPem = (cert: DecodedCertificate) => pemBlock("CERTIFICATE", cert.der);
const CORRUPT_CERT_BLOCK = "-----BEGIN CERTIFICATE-----\nMIIB!!!not*base64@@@\n-----END CERTIFICATE-----\n";

const apiserverKey = () => testKey({ kind: "ec" }, 1);
const apiserverCert = async () =>
  (await makeCert({ cn: "kube-apiserver", key: await apiserverKey(), issuer: await makeCA("kubernetes", { key: await testKey() }) })).cert;
const caCert = async () => (await makeCA("kubernetes", { key: await testKey() })).cert;
async function spkiPem(): Promise<string> {
  const key = await apiserverKey();
  return pemBlock("PUBLIC KEY", Buffer.from(key.fingerprint.spkiHex, "hex"));
}

/** `component` --client-ca-file (CA) holding `content`. */
const clientCA = (component: string, content: Material): RefSpec => kubeadmRef("ca", { component, content });
/** kube-apiserver --tls-cert-file (APISERVER_CRT) and --tls-private-key-file (APISERVER_KEY) holding these. */
const apiserverPair = (content: Material, keyContent: Material): RefSpec =>
  kubeadmRef("apiserver", { content, key: { path: APISERVER_KEY, flag: "--tls-private-key-file", result: { material: keyContent } } });
const saSigningKey = (content: Material): RefSpec => ({
  component: "kube-apiserver",
  flag: "--service-account-signing-key-file",
  path: SA_KEY,
  kind: "private-key",
  purpose: "sa-private-key",
  content,
});
const saPublicKey = (content: Material): RefSpec => ({
  component: "kube-apiserver",
  flag: "--service-account-key-file",
  path: SA_PUB,
  kind: "public-key",
  purpose: "sa-public-key",
  content,
});

const passes: PassCase[] = [
  {
    name: "certificate file with one certificate and key file with its PKCS#8 key",
    spec: async () => ({ refs: [apiserverPair(decode(certPem(await apiserverCert())), decode((await apiserverKey()).pkcs8Pem))] }),
  },
  {
    name: "openssl text dump around the PEM block is tolerated",
    spec: async () => ({ refs: [clientCA("kube-apiserver", decode(`Certificate:\n    Data: ...\n${certPem(await caCert())}trailing comment\n`))] }),
  },
  {
    name: "CA bundle of two certificates",
    spec: async () => ({ refs: [clientCA("kube-apiserver", decode(certPem(await caCert()) + certPem((await makeCA("kubernetes", { key: await testKey({ kind: "ec" }, 2) })).cert)))] }),
  },
  {
    name: "sa.pub with a PUBLIC KEY block, sa.key with a private key",
    spec: async () => ({ refs: [saPublicKey(decode(await spkiPem())), saSigningKey(decode((await apiserverKey()).pkcs8Pem))] }),
  },
  {
    name: "--service-account-key-file may hold a certificate instead of a public key",
    spec: async () => ({ refs: [saPublicKey(decode(certPem(await apiserverCert())))] }),
  },
  {
    name: "a missing or unreadable file is left to the file checks",
    spec: async () => ({
      refs: [
        { ...clientCA("kube-apiserver", decode("")), result: fileProblem("missing", CA) },
        { ...saPublicKey(decode("")), result: { notMounted: true } },
      ],
    }),
  },
];

const fails: FailCase[] = [
  {
    // This was once a passing case; client-go's CA loader (cert.ParseCertsPEM) and tls.LoadX509KeyPair read PEM only.
    name: "critical: CA bundle in DER form: decoded for the report, but no component loads it",
    spec: async () => ({ refs: [clientCA("kube-apiserver", decodeMaterial((await caCert()).der))] }),
    findings: [{ id: "file-invalid", severity: "critical", path: CA, flag: "--client-ca-file", role: "ca", expected: "one or more PEM CA certificates", actual: expect.stringContaining("the certificate is DER") }],
  },
  {
    name: "critical: a CA bundle whose CERTIFICATE block has header lines (client-go skips the block)",
    spec: async () => {
      const pem = certPem(await caCert()).replace("-----BEGIN CERTIFICATE-----\n", "-----BEGIN CERTIFICATE-----\nComment: issued by hand\n\n");
      return { refs: [clientCA("kube-apiserver", decode(pem))] };
    },
    findings: [{ id: "file-invalid", severity: "critical", path: CA, flag: "--client-ca-file", role: "ca", actual: expect.stringContaining("header lines") }],
  },
  {
    name: "critical: empty certificate file",
    spec: async () => ({ refs: [apiserverPair(decode(""), decode((await apiserverKey()).pkcs8Pem))] }),
    findings: [
      {
        id: "file-invalid",
        severity: "critical",
        component: "kube-apiserver",
        path: APISERVER_CRT,
        flag: "--tls-cert-file",
        role: "apiserver",
        expected: "a PEM certificate",
        actual: "the file is empty",
        message: `${APISERVER_CRT} does not hold a PEM certificate: the file is empty`,
      },
    ],
  },
  {
    name: "critical: whitespace-only CA bundle",
    spec: async () => ({ refs: [clientCA("kube-apiserver", decode("\n  \n"))] }),
    findings: [{ id: "file-invalid", severity: "critical", path: CA, flag: "--client-ca-file", role: "ca", expected: "one or more PEM CA certificates", actual: "the file is empty" }],
  },
  {
    name: "critical: a private key where the certificate belongs",
    spec: async () => ({ refs: [apiserverPair(decode((await apiserverKey()).pkcs8Pem), decode((await apiserverKey()).pkcs8Pem))] }),
    findings: [
      {
        id: "file-invalid",
        severity: "critical",
        path: APISERVER_CRT,
        flag: "--tls-cert-file",
        expected: "a PEM certificate",
        actual: "0 certificate(s), 1 private key(s)",
      },
    ],
  },
  {
    name: "critical: a certificate where the private key belongs, reported with the key flag",
    spec: async () => {
      const cert = await apiserverCert();
      return { refs: [apiserverPair(decode(certPem(cert)), decode(certPem(cert)))] };
    },
    findings: [
      {
        id: "file-invalid",
        severity: "critical",
        component: "kube-apiserver",
        path: APISERVER_KEY,
        flag: "--tls-private-key-file",
        role: "apiserver",
        expected: "an unencrypted PEM private key",
        actual: "1 certificate(s), 0 private key(s)",
      },
    ],
  },
  {
    name: "critical: corrupt PEM with no usable certificate",
    spec: async () => ({ refs: [clientCA("kube-apiserver", decode(CORRUPT_CERT_BLOCK))] }),
    findings: [{ id: "file-invalid", severity: "critical", path: CA, flag: "--client-ca-file", actual: "a CERTIFICATE block has a corrupt base64 body" }],
  },
  {
    name: "critical: CERTIFICATE block whose base64 decodes to garbage",
    spec: async () => ({ refs: [clientCA("kube-apiserver", decode(pemBlock("CERTIFICATE", Buffer.from("this is not DER at all, just text"))))] }),
    findings: [{ id: "file-invalid", severity: "critical", path: CA, flag: "--client-ca-file", actual: expect.stringContaining("a CERTIFICATE block is not a valid X.509 certificate") }],
  },
  {
    name: "critical: text with no PEM block at all",
    spec: async () => ({ refs: [clientCA("kube-apiserver", decode("not a certificate\n"))] }),
    findings: [{ id: "file-invalid", severity: "critical", path: CA, flag: "--client-ca-file" }],
  },
  {
    name: "warning: usable certificate plus a corrupt extra block",
    spec: async () => ({ refs: [clientCA("kube-apiserver", decode(certPem(await caCert()) + CORRUPT_CERT_BLOCK))] }),
    findings: [
      {
        id: "file-invalid",
        severity: "warning",
        component: "kube-apiserver",
        path: CA,
        flag: "--client-ca-file",
        role: "ca",
        actual: "a CERTIFICATE block has a corrupt base64 body",
        message: `${CA} is usable but a CERTIFICATE block has a corrupt base64 body`,
      },
    ],
  },
  {
    name: "critical: encrypted PKCS#8 key (ENCRYPTED PRIVATE KEY)",
    spec: async () => ({ refs: [apiserverPair(decode(certPem(await apiserverCert())), decode(pemBlock("ENCRYPTED PRIVATE KEY", Buffer.from("opaque encrypted bytes"))))] }),
    findings: [{ id: "file-invalid", severity: "critical", path: APISERVER_KEY, flag: "--tls-private-key-file", role: "apiserver", expected: "an unencrypted PEM private key" }],
  },
  {
    name: "critical: legacy encrypted key (Proc-Type: 4,ENCRYPTED)",
    spec: async () => ({
      refs: [
        apiserverPair(
          decode(certPem(await apiserverCert())),
          decode(pemBlock("EC PRIVATE KEY", Buffer.from("opaque encrypted bytes"), "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\n")),
        ),
      ],
    }),
    findings: [
      {
        id: "file-invalid",
        severity: "critical",
        path: APISERVER_KEY,
        flag: "--tls-private-key-file",
        actual: "the private key is encrypted; it cannot be compared with its certificate",
      },
    ],
  },
  {
    name: "critical: sa.key holding only a certificate",
    spec: async () => ({ refs: [saSigningKey(decode(certPem(await apiserverCert())))] }),
    findings: [{ id: "file-invalid", severity: "critical", path: SA_KEY, flag: "--service-account-signing-key-file", role: null, expected: "a PEM private key" }],
  },
  {
    name: "critical: the same empty CA file named by two components gives one finding",
    spec: async () => ({ refs: [clientCA("kube-apiserver", decode("")), clientCA("kube-controller-manager", decode(""))] }),
    findings: [{ id: "file-invalid", severity: "critical", component: "kube-apiserver", path: CA, flag: "--client-ca-file" }],
  },
  {
    name: "critical: an empty kubelet combined PEM gives one finding per kind (certificate and key)",
    spec: async () => {
      const empty = decode("");
      return { refs: [kubeletServerPem({ content: empty }, { result: { material: empty } })] };
    },
    findings: [
      { id: "file-invalid", severity: "critical", component: "kubelet", path: KUBELET_SERVER_PEM, flag: "tlsCertFile", expected: "a PEM certificate" },
      { id: "file-invalid", severity: "critical", component: "kubelet", path: KUBELET_SERVER_PEM, flag: "tlsPrivateKeyFile", expected: "an unencrypted PEM private key" },
    ],
  },
];

checkTable(fileInvalid, { passes, fails });
