import "reflect-metadata";
import * as crypto from "node:crypto";
import * as x509 from "@peculiar/x509";
import { decodeCertificate, type DecodedCertificate } from "../../src/load/certificate.js";
import type { PublicKeyFingerprint } from "../../src/load/keys.js";

x509.cryptoProvider.set(crypto.webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** The audit time every unit test uses: inside the validity of every default test certificate. */
export const AT = new Date("2026-06-01T00:00:00Z");
export const DEFAULT_NOT_BEFORE = new Date("2026-01-15T09:55:00Z");
export const DEFAULT_NOT_AFTER = new Date("2027-01-15T10:00:00Z");

export const SECOND = 1000;
export const DAY = 86_400 * SECOND;
/** AT shifted by `offset` milliseconds (negative: before AT). */
export const at = (offset: number) => new Date(AT.getTime() + offset);

export type KeySpec = { kind: "ec"; curve?: "P-256" | "P-384" } | { kind: "rsa"; bits: number };

export interface TestKey {
  pair: crypto.webcrypto.CryptoKeyPair;
  /** Public half as the loader reports it, for key-pair tests. */
  fingerprint: PublicKeyFingerprint;
  pkcs8Pem: string;
}

const keyCache = new Map<string, TestKey[]>();

/**
 * A key pair for tests. `slot` picks a distinct, reusable key of the same spec, so tests that need
 * "the same key" or "another key" say so explicitly and RSA keys are generated only once.
 */
export async function testKey(spec: KeySpec = { kind: "ec" }, slot = 0): Promise<TestKey> {
  const id = JSON.stringify(spec);
  const keys = keyCache.get(id) ?? [];
  keyCache.set(id, keys);
  while (keys.length <= slot) {
    const algorithm =
      spec.kind === "ec"
        ? { name: "ECDSA", namedCurve: spec.curve ?? "P-256" }
        : { name: "RSASSA-PKCS1-v1_5", modulusLength: spec.bits, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" };
    const pair = (await crypto.webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as crypto.webcrypto.CryptoKeyPair;
    const spki = Buffer.from(await crypto.webcrypto.subtle.exportKey("spki", pair.publicKey));
    const pkcs8 = Buffer.from(await crypto.webcrypto.subtle.exportKey("pkcs8", pair.privateKey));
    keys.push({
      pair,
      fingerprint: { algorithm: spec.kind === "ec" ? "ec" : "rsa", spkiHex: spki.toString("hex") },
      pkcs8Pem: `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString("base64").replace(/.{64}/g, "$&\n")}\n-----END PRIVATE KEY-----\n`,
    });
  }
  return keys[slot] as TestKey;
}

export interface CertSpec {
  cn?: string;
  o?: string[];
  dns?: string[];
  ip?: string[];
  /** basicConstraints: true = CA:TRUE, false = CA:FALSE, null = no extension. Default false. */
  ca?: boolean | null;
  /** Key usage names (digitalSignature, keyEncipherment, keyCertSign, …); null = no extension. */
  keyUsage?: string[] | null;
  /** serverAuth / clientAuth; null = no extension. */
  eku?: Array<"serverAuth" | "clientAuth"> | null;
  notBefore?: Date;
  notAfter?: Date;
  key?: TestKey;
  /** The issuing certificate and its key; absent = self-signed. */
  issuer?: { cert: DecodedCertificate; key: TestKey };
  serial?: string;
  hash?: "SHA-256" | "SHA-1";
}

const KU: Record<string, x509.KeyUsageFlags> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  keyCertSign: x509.KeyUsageFlags.keyCertSign,
  cRLSign: x509.KeyUsageFlags.cRLSign,
};

let serialCounter = 1;

/** Build and decode a real certificate; the decoded form is what the checks see in production. */
export async function makeCert(spec: CertSpec = {}): Promise<{ cert: DecodedCertificate; key: TestKey }> {
  const key = spec.key ?? (await testKey());
  const ca = spec.ca === undefined ? false : spec.ca;
  const extensions: x509.Extension[] = [];
  if (ca !== null) extensions.push(new x509.BasicConstraintsExtension(ca, undefined, true));
  const defaultUsage = ca ? ["digitalSignature", "keyEncipherment", "keyCertSign"] : ["digitalSignature", "keyEncipherment"];
  const usage = spec.keyUsage === undefined ? defaultUsage : spec.keyUsage;
  if (usage !== null) extensions.push(new x509.KeyUsagesExtension(usage.reduce((flags, name) => flags | (KU[name] ?? 0), 0), true));
  const eku = spec.eku === undefined ? (ca ? null : ["clientAuth" as const]) : spec.eku;
  if (eku !== null) extensions.push(new x509.ExtendedKeyUsageExtension(eku.map((u) => x509.ExtendedKeyUsage[u])));
  const names = [...(spec.dns ?? []).map((value) => ({ type: "dns" as const, value })), ...(spec.ip ?? []).map((value) => ({ type: "ip" as const, value }))];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  const subject = [`CN=${spec.cn ?? "test"}`, ...(spec.o ?? []).map((o) => `O=${o}`)].join(", ");
  const signingKey = spec.issuer?.key ?? key;
  const algorithm =
    signingKey.pair.privateKey.algorithm.name === "ECDSA"
      ? { name: "ECDSA", hash: spec.hash ?? "SHA-256" }
      : { name: "RSASSA-PKCS1-v1_5", hash: spec.hash ?? "SHA-256" };
  const generated = await x509.X509CertificateGenerator.create({
    serialNumber: spec.serial ?? (serialCounter++).toString(16).padStart(4, "0"),
    subject,
    issuer: spec.issuer ? new x509.X509Certificate(spec.issuer.cert.der).subject : subject,
    notBefore: spec.notBefore ?? DEFAULT_NOT_BEFORE,
    notAfter: spec.notAfter ?? DEFAULT_NOT_AFTER,
    signingAlgorithm: algorithm,
    publicKey: key.pair.publicKey,
    signingKey: signingKey.pair.privateKey,
    extensions,
  });
  return { cert: decodeCertificate(Buffer.from(generated.rawData)), key };
}

/** A self-signed CA, the way kubeadm makes them. */
export function makeCA(cn: string, spec: CertSpec = {}) {
  return makeCert({ cn, ca: true, dns: [cn], eku: null, ...spec });
}

/**
 * A self-signed CA on EC key `slot` (testKey): CAs on different slots never verify each other's
 * certificates, whatever their names, so "the same CA" is a matter of keys, not of subjects.
 */
export async function caWithKey(cn: string, slot: number, spec: CertSpec = {}) {
  return makeCA(cn, { key: await testKey({ kind: "ec" }, slot), ...spec });
}

export interface RawCertSpec {
  /** The whole subject (and issuer) name, e.g. `CN=x` or `O=a, O=b` for a certificate without a CN. */
  subject: string;
  /** Exactly these extensions, nothing added. */
  extensions: x509.Extension[];
  serial: string;
  key?: TestKey;
}

/**
 * A self-signed certificate with exactly the given subject and extensions, valid from
 * DEFAULT_NOT_BEFORE to DEFAULT_NOT_AFTER: for shapes makeCert does not write (a subject without a
 * CN, EKU OIDs other than serverAuth/clientAuth).
 */
export async function makeRawCert(spec: RawCertSpec): Promise<DecodedCertificate> {
  const key = spec.key ?? (await testKey());
  const generated = await x509.X509CertificateGenerator.create({
    serialNumber: spec.serial,
    subject: spec.subject,
    issuer: spec.subject,
    notBefore: DEFAULT_NOT_BEFORE,
    notAfter: DEFAULT_NOT_AFTER,
    signingAlgorithm: key.pair.privateKey.algorithm.name === "ECDSA" ? { name: "ECDSA", hash: "SHA-256" } : { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    publicKey: key.pair.publicKey,
    signingKey: key.pair.privateKey,
    extensions: spec.extensions,
  });
  return decodeCertificate(Buffer.from(generated.rawData));
}
