import { describe, expect, test } from "vitest";
import * as crypto from "node:crypto";
import { weakSignature } from "../../src/check/checks/weak-signature.js";
import { makeCA, makeCert, testKey, type TestKey } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { kubeadmRef } from "../helpers/context.js";

/**
 * WebCrypto binds an RSA key to one hash when it is generated, and testKey() makes SHA-256 keys:
 * makeCert({ hash: "SHA-1" }) with such a key still signs sha256WithRSAEncryption. A SHA-1 RSA
 * signature therefore needs an RSA key generated for SHA-1 (one, cached).
 */
let sha1Rsa: Promise<TestKey> | undefined;
function rsaSha1Key(): Promise<TestKey> {
  sha1Rsa ??= (async () => {
    const algorithm = { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-1" };
    const pair = (await crypto.webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as crypto.webcrypto.CryptoKeyPair;
    const spki = Buffer.from(await crypto.webcrypto.subtle.exportKey("spki", pair.publicKey));
    return { pair, fingerprint: { algorithm: "rsa", spkiHex: spki.toString("hex") }, pkcs8Pem: "" };
  })();
  return sha1Rsa;
}

const passes: PassCase[] = [
  {
    name: "SHA-256 RSA leaf signed by a SHA-256 RSA CA",
    spec: async () => {
      const issuer = await makeCA("kubernetes", { key: await testKey({ kind: "rsa", bits: 2048 }, 1) });
      const leaf = await makeCert({ cn: "kube-apiserver", key: await testKey({ kind: "rsa", bits: 2048 }), issuer });
      return { refs: [kubeadmRef("apiserver", { certs: [leaf.cert] })] };
    },
  },
  {
    name: "ecdsa-with-SHA256 self-signed CA",
    spec: async () => ({ refs: [kubeadmRef("ca", { certs: [(await makeCA("kubernetes")).cert] })] }),
  },
  {
    name: "ecdsa-with-SHA256 leaf",
    spec: async () => ({ refs: [kubeadmRef("etcd-server", { certs: [(await makeCert({ cn: "cp-1" })).cert] })] }),
  },
];

const fails: FailCase[] = [
  {
    name: "SHA-1 signed leaf (RSA key, hash SHA-1) → critical",
    spec: async () => {
      const issuer = await makeCA("kubernetes", { key: await rsaSha1Key(), hash: "SHA-1" });
      const leaf = await makeCert({ cn: "kube-apiserver", key: await testKey({ kind: "rsa", bits: 2048 }), issuer, hash: "SHA-1" });
      return { refs: [kubeadmRef("apiserver", { certs: [leaf.cert] })] };
    },
    findings: [
      { id: "weak-signature", severity: "critical", role: "apiserver", component: "kube-apiserver", flag: "--tls-cert-file", path: "/etc/kubernetes/pki/apiserver.crt", actual: "sha1WithRSAEncryption" },
    ],
  },
  {
    name: "ecdsa-with-SHA1 signed leaf → critical",
    spec: async () => {
      const issuer = await makeCA("etcd-ca", { key: await testKey({ kind: "ec" }, 1) });
      const leaf = await makeCert({ cn: "cp-1", issuer, hash: "SHA-1" });
      return { refs: [kubeadmRef("etcd-server", { certs: [leaf.cert] })] };
    },
    findings: [{ id: "weak-signature", severity: "critical", role: "etcd-server", component: "etcd", actual: "ecdsa-with-SHA1" }],
  },
  {
    name: "SHA-1 self-signed root CA → info (its own signature is never verified)",
    spec: async () => ({ refs: [kubeadmRef("ca", { certs: [(await makeCA("kubernetes", { key: await rsaSha1Key(), hash: "SHA-1" })).cert] })] }),
    findings: [{ id: "weak-signature", severity: "info", role: "ca", component: "kube-apiserver", flag: "--client-ca-file", path: "/etc/kubernetes/pki/ca.crt", actual: "sha1WithRSAEncryption" }],
  },
  {
    // Self-issued (subject = issuer name) is not self-signed: this leaf is signed by the CA's key,
    // so a Go 1.18+ peer does verify its SHA-1 signature and rejects it.
    name: "SHA-1 leaf whose subject equals its CA's subject but signed by the CA's key → critical, not info",
    spec: async () => {
      const issuer = await makeCA("kubernetes", { key: await rsaSha1Key(), hash: "SHA-1" });
      const leaf = await makeCert({ cn: "kubernetes", dns: ["kubernetes"], key: await testKey({ kind: "rsa", bits: 2048 }), issuer, hash: "SHA-1" });
      return { refs: [kubeadmRef("apiserver", { certs: [leaf.cert] })] };
    },
    findings: [{ id: "weak-signature", severity: "critical", role: "apiserver", actual: "sha1WithRSAEncryption" }],
  },
];

describe("weak-signature test fixtures", () => {
  test("the SHA-1 RSA key really signs sha1WithRSAEncryption (and testKey's would not)", async () => {
    expect((await makeCert({ key: await rsaSha1Key(), hash: "SHA-1" })).cert.signatureAlgorithm).toBe("sha1WithRSAEncryption");
    expect((await makeCert({ key: await testKey({ kind: "rsa", bits: 2048 }), hash: "SHA-1" })).cert.signatureAlgorithm).toBe("sha256WithRSAEncryption");
  });
});

checkTable(weakSignature, { passes, fails });
