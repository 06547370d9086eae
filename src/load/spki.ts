/**
 * Public keys as SubjectPublicKeyInfo DER, the form every key comparison uses. A certificate's key
 * and a private key's public half are both rebuilt here into the one encoding OpenSSL exports, so
 * equal keys compare equal byte for byte whatever DER encoder wrote the file (an RSA key's
 * integers are re-encoded, so BER lengths and padding in them do not count either). RSA and EC
 * keys (all of a control plane) are read from their DER directly; anything else goes through
 * node:crypto.
 */
import * as crypto from "node:crypto";
import { bitStringBytes, bytesOf, childrenOf, contentOf, DerError, type DerElement, encodeElement, oidText, readWhole, TAG, unsignedInteger } from "./der.js";

/** A public key: its algorithm (node:crypto's asymmetricKeyType names) and canonical SPKI DER. */
export interface PublicKeyInfo {
  /** "rsa", "ec", "ed25519", … as node:crypto names key types. */
  type: string;
  spki: Buffer;
  /** RSA modulus bits. */
  modulusLength?: number;
  /** EC curve, as OpenSSL names it (prime256v1, secp384r1, …). */
  namedCurve?: string;
}

export const OID = {
  rsaEncryption: "1.2.840.113549.1.1.1",
  rsassaPss: "1.2.840.113549.1.1.10",
  dsa: "1.2.840.10040.4.1",
  ecPublicKey: "1.2.840.10045.2.1",
} as const;

const CURVES: Record<string, string> = {
  "1.3.132.0.33": "secp224r1",
  "1.2.840.10045.3.1.7": "prime256v1",
  "1.3.132.0.34": "secp384r1",
  "1.3.132.0.35": "secp521r1",
  "1.3.132.0.10": "secp256k1",
};

const RSA_ALGORITHM = encodeElement(TAG.SEQUENCE, encodeElement(TAG.OID, Buffer.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01])), Buffer.from([TAG.NULL, 0]));
const EC_ALGORITHM_OID = encodeElement(TAG.OID, Buffer.from([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]));

/** Bits of a positive INTEGER's value. */
function integerBits(buf: Uint8Array, element: DerElement): number {
  let i = element.contentStart;
  while (i < element.end && buf[i] === 0) i++;
  if (i === element.end) return 0;
  return (element.end - i - 1) * 8 + (32 - Math.clz32(buf[i]!));
}

/**
 * An RSA key's INTEGER element re-encoded as OpenSSL exports it: its content read as an unsigned
 * number (as OpenSSL reads n and e, so a modulus written without its sign byte is still that
 * modulus), then written in DER — a minimal length, no needless leading zero, a zero byte before
 * a high bit, and 0 for no content.
 */
function derInteger(buf: Uint8Array, element: DerElement): Buffer {
  const content = contentOf(buf, element);
  let first = 0;
  while (first < content.length && content[first] === 0) first++;
  const magnitude = content.subarray(first);
  return magnitude.length === 0 || magnitude[0]! >= 0x80 ? encodeElement(TAG.INTEGER, Buffer.from([0]), magnitude) : encodeElement(TAG.INTEGER, magnitude);
}

/** RSA public key from its modulus and exponent INTEGER elements, in the encoding OpenSSL exports. */
export function rsaPublicKey(buf: Uint8Array, modulus: DerElement, exponent: DerElement): PublicKeyInfo {
  if (modulus.tag !== TAG.INTEGER || exponent.tag !== TAG.INTEGER) throw new DerError("RSA key parts are not integers");
  const rsaPublic = encodeElement(TAG.SEQUENCE, derInteger(buf, modulus), derInteger(buf, exponent));
  return {
    type: "rsa",
    spki: encodeElement(TAG.SEQUENCE, RSA_ALGORITHM, encodeElement(TAG.BIT_STRING, Buffer.from([0]), rsaPublic)),
    modulusLength: integerBits(buf, modulus),
  };
}

/**
 * EC public key from its curve OID element and public point (BIT STRING element), every header
 * rebuilt in DER (as OpenSSL exports it, whatever length form the input used); null when the point
 * is compressed or the curve unknown, which node:crypto then reads instead.
 */
export function ecPublicKey(buf: Uint8Array, curve: DerElement, point: DerElement): PublicKeyInfo | null {
  if (curve.tag !== TAG.OID) return null;
  const namedCurve = CURVES[oidText(buf, curve)];
  const bits = bitStringBytes(buf, point);
  if (!namedCurve || bits[0] !== 0x04) return null;
  return { type: "ec", spki: ecSpki(contentOf(buf, curve), contentOf(buf, point)), namedCurve };
}

/** An EC SPKI in DER from its curve OID's content and its BIT STRING's (the unused-bits byte, then the point). */
function ecSpki(curveOid: Uint8Array, bitString: Uint8Array): Buffer {
  return encodeElement(TAG.SEQUENCE, encodeElement(TAG.SEQUENCE, EC_ALGORITHM_OID, encodeElement(TAG.OID, curveOid)), encodeElement(TAG.BIT_STRING, bitString));
}

/** The content of a positive INTEGER in minimal DER (no needless 0x00, not negative), or null. */
function minimalPositive(buf: Uint8Array, element: DerElement): Uint8Array | null {
  const content = contentOf(buf, element);
  if (element.tag !== TAG.INTEGER || content.length === 0 || content[0]! >= 0x80) return null;
  if (content[0] === 0) return content.length > 1 && content[1]! >= 0x80 ? content.subarray(1) : null;
  return content;
}

/**
 * An RSA SPKI in the one form whose reading is not in doubt: exactly the rsaEncryption algorithm
 * with NULL parameters, no unused bits, two INTEGERs in minimal positive DER and nothing after them.
 * OpenSSL reads such a key as the same key (a property test holds it to that); null for any other
 * key, or any other form of one, which OpenSSL then decides about.
 */
function strictRsa(spki: Buffer): { bits: Uint8Array; modulus: DerElement; exponent: DerElement; n: Uint8Array; e: Uint8Array } | null {
  try {
    const outer = childrenOf(spki, readWhole(spki, TAG.SEQUENCE));
    const [algorithm, key] = outer;
    if (outer.length !== 2 || !algorithm || !key || algorithm.tag !== TAG.SEQUENCE || Buffer.compare(bytesOf(spki, algorithm), RSA_ALGORITHM) !== 0) return null;
    const bits = bitStringBytes(spki, key);
    if (spki[key.contentStart] !== 0) return null;
    const parts = childrenOf(bits, readWhole(bits, TAG.SEQUENCE));
    const [modulus, exponent] = parts;
    if (parts.length !== 2 || !modulus || !exponent) return null;
    const n = minimalPositive(bits, modulus);
    const e = minimalPositive(bits, exponent);
    return n && e ? { bits, modulus, exponent, n, e } : null;
  } catch {
    return null;
  }
}

/**
 * An RSA SPKI as a JSON Web Key, for node:crypto to import: the same key as the DER import makes,
 * at about 3 µs where OpenSSL's DER decoders take about 90. Null unless the SPKI is strictly
 * canonical (strictRsa).
 */
export function rsaJwkOf(spki: Buffer): crypto.JsonWebKey | null {
  const rsa = strictRsa(spki);
  return rsa && { kty: "RSA", n: Buffer.from(rsa.n).toString("base64url"), e: Buffer.from(rsa.e).toString("base64url") };
}

/**
 * The NIST prime curves (y² = x³ − 3x + b over the integers modulo p, cofactor 1) by OpenSSL's
 * name, as FIPS 186-4 D.1.2 gives them: exactly the curves Go's crypto/x509 reads EC keys on
 * (namedCurveFromOID). kubeadm's ECDSA keys are on P-256 or P-384.
 */
const PRIME_CURVES: Record<string, { p: bigint; b: bigint; bytes: number }> = {
  secp224r1: {
    p: 0xffffffffffffffffffffffffffffffff000000000000000000000001n,
    b: 0xb4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4n,
    bytes: 28,
  },
  prime256v1: {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    bytes: 32,
  },
  secp384r1: {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    bytes: 48,
  },
  secp521r1: {
    p: (1n << 521n) - 1n,
    b: 0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
    bytes: 66,
  },
};

/**
 * Why no Kubernetes component can load a key, or null: an EC key on a curve Go does not support,
 * or with explicit parameters ("x509: unsupported elliptic curve"). Other key types are not judged.
 */
export function unsupportedByGo(key: Pick<PublicKeyInfo, "type" | "namedCurve">): string | null {
  if (key.type !== "ec" || (key.namedCurve !== undefined && Object.hasOwn(PRIME_CURVES, key.namedCurve))) return null;
  return `it is on ${key.namedCurve ?? "an elliptic curve given by its parameters"}, which Go does not support (P-224, P-256, P-384 and P-521 only), so no component can load it`;
}

/** ECDH objects by curve, reused: setting one's private key computes the public point. */
const scalarMultipliers = new Map<string, crypto.ECDH>();

/**
 * The public key of an EC private key's scalar, derived as Go's crypto/x509 derives it (sec1.go:
 * the scalar times the curve's generator; a public point stored beside the scalar is ignored), on
 * the NIST prime curves; null on any other curve. "invalid" for a scalar longer than the curve's
 * order after its leading zeros (which Go drops), or not below the order (Go refuses both), or 0
 * (from which Go derives the point at infinity, which belongs to no certificate).
 */
export function ecPublicKeyOfScalar(buf: Uint8Array, curve: DerElement, scalar: Uint8Array): PublicKeyInfo | "invalid" | null {
  if (curve.tag !== TAG.OID) return null;
  const namedCurve = CURVES[oidText(buf, curve)];
  const field = namedCurve === undefined ? undefined : PRIME_CURVES[namedCurve];
  if (!namedCurve || !field) return null;
  let first = 0;
  while (scalar.length - first > field.bytes && scalar[first] === 0) first++;
  if (scalar.length - first > field.bytes) return "invalid";
  let multiplier = scalarMultipliers.get(namedCurve);
  if (!multiplier) scalarMultipliers.set(namedCurve, (multiplier = crypto.createECDH(namedCurve)));
  let point: Buffer;
  try {
    // OpenSSL refuses 0 and a scalar not below the order.
    multiplier.setPrivateKey(Buffer.from(scalar.subarray(first)));
    point = multiplier.getPublicKey();
  } catch {
    return "invalid";
  }
  return { type: "ec", spki: ecSpki(contentOf(buf, curve), Buffer.concat([Buffer.from([0]), point])), namedCurve };
}

/** Whether an uncompressed point lies on `curve`, each coordinate below p (as OpenSSL requires of it). */
function isOnCurve(point: Uint8Array, { p, b, bytes }: { p: bigint; b: bigint; bytes: number }): boolean {
  if (point.length !== 1 + 2 * bytes || point[0] !== 0x04) return false;
  const x = unsignedInteger(point.subarray(1, 1 + bytes));
  const y = unsignedInteger(point.subarray(1 + bytes));
  return x < p && y < p && (y * y - x * x * x + 3n * x - b) % p === 0n;
}

/**
 * An EC SPKI in the one form whose reading is not in doubt: a NIST prime curve by name, no unused
 * bits, an uncompressed point on the curve with both coordinates below p, in DER exactly as OpenSSL
 * exports it. OpenSSL reads such a key as the same key (a property test holds it to that), at about
 * 200 µs where this takes a few; null for any other key, or any other form of one.
 */
export function canonicalEcKey(spki: Buffer): PublicKeyInfo | null {
  try {
    const outer = childrenOf(spki, readWhole(spki, TAG.SEQUENCE));
    const [algorithm, key] = outer;
    if (outer.length !== 2 || !algorithm || !key || algorithm.tag !== TAG.SEQUENCE || key.tag !== TAG.BIT_STRING || spki[key.contentStart] !== 0) return null;
    const [oid, curve] = childrenOf(spki, algorithm);
    if (!oid || !curve || curve.tag !== TAG.OID || oidText(spki, oid) !== OID.ecPublicKey) return null;
    const ec = ecPublicKey(spki, curve, key);
    const field = ec?.namedCurve === undefined ? undefined : PRIME_CURVES[ec.namedCurve];
    return ec && field && ec.spki.equals(spki) && isOnCurve(bitStringBytes(spki, key), field) ? ec : null;
  } catch {
    return null;
  }
}

/**
 * A PUBLIC KEY file's key (sa.pub): an RSA or EC key already in the encoding OpenSSL exports, byte
 * for byte (kubeadm writes these), from its DER; anything else through OpenSSL, which decides
 * whether it is a key at all (a BER length, a compressed point) and how it re-encodes. Throws on
 * garbage.
 */
export function publicKeyOfSpkiFile(spki: Buffer): PublicKeyInfo {
  const rsa = strictRsa(spki);
  const key = rsa ? rsaPublicKey(rsa.bits, rsa.modulus, rsa.exponent) : canonicalEcKey(spki);
  return key && key.spki.equals(spki) ? key : publicKeyViaNode(spki);
}

/** Any SPKI through node:crypto (which validates it); throws on garbage. */
export function publicKeyViaNode(spki: Uint8Array): PublicKeyInfo {
  return fromKeyObject(crypto.createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" }));
}

export function fromKeyObject(key: crypto.KeyObject): PublicKeyInfo {
  // Never asymmetricKeyDetails: Node 20 aborts the whole process (a failed assertion, no
  // exception) when asked for the details of some keys OpenSSL reads but cannot convert: an EC
  // point at infinity, a DSA key with a damaged public value. The export throws for the first
  // (its point format, taken from the lone 00 byte, is none an encoder accepts), and what the
  // report needs of the rest is read from the SPKI OpenSSL exported.
  const spki = key.export({ type: "spki", format: "der" });
  return { type: key.asymmetricKeyType ?? "unknown", spki, ...detailsOfSpki(spki) };
}

/** RSA's modulus bits, DSA's prime bits, EC's named curve, from an SPKI OpenSSL exported. */
function detailsOfSpki(spki: Buffer): Pick<PublicKeyInfo, "modulusLength" | "namedCurve"> {
  try {
    const [algorithm, key] = childrenOf(spki, readWhole(spki, TAG.SEQUENCE));
    const [oid, parameters] = childrenOf(spki, algorithm!);
    const algorithmOid = oidText(spki, oid!);
    if (algorithmOid === OID.rsaEncryption || algorithmOid === OID.rsassaPss) {
      const bits = bitStringBytes(spki, key!);
      const [modulus] = childrenOf(bits, readWhole(bits, TAG.SEQUENCE));
      return { modulusLength: integerBits(bits, modulus!) };
    }
    if (algorithmOid === OID.dsa && parameters?.tag === TAG.SEQUENCE) {
      const [prime] = childrenOf(spki, parameters);
      return { modulusLength: integerBits(spki, prime!) };
    }
    const namedCurve = algorithmOid === OID.ecPublicKey && parameters?.tag === TAG.OID ? CURVES[oidText(spki, parameters)] : undefined;
    return namedCurve ? { namedCurve } : {};
  } catch {
    // OpenSSL's own encoding; should it not parse, the key is still the key, without the details.
    return {};
  }
}

/** The public key of a SubjectPublicKeyInfo element. */
export function publicKeyOfSpkiElement(buf: Uint8Array, spki: DerElement): PublicKeyInfo {
  const [algorithm, key] = childrenOf(buf, spki);
  if (spki.tag !== TAG.SEQUENCE || !algorithm || !key || algorithm.tag !== TAG.SEQUENCE) throw new DerError("invalid SubjectPublicKeyInfo");
  const [oid, parameters] = childrenOf(buf, algorithm);
  if (!oid) throw new DerError("invalid key algorithm");
  const algorithmOid = oidText(buf, oid);
  if (algorithmOid === OID.rsaEncryption) {
    const bits = bitStringBytes(buf, key);
    const rsaPublic = childrenOf(bits, readWhole(bits, TAG.SEQUENCE));
    if (rsaPublic.length !== 2) throw new DerError("invalid RSA public key");
    return rsaPublicKey(bits, rsaPublic[0]!, rsaPublic[1]!);
  }
  if (algorithmOid === OID.ecPublicKey && parameters?.tag === TAG.OID) {
    const ec = ecPublicKey(buf, parameters, key);
    if (ec) return ec;
  }
  return publicKeyViaNode(bytesOf(buf, spki));
}
