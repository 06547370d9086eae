import { RecentlyUsed } from "../cache.js";
import * as crypto from "node:crypto";
import type { DistinguishedName } from "../model.js";
import { formatIPv6 } from "../ip.js";
import {
  bitStringBytes,
  bytesOf,
  childrenOf,
  contentOf,
  DerError,
  type DerElement,
  oidText,
  readWhole,
  stringText,
  TAG,
  timeValue,
  unsignedInteger,
} from "./der.js";
import { publicKeyOfSpkiElement, rsaJwkOf, unsupportedByGo } from "./spki.js";

/** A decoded X.509 certificate: the fields the checks read, and what checking its signature needs. */
export interface DecodedCertificate {
  der: Buffer;
  fingerprintSha256: string;
  subject: DistinguishedName;
  issuer: DistinguishedName;
  /** DER of subject and issuer names, to tell a self-issued certificate without string games. */
  subjectDer: string;
  issuerDer: string;
  sans: { dns: string[]; ip: string[] };
  serial: string;
  notBefore: Date;
  notAfter: Date;
  basicConstraints: { ca: boolean } | null;
  keyUsage: string[] | null;
  extKeyUsage: string[] | null;
  keyAlgorithm: string;
  keySize: number | null;
  /** Why Go cannot load this certificate (its key is on an elliptic curve Go does not support), or null. */
  keyUnsupported: string | null;
  signatureAlgorithm: string;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  /** Self-issued and its signature verifies with its own key: a root. */
  selfSigned: boolean;
  /** SubjectPublicKeyInfo DER (as OpenSSL encodes it), hex: compared with private keys and other certificates. */
  spkiHex: string;
  /** What a signature check reads: the signed bytes, the signature and its algorithm. */
  signed: SignedPart;
}

interface SignedPart {
  tbs: Buffer;
  signature: Buffer;
  signatureOid: string;
  /** The algorithm inside the signed part equals the outer one (OpenSSL fails the signature otherwise). */
  algorithmsAgree: boolean;
}

/** KeyUsage bits, in order from bit 0 (RFC 5280 §4.2.1.3). */
const KEY_USAGE_NAMES = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
] as const;

const EXT_KEY_USAGE_NAMES: Record<string, string> = {
  "1.3.6.1.5.5.7.3.1": "serverAuth",
  "1.3.6.1.5.5.7.3.2": "clientAuth",
  "1.3.6.1.5.5.7.3.3": "codeSigning",
  "1.3.6.1.5.5.7.3.4": "emailProtection",
  "1.3.6.1.5.5.7.3.8": "timeStamping",
  "1.3.6.1.5.5.7.3.9": "ocspSigning",
  "2.5.29.37.0": "anyExtendedKeyUsage",
};

/** Signature algorithms by OID: their name, the key type that verifies them, and the digest (null: none, as for EdDSA). */
const SIGNATURE_ALGORITHMS: Record<string, { name: string; keyType: string; digest: string | null }> = {
  "1.2.840.113549.1.1.4": { name: "md5WithRSAEncryption", keyType: "rsa", digest: "md5" },
  "1.2.840.113549.1.1.5": { name: "sha1WithRSAEncryption", keyType: "rsa", digest: "sha1" },
  "1.2.840.113549.1.1.14": { name: "sha224WithRSAEncryption", keyType: "rsa", digest: "sha224" },
  "1.2.840.113549.1.1.11": { name: "sha256WithRSAEncryption", keyType: "rsa", digest: "sha256" },
  "1.2.840.113549.1.1.12": { name: "sha384WithRSAEncryption", keyType: "rsa", digest: "sha384" },
  "1.2.840.113549.1.1.13": { name: "sha512WithRSAEncryption", keyType: "rsa", digest: "sha512" },
  "1.2.840.10045.4.1": { name: "ecdsa-with-SHA1", keyType: "ec", digest: "sha1" },
  "1.2.840.10045.4.3.1": { name: "ecdsa-with-SHA224", keyType: "ec", digest: "sha224" },
  "1.2.840.10045.4.3.2": { name: "ecdsa-with-SHA256", keyType: "ec", digest: "sha256" },
  "1.2.840.10045.4.3.3": { name: "ecdsa-with-SHA384", keyType: "ec", digest: "sha384" },
  "1.2.840.10045.4.3.4": { name: "ecdsa-with-SHA512", keyType: "ec", digest: "sha512" },
  "1.3.101.112": { name: "ED25519", keyType: "ed25519", digest: null },
  "1.3.101.113": { name: "ED448", keyType: "ed448", digest: null },
};

/** Names of algorithms verified through OpenSSL's own X.509 code (their parameters matter). */
const OTHER_SIGNATURE_NAMES: Record<string, string> = {
  "1.2.840.113549.1.1.10": "rsassaPss",
  "1.2.840.10040.4.3": "dsa-with-SHA1",
};

const NAME_OIDS = { cn: "2.5.4.3", o: "2.5.4.10" } as const;

const EXTENSION_OIDS = {
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  authorityKeyIdentifier: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
} as const;

export class CertificateDecodeError extends Error {}

/** CN (the first) and O values of a Name, reading every attribute as a string as Go does. */
function nameOf(buf: Buffer, name: DerElement): DistinguishedName {
  if (name.tag !== TAG.SEQUENCE) throw new DerError("a name is not a SEQUENCE");
  let cn: string | null = null;
  const o: string[] = [];
  for (const rdn of childrenOf(buf, name)) {
    if (rdn.tag !== TAG.SET) throw new DerError("a relative distinguished name is not a SET");
    for (const attribute of childrenOf(buf, rdn)) {
      const [type, value] = childrenOf(buf, attribute);
      if (attribute.tag !== TAG.SEQUENCE || !type || !value) throw new DerError("invalid name attribute");
      const oid = oidText(buf, type);
      const text = stringText(buf, value);
      if (oid === NAME_OIDS.cn) cn ??= text;
      else if (oid === NAME_OIDS.o) o.push(text);
    }
  }
  return { cn, o };
}

/** Serial number as hex, as @peculiar/x509 and openssl print it (the sign byte dropped). */
function serialHex(buf: Buffer, serial: DerElement): string {
  if (serial.tag !== TAG.INTEGER || serial.end === serial.contentStart) throw new DerError("invalid serial number");
  const bytes = contentOf(buf, serial);
  const unsigned = bytes.length > 1 && bytes[0] === 0 && bytes[1]! > 0x7f ? bytes.subarray(1) : bytes;
  return Buffer.from(unsigned).toString("hex");
}

function ipText(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join(".");
  if (bytes.length === 16) return formatIPv6(unsignedInteger(bytes));
  throw new DerError(`an IP address SAN has ${bytes.length} bytes`);
}

interface Extensions {
  sans: { dns: string[]; ip: string[] };
  basicConstraints: { ca: boolean } | null;
  keyUsage: string[] | null;
  extKeyUsage: string[] | null;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
}

/** The extensions the checks read; a repeated extension is an error, as it is to Go's parser. */
function readExtensions(buf: Buffer, wrapper: DerElement | undefined): Extensions {
  const result: Extensions = { sans: { dns: [], ip: [] }, basicConstraints: null, keyUsage: null, extKeyUsage: null, subjectKeyId: null, authorityKeyId: null };
  if (!wrapper) return result;
  const [list] = childrenOf(buf, wrapper);
  if (!list || list.tag !== TAG.SEQUENCE) throw new DerError("invalid extensions");
  const seen = new Set<string>();
  for (const extension of childrenOf(buf, list)) {
    const parts = childrenOf(buf, extension);
    if (extension.tag !== TAG.SEQUENCE || !parts[0]) throw new DerError("invalid extension");
    const oid = oidText(buf, parts[0]);
    if (seen.has(oid)) throw new DerError(`extension ${oid} appears twice`);
    seen.add(oid);
    const octets = parts[parts.length - 1];
    if (!octets || octets.tag !== TAG.OCTET_STRING || (parts.length === 3 && parts[1]!.tag !== TAG.BOOLEAN)) throw new DerError(`invalid extension ${oid}`);
    const value = contentOf(buf, octets);
    switch (oid) {
      case EXTENSION_OIDS.subjectAltName:
        for (const name of childrenOf(value, readWhole(value, TAG.SEQUENCE))) {
          if (name.tag === 0x82) result.sans.dns.push(Buffer.from(contentOf(value, name)).toString("utf8"));
          else if (name.tag === 0x87) result.sans.ip.push(ipText(contentOf(value, name)));
        }
        break;
      case EXTENSION_OIDS.basicConstraints: {
        const [first] = childrenOf(value, readWhole(value, TAG.SEQUENCE));
        result.basicConstraints = { ca: first?.tag === TAG.BOOLEAN && value[first.contentStart] !== 0 };
        break;
      }
      case EXTENSION_OIDS.keyUsage: {
        const bits = bitStringBytes(value, readWhole(value, TAG.BIT_STRING));
        result.keyUsage = KEY_USAGE_NAMES.filter((_, bit) => ((bits[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0);
        break;
      }
      case EXTENSION_OIDS.extKeyUsage:
        result.extKeyUsage = childrenOf(value, readWhole(value, TAG.SEQUENCE)).map((usage) => {
          const usageOid = oidText(value, usage);
          return EXT_KEY_USAGE_NAMES[usageOid] ?? usageOid;
        });
        break;
      case EXTENSION_OIDS.subjectKeyIdentifier:
        result.subjectKeyId = Buffer.from(contentOf(value, readWhole(value, TAG.OCTET_STRING))).toString("hex");
        break;
      case EXTENSION_OIDS.authorityKeyIdentifier: {
        const keyId = childrenOf(value, readWhole(value, TAG.SEQUENCE)).find((part) => part.tag === 0x80);
        result.authorityKeyId = keyId ? Buffer.from(contentOf(value, keyId)).toString("hex") : null;
        break;
      }
    }
  }
  return result;
}

/** Decode one DER certificate; throws CertificateDecodeError with a short reason on garbage. */
export function decodeCertificate(der: Buffer): DecodedCertificate {
  try {
    return decodeStructure(der);
  } catch (error) {
    if (error instanceof DerError) throw new CertificateDecodeError(`not a valid X.509 certificate (${error.message})`);
    throw new CertificateDecodeError(`not a valid X.509 certificate (${shortReason(error)})`);
  }
}

function decodeStructure(der: Buffer): DecodedCertificate {
  const certificate = readWhole(der, TAG.SEQUENCE);
  const [tbs, outerAlgorithm, signature] = childrenOf(der, certificate);
  if (!tbs || !outerAlgorithm || !signature || tbs.tag !== TAG.SEQUENCE || outerAlgorithm.tag !== TAG.SEQUENCE) throw new DerError("not a Certificate");
  const fields = childrenOf(der, tbs);
  // version [0] EXPLICIT is absent in v1 certificates.
  const at = fields[0]?.tag === 0xa0 ? 1 : 0;
  const [serial, innerAlgorithm, issuerName, validity, subjectName, spki] = fields.slice(at, at + 6);
  if (!serial || !innerAlgorithm || !issuerName || !validity || !subjectName || !spki) throw new DerError("truncated TBSCertificate");
  const [notBefore, notAfter] = childrenOf(der, validity);
  if (!notBefore || !notAfter) throw new DerError("invalid validity");
  const [algorithmOid] = childrenOf(der, outerAlgorithm);
  if (!algorithmOid) throw new DerError("invalid signature algorithm");
  const signatureOid = oidText(der, algorithmOid);
  const extensions = readExtensions(der, fields.slice(at + 6).find((field) => field.tag === 0xa3));
  const publicKey = publicKeyOfSpkiElement(der, spki);
  const subjectDer = Buffer.from(bytesOf(der, subjectName)).toString("hex");
  const issuerDer = Buffer.from(bytesOf(der, issuerName)).toString("hex");
  const decoded: DecodedCertificate = {
    der,
    fingerprintSha256: crypto.createHash("sha256").update(der).digest("hex").toUpperCase().replace(/(..)(?!$)/g, "$1:"),
    subject: nameOf(der, subjectName),
    issuer: nameOf(der, issuerName),
    subjectDer,
    issuerDer,
    selfSigned: false,
    ...extensions,
    serial: serialHex(der, serial),
    notBefore: timeValue(der, notBefore),
    notAfter: timeValue(der, notAfter),
    keyAlgorithm: keyAlgorithmName(publicKey.type, publicKey.namedCurve),
    keySize: publicKey.modulusLength ?? curveBits(publicKey.namedCurve) ?? (publicKey.type === "ed25519" ? 256 : null),
    keyUnsupported: unsupportedByGo(publicKey),
    signatureAlgorithm: SIGNATURE_ALGORITHMS[signatureOid]?.name ?? OTHER_SIGNATURE_NAMES[signatureOid] ?? signatureOid,
    spkiHex: publicKey.spki.toString("hex"),
    signed: {
      tbs: der.subarray(tbs.start, tbs.end),
      signature: Buffer.from(bitStringBytes(der, signature)),
      signatureOid,
      algorithmsAgree: Buffer.compare(bytesOf(der, outerAlgorithm), bytesOf(der, innerAlgorithm)) === 0,
    },
  };
  // A root: self-issued, and its signature verifies with its own key.
  decoded.selfSigned = subjectDer === issuerDer && signedBy(decoded, decoded);
  return decoded;
}

function keyAlgorithmName(keyType: string, curve: string | undefined): string {
  switch (keyType) {
    case "rsa":
    case "rsa-pss":
      return "RSA";
    case "ec":
      return curve ? `ECDSA ${curveLabel(curve)}` : "ECDSA";
    case "ed25519":
      return "Ed25519";
    default:
      return keyType.toUpperCase();
  }
}

function curveLabel(curve: string): string {
  return ({ secp224r1: "P-224", prime256v1: "P-256", secp384r1: "P-384", secp521r1: "P-521" } as Record<string, string>)[curve] ?? curve;
}

function curveBits(curve: string | undefined): number | undefined {
  return curve ? ({ secp224r1: 224, prime256v1: 256, secp384r1: 384, secp521r1: 521 } as Record<string, number>)[curve] : undefined;
}

function shortReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]?.slice(0, 120) ?? "unknown error";
}

/** Verification keys by SPKI: the same CA key checks many certificates, across a fleet too. Bounded. */
const verificationKeys = new RecentlyUsed<string, crypto.KeyObject | null>(4096);

function verificationKey(cert: DecodedCertificate): crypto.KeyObject | null {
  return verificationKeys.obtain(cert.spkiHex, () => {
    try {
      const spki = Buffer.from(cert.spkiHex, "hex");
      const jwk = rsaJwkOf(spki);
      return jwk ? crypto.createPublicKey({ key: jwk, format: "jwk" }) : crypto.createPublicKey({ key: spki, format: "der", type: "spki" });
    } catch {
      return null;
    }
  });
}

/**
 * Does `signed` verify with `key`? The usual algorithms are checked with crypto.verify over the
 * signed bytes (no certificate parse in OpenSSL); the rest (RSA-PSS with its parameters, DSA)
 * through OpenSSL's X.509 code.
 */
function verifies(cert: DecodedCertificate, key: crypto.KeyObject): boolean {
  const { tbs, signature, signatureOid, algorithmsAgree } = cert.signed;
  if (!algorithmsAgree) return false;
  const algorithm = SIGNATURE_ALGORITHMS[signatureOid];
  try {
    if (!algorithm) return new crypto.X509Certificate(cert.der).verify(key);
    return key.asymmetricKeyType === algorithm.keyType && crypto.verify(algorithm.digest, tbs, key, signature);
  } catch {
    return false;
  }
}

/** Verdicts by certificate, then by issuer key: the same CA is asked about by many checks. */
const verdicts = new WeakMap<DecodedCertificate, Map<string, boolean>>();

/**
 * True when `issuer` issued `cert` as Go's x509 verifier (every Kubernetes component's) decides it:
 * the issuer's subject is byte for byte the certificate's issuer name — Go looks parents up by
 * RawIssuer, so a matching key under another name never chains — and the issuer's key verifies the
 * signature (each pair is verified once). The name test also spares the signature check for all
 * the pairs that cannot chain.
 */
export function signedBy(cert: DecodedCertificate, issuer: DecodedCertificate): boolean {
  if (cert.issuerDer !== issuer.subjectDer) return false;
  let byIssuer = verdicts.get(cert);
  if (!byIssuer) {
    byIssuer = new Map();
    verdicts.set(cert, byIssuer);
  }
  let verdict = byIssuer.get(issuer.spkiHex);
  if (verdict === undefined) {
    const key = verificationKey(issuer);
    verdict = key !== null && verifies(cert, key);
    byIssuer.set(issuer.spkiHex, verdict);
  }
  return verdict;
}
