import * as crypto from "node:crypto";
import { childrenOf, contentOf, DerError, type DerElement, expectElement, oidText, readWhole, TAG, unsignedInteger } from "./der.js";
import { ecPublicKey, ecPublicKeyOfScalar, fromKeyObject, OID, publicKeyOfSpkiFile, rsaPublicKey, unsupportedByGo, type PublicKeyInfo } from "./spki.js";

/**
 * What we keep of a private or public key: its public half as SubjectPublicKeyInfo DER. The
 * private key object is dropped as soon as the public key is derived; nothing secret is stored.
 */
export interface PublicKeyFingerprint {
  algorithm: string;
  spkiHex: string;
}

const PRIVATE_KEY_LABELS: Record<string, "pkcs1" | "pkcs8" | "sec1"> = {
  "RSA PRIVATE KEY": "pkcs1",
  "PRIVATE KEY": "pkcs8",
  "EC PRIVATE KEY": "sec1",
};

export function isPrivateKeyLabel(label: string): boolean {
  return label in PRIVATE_KEY_LABELS || label === "ENCRYPTED PRIVATE KEY";
}

export class KeyDecodeError extends Error {}

/** Derive the public key of a DER private key block; throws KeyDecodeError (never with key bytes). */
export function publicKeyOfPrivateKey(der: Buffer, label: string): PublicKeyFingerprint {
  const type = PRIVATE_KEY_LABELS[label];
  if (!type) throw new KeyDecodeError(`${label} blocks are encrypted; the key cannot be compared without its passphrase`);
  const key = publicKeyOfPrivateKeyDer(der, type);
  if (!key) throw new KeyDecodeError(`the ${label} block is not a valid ${type.toUpperCase()} private key`);
  return fingerprint(key);
}

/**
 * The public key of a PUBLIC KEY block (sa.pub): see publicKeyOfSpkiFile. Throws KeyDecodeError.
 */
export function publicKeyOfSpki(der: Buffer): PublicKeyFingerprint {
  let key: PublicKeyInfo;
  try {
    key = publicKeyOfSpkiFile(der);
  } catch {
    throw new KeyDecodeError("the PUBLIC KEY block is not a valid SubjectPublicKeyInfo");
  }
  return fingerprint(key);
}

/**
 * Try a DER blob as each private key encoding in turn (for DER key files). Throws KeyDecodeError
 * when it is one, damaged: see publicKeyOfPrivateKeyDer.
 */
export function publicKeyOfDerPrivateKey(der: Buffer): PublicKeyFingerprint | null {
  for (const type of ["pkcs8", "pkcs1", "sec1"] as const) {
    const key = publicKeyOfPrivateKeyDer(der, type);
    if (key) return fingerprint(key);
  }
  return null;
}

/**
 * The public half of a private key in one encoding, or null when it is not one. RSA keys are read
 * from the DER, after the consistency checks Go makes (rsaInconsistency); EC keys on NIST curves
 * are derived from their scalar, as Go does; others (Ed25519, RSA-PSS, other curves without their
 * point) are derived by node:crypto. Throws KeyDecodeError for a key whose numbers cannot belong
 * together, which OpenSSL would read but no component can use.
 */
function publicKeyOfPrivateKeyDer(der: Buffer, type: "pkcs1" | "pkcs8" | "sec1"): PublicKeyInfo | null {
  try {
    const direct = type === "pkcs1" ? rsaOfPkcs1(der, readWhole(der, TAG.SEQUENCE)) : type === "sec1" ? ecOfSec1(der, readWhole(der, TAG.SEQUENCE), undefined) : ofPkcs8(der);
    if (direct) return direct;
  } catch (error) {
    // What this reader refuses, OpenSSL may still read (BER leniencies): it has the last word.
    if (!(error instanceof DerError)) throw error;
  }
  let privateKey: crypto.KeyObject;
  let canonical: Buffer;
  try {
    privateKey = crypto.createPrivateKey({ key: der, format: "der", type });
    canonical = privateKey.export({ type: "pkcs8", format: "der" });
  } catch {
    return null;
  }
  // OpenSSL read what this reader refused (BER lengths, trailing bytes, an inner curve): its own
  // DER of the key goes through the same checks and derivation, so no leniency of its reading
  // turns a damaged key into a match. Keys those do not cover (Ed25519, RSA-PSS, more than two
  // primes) are OpenSSL's alone.
  let direct: PublicKeyInfo | null = null;
  try {
    direct = ofPkcs8(canonical);
  } catch (error) {
    if (!(error instanceof DerError)) throw error;
  }
  try {
    return direct ?? fromKeyObject(crypto.createPublicKey(privateKey));
  } catch {
    return null;
  }
}

/** RSAPrivateKey (RFC 8017 A.1.2): version 0, n, e, d, p, q, dp, dq, qinv. */
function rsaOfPkcs1(buf: Uint8Array, key: DerElement): PublicKeyInfo {
  const parts = childrenOf(buf, key);
  if (parts.length !== 9 || parts.some((part) => part.tag !== TAG.INTEGER) || !isZero(buf, parts[0]!)) throw new DerError("not an RSAPrivateKey");
  const [n, e, d, p, q, dp, dq, qinv] = parts.slice(1).map((part) => unsignedInteger(contentOf(buf, part))) as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
  const inconsistency = rsaInconsistency({ n, e, d, p, q, dp, dq, qinv });
  if (inconsistency) throw new KeyDecodeError(`the RSA private key is damaged: ${inconsistency}`);
  return rsaPublicKey(buf, parts[1]!, parts[2]!);
}

/**
 * What Go finds wrong with an RSA private key on loading one (x509.ParsePKCS1PrivateKey): before
 * Go 1.24, crypto/rsa Validate checks the exponents' range, the primes' product and d; from 1.24 it
 * checks the product and the CRT values instead, which it now uses. A key file damaged anywhere
 * but its modulus and exponent still names its certificate's public key; only these checks tell
 * that a component cannot load it.
 */
function rsaInconsistency({ n, e, d, p, q, dp, dq, qinv }: Record<"n" | "e" | "d" | "p" | "q" | "dp" | "dq" | "qinv", bigint>): string | null {
  if (e < 2n || e >= 1n << 31n) return "its public exponent is out of range, which Go refuses";
  if (p <= 1n || q <= 1n) return "a prime is 1 or less, which Go refuses";
  if (p * q !== n) return "its primes do not multiply to its modulus, which Go refuses";
  const de = d * e;
  if (de % (p - 1n) !== 1n || de % (q - 1n) !== 1n) return "its private exponent does not invert its public one, which Go before 1.24 refuses";
  if (dp >= p - 1n || dq >= q - 1n || qinv >= p || (dp * e) % (p - 1n) !== 1n || (dq * e) % (q - 1n) !== 1n || (qinv * q) % p !== 1n) {
    return "its CRT values do not belong to its primes, which Go 1.24 and later refuse";
  }
  return null;
}

/**
 * ECPrivateKey (RFC 5915): version 1, key, [0] curve, [1] public point. On a NIST curve the public
 * key is derived from the scalar, as Go derives it; on another, it is the stored point, or null
 * without one (OpenSSL then derives it).
 */
function ecOfSec1(buf: Uint8Array, key: DerElement, outerCurve: DerElement | undefined): PublicKeyInfo | null {
  const parts = childrenOf(buf, key);
  if (parts[0]?.tag !== TAG.INTEGER || parts[1]?.tag !== TAG.OCTET_STRING) throw new DerError("not an ECPrivateKey");
  const tagged = (tag: number) => {
    const wrapper = parts.slice(2).find((part) => part.tag === tag);
    return wrapper ? childrenOf(buf, wrapper)[0] : undefined;
  };
  // PKCS#8's algorithm names the curve before the inner key's own [0], as in Go.
  const curve = outerCurve ?? tagged(0xa0);
  if (!curve || curve.tag !== TAG.OID) return null;
  const derived = ecPublicKeyOfScalar(buf, curve, contentOf(buf, parts[1]));
  if (derived === "invalid") throw new KeyDecodeError("the EC private key is damaged: its scalar is 0 or not below its curve's order, so it belongs to no certificate");
  if (derived) return derived;
  // Curves other than NIST's: the stored point, else OpenSSL derives it.
  const point = tagged(0xa1);
  if (!point || point.tag !== TAG.BIT_STRING) return null;
  return ecPublicKey(buf, curve, point);
}

/** PrivateKeyInfo (RFC 5208): version, algorithm, the key in its own encoding inside an OCTET STRING. */
function ofPkcs8(buf: Uint8Array): PublicKeyInfo | null {
  const [version, algorithm, inner] = childrenOf(buf, readWhole(buf, TAG.SEQUENCE));
  if (version?.tag !== TAG.INTEGER || algorithm?.tag !== TAG.SEQUENCE || inner?.tag !== TAG.OCTET_STRING) throw new DerError("not a PrivateKeyInfo");
  const [oid, parameters] = childrenOf(buf, algorithm);
  const algorithmOid = oid ? oidText(buf, oid) : "";
  if (algorithmOid !== OID.rsaEncryption && algorithmOid !== OID.ecPublicKey) return null;
  // Read the inner key in place, so every element stays an offset into the one buffer.
  const innerKey = expectElement(buf, inner.contentStart, TAG.SEQUENCE, inner.end);
  if (innerKey.end !== inner.end) throw new DerError("trailing bytes after the private key");
  if (algorithmOid === OID.rsaEncryption) return rsaOfPkcs1(buf, innerKey);
  // The inner ECPrivateKey usually leaves the curve to the algorithm's parameters.
  if (algorithmOid === OID.ecPublicKey && parameters?.tag === TAG.OID) return ecOfSec1(buf, innerKey, parameters);
  return null;
}

function isZero(buf: Uint8Array, integer: DerElement): boolean {
  return integer.end - integer.contentStart === 1 && buf[integer.contentStart] === 0;
}

/** What we keep of a key Go can load; KeyDecodeError for one it cannot (unsupportedByGo). */
function fingerprint(key: PublicKeyInfo): PublicKeyFingerprint {
  const unsupported = unsupportedByGo(key);
  if (unsupported) throw new KeyDecodeError(`the key is unusable: ${unsupported}`);
  return { algorithm: key.type, spkiHex: key.spki.toString("hex") };
}
