/**
 * Keys and certificates for the sample trees: a committed key store and a deterministic issuer.
 *
 * Determinism: keys come from `scripts/samples/keys/<keyId>.pem`; every signing key is RSA and
 * signs with RSASSA-PKCS1-v1_5/SHA-256, which has no randomness; serials and dates come from the
 * spec. Certificates are shaped like Go's `x509.CreateCertificate` output for kubeadm's templates:
 * extensions in Go's order (KU, EKU, basic constraints, SKI, AKI, SAN), SKI on CAs only.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { createPrivateKey, createPublicKey, generateKeyPairSync, webcrypto, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CertSpec, ExtKeyUsage, KeyAlgorithm, KeyUsage } from "./spec.js";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const RSA_SHA256 = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

const KEY_USAGE_FLAGS: Record<KeyUsage, x509.KeyUsageFlags> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  keyCertSign: x509.KeyUsageFlags.keyCertSign,
  cRLSign: x509.KeyUsageFlags.cRLSign,
};

const EXT_KEY_USAGE_OIDS: Record<ExtKeyUsage, string> = {
  serverAuth: x509.ExtendedKeyUsage.serverAuth,
  clientAuth: x509.ExtendedKeyUsage.clientAuth,
};

/** PEM text with 64-column base64 lines, as Go's `pem.Encode` and Node's key export write it. */
export function pem(type: string, der: Uint8Array | ArrayBuffer): string {
  const b64 = Buffer.from(der instanceof ArrayBuffer ? new Uint8Array(der) : der).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join("\n")}\n-----END ${type}-----\n`;
}

function algorithmOf(key: KeyObject): KeyAlgorithm | undefined {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === "rsa" && details?.modulusLength === 2048) return "RSA-2048";
  if (key.asymmetricKeyType === "ec" && details?.namedCurve === "prime256v1") return "ECDSA-P256";
  return undefined;
}

function generatePrivateKey(algorithm: KeyAlgorithm): KeyObject {
  const { privateKey } = algorithm === "RSA-2048"
    ? generateKeyPairSync("rsa", { modulusLength: 2048 })
    : generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return privateKey;
}

function checkAlgorithm(keyId: string, key: KeyObject, algorithm: KeyAlgorithm): KeyObject {
  const actual = algorithmOf(key);
  if (actual !== algorithm) throw new Error(`key ${keyId} is ${actual ?? "of an unsupported type"}, the spec says ${algorithm}`);
  return key;
}

/** Where {@link issueAll} and the renderer get private keys: by key id, of a stated algorithm. */
export interface KeySource {
  get(keyId: string, algorithm: KeyAlgorithm): KeyObject;
}

/**
 * The committed key store: one PKCS#8 PEM per key id. A missing key is generated and written
 * only when `createMissing` is set, so a check run never changes the store.
 */
export class KeyStore implements KeySource {
  private readonly cache = new Map<string, KeyObject>();

  constructor(private readonly dir: string, private readonly createMissing: boolean) {}

  /** The private key `keyId`, which must have algorithm `algorithm`. */
  get(keyId: string, algorithm: KeyAlgorithm): KeyObject {
    const key = checkAlgorithm(keyId, this.cache.get(keyId) ?? this.load(keyId, algorithm), algorithm);
    this.cache.set(keyId, key);
    return key;
  }

  private load(keyId: string, algorithm: KeyAlgorithm): KeyObject {
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(keyId)) throw new Error(`bad key id ${JSON.stringify(keyId)}`);
    const file = join(this.dir, `${keyId}.pem`);
    if (existsSync(file)) return createPrivateKey(readFileSync(file));
    if (!this.createMissing) throw new Error(`key ${keyId} is missing from the key store (${keyId}.pem); run \`npm run samples\` to create it`);
    const privateKey = generatePrivateKey(algorithm);
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    return privateKey;
  }
}

/**
 * Keys generated afresh, in memory only, for the key ids in `fresh` (one per id, on first use);
 * every other id comes from `fallback`. The fleet generator gives each node its own leaf keys
 * this way without touching the committed store.
 */
export class FreshKeys implements KeySource {
  private readonly generated = new Map<string, KeyObject>();

  constructor(private readonly fresh: ReadonlySet<string>, private readonly fallback: KeySource) {}

  get(keyId: string, algorithm: KeyAlgorithm): KeyObject {
    if (!this.fresh.has(keyId)) return this.fallback.get(keyId, algorithm);
    const key = checkAlgorithm(keyId, this.generated.get(keyId) ?? generatePrivateKey(algorithm), algorithm);
    this.generated.set(keyId, key);
    return key;
  }
}

/**
 * Work done once per key object rather than once per use: a fleet renders the same CA keys
 * into thousands of trees and signs thousands of certificates with them.
 */
const privateKeyPems = new WeakMap<KeyObject, string>();
const signingKeys = new WeakMap<KeyObject, Promise<webcrypto.CryptoKey>>();
const keyIdentifiers = new WeakMap<KeyObject, Promise<string>>();

/** The private key as kubeadm writes it: PKCS#1 `RSA PRIVATE KEY` or SEC1 `EC PRIVATE KEY`. */
export function privateKeyPem(key: KeyObject): string {
  const type = key.asymmetricKeyType === "rsa" ? "pkcs1" : "sec1";
  const text = privateKeyPems.get(key) ?? key.export({ type, format: "pem" }).toString();
  privateKeyPems.set(key, text);
  return text;
}

/** The PKIX `PUBLIC KEY` PEM of a private key (sa.pub). */
export function publicKeyPem(key: KeyObject): string {
  return createPublicKey(key).export({ type: "spki", format: "pem" }).toString();
}

function spki(key: KeyObject): ArrayBuffer {
  const der = createPublicKey(key).export({ type: "spki", format: "der" });
  return new Uint8Array(der).buffer;
}

/** RFC 5280 method-1 key identifier (SHA-1 of subjectPublicKey), as Go ≤1.24 computes a CA's SKI. */
function keyIdentifier(key: KeyObject): Promise<string> {
  const id = keyIdentifiers.get(key) ?? new x509.PublicKey(spki(key)).getKeyIdentifier("SHA-1").then((bytes) => Buffer.from(bytes).toString("hex"));
  keyIdentifiers.set(key, id);
  return id;
}

/** The RSA key as a WebCrypto signing key. */
function signingKey(key: KeyObject): Promise<webcrypto.CryptoKey> {
  const imported = signingKeys.get(key) ?? webcrypto.subtle.importKey("pkcs8", key.export({ type: "pkcs8", format: "der" }), RSA_SHA256, false, ["sign"]);
  signingKeys.set(key, imported);
  return imported;
}

/** Subject/issuer name: O (one multi-valued RDN) then CN, the order Go's pkix.Name writes. */
function name(cert: CertSpec): x509.JsonName {
  const rdns: x509.JsonName = [];
  if (cert.o.length > 0) rdns.push({ O: [...cert.o] });
  rdns.push({ CN: [cert.cn] });
  return rdns;
}

/**
 * Issues every certificate of a spec; the DER of each, by certificate id. Certificates in
 * `preissued` (a cluster's CAs, shared by its nodes) are taken as they are, not issued again.
 */
export async function issueAll(
  certs: Readonly<Record<string, CertSpec>>,
  keys: KeySource,
  preissued: ReadonlyMap<string, Uint8Array> = new Map(),
): Promise<Map<string, Uint8Array>> {
  const issued = new Map(preissued);
  const inProgress = new Set<string>();

  const issue = async (id: string): Promise<Uint8Array> => {
    const done = issued.get(id);
    if (done) return done;
    const cert = certs[id];
    if (!cert) throw new Error(`no certificate ${id}`);
    if (inProgress.has(id)) throw new Error(`issuer cycle at ${id}`);
    inProgress.add(id);

    const selfSigned = cert.issuer === "self";
    const issuer = selfSigned ? cert : certs[cert.issuer];
    if (!issuer) throw new Error(`certificate ${id}: no issuer ${cert.issuer}`);
    if (!selfSigned) {
      if (!issuer.isCA) throw new Error(`certificate ${id}: issuer ${cert.issuer} is not a CA`);
      await issue(cert.issuer); // issue parents first so errors surface in dependency order
    }
    if (issuer.keyAlgorithm !== "RSA-2048") throw new Error(`certificate ${id}: signer must be RSA for deterministic signatures`);

    const subjectKey = keys.get(cert.keyId, cert.keyAlgorithm);
    const issuerKey = keys.get(issuer.keyId, issuer.keyAlgorithm);

    const usage = cert.keyUsage.reduce((flags, ku) => flags | KEY_USAGE_FLAGS[ku], 0);
    const extensions: x509.Extension[] = [new x509.KeyUsagesExtension(usage, true)];
    if (cert.extKeyUsage.length > 0) {
      extensions.push(new x509.ExtendedKeyUsageExtension(cert.extKeyUsage.map((eku) => EXT_KEY_USAGE_OIDS[eku]), false));
    }
    extensions.push(new x509.BasicConstraintsExtension(cert.isCA, undefined, true));
    if (cert.isCA) extensions.push(new x509.SubjectKeyIdentifierExtension(await keyIdentifier(subjectKey)));
    if (!selfSigned) extensions.push(new x509.AuthorityKeyIdentifierExtension(await keyIdentifier(issuerKey)));
    const sans = [
      ...cert.sans.dns.map((value) => ({ type: "dns" as const, value })),
      ...cert.sans.ip.map((value) => ({ type: "ip" as const, value })),
    ];
    if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans, false));

    if (!/^[0-9a-f]+$/.test(cert.serial) || /^0+$/.test(cert.serial)) throw new Error(`certificate ${id}: serial must be non-zero hex`);
    const created = await x509.X509CertificateGenerator.create({
      serialNumber: cert.serial,
      subject: name(cert),
      issuer: name(issuer),
      notBefore: new Date(cert.notBefore),
      notAfter: new Date(cert.notAfter),
      publicKey: spki(subjectKey),
      signingKey: await signingKey(issuerKey),
      signingAlgorithm: RSA_SHA256,
      extensions,
    });
    const der = new Uint8Array(created.rawData);
    inProgress.delete(id);
    issued.set(id, der);
    return der;
  };

  for (const id of Object.keys(certs).sort()) await issue(id);
  return issued;
}
