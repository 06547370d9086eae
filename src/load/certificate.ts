import "reflect-metadata";
import * as crypto from "node:crypto";
import * as x509 from "@peculiar/x509";
import type { DistinguishedName } from "../model.js";

/** A decoded X.509 certificate: the fields the checks read, plus a native handle for signatures. */
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
  signatureAlgorithm: string;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  /** Self-issued and its signature verifies with its own key: a root. */
  selfSigned: boolean;
  /** SubjectPublicKeyInfo DER, hex: compared with private keys and other certificates. */
  spkiHex: string;
  native: crypto.X509Certificate;
}

const KEY_USAGE_NAMES: ReadonlyArray<[x509.KeyUsageFlags, string]> = [
  [x509.KeyUsageFlags.digitalSignature, "digitalSignature"],
  [x509.KeyUsageFlags.nonRepudiation, "nonRepudiation"],
  [x509.KeyUsageFlags.keyEncipherment, "keyEncipherment"],
  [x509.KeyUsageFlags.dataEncipherment, "dataEncipherment"],
  [x509.KeyUsageFlags.keyAgreement, "keyAgreement"],
  [x509.KeyUsageFlags.keyCertSign, "keyCertSign"],
  [x509.KeyUsageFlags.cRLSign, "cRLSign"],
  [x509.KeyUsageFlags.encipherOnly, "encipherOnly"],
  [x509.KeyUsageFlags.decipherOnly, "decipherOnly"],
];

const EXT_KEY_USAGE_NAMES: Record<string, string> = {
  [x509.ExtendedKeyUsage.serverAuth]: "serverAuth",
  [x509.ExtendedKeyUsage.clientAuth]: "clientAuth",
  [x509.ExtendedKeyUsage.codeSigning]: "codeSigning",
  [x509.ExtendedKeyUsage.emailProtection]: "emailProtection",
  [x509.ExtendedKeyUsage.timeStamping]: "timeStamping",
  [x509.ExtendedKeyUsage.ocspSigning]: "ocspSigning",
  "2.5.29.37.0": "anyExtendedKeyUsage",
};

const SIGNATURE_OIDS: Record<string, string> = {
  "1.2.840.113549.1.1.4": "md5WithRSAEncryption",
  "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
  "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
  "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
  "1.2.840.113549.1.1.13": "sha512WithRSAEncryption",
  "1.2.840.113549.1.1.10": "rsassaPss",
  "1.2.840.10045.4.1": "ecdsa-with-SHA1",
  "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
  "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
  "1.2.840.10045.4.3.4": "ecdsa-with-SHA512",
  "1.3.101.112": "ED25519",
  "1.2.840.10040.4.3": "dsa-with-SHA1",
};

export class CertificateDecodeError extends Error {}

function nameOf(name: x509.Name): DistinguishedName {
  return { cn: name.getField("CN")[0] ?? null, o: name.getField("O") };
}

/** Decode one DER certificate; throws CertificateDecodeError with a short reason on garbage. */
export function decodeCertificate(der: Buffer): DecodedCertificate {
  let cert: x509.X509Certificate;
  let native: crypto.X509Certificate;
  try {
    native = new crypto.X509Certificate(der);
    cert = new x509.X509Certificate(der);
  } catch (error) {
    throw new CertificateDecodeError(`not a valid X.509 certificate (${shortReason(error)})`);
  }
  const sans = { dns: [] as string[], ip: [] as string[] };
  let basicConstraints: DecodedCertificate["basicConstraints"] = null;
  let keyUsage: string[] | null = null;
  let extKeyUsage: string[] | null = null;
  let subjectKeyId: string | null = null;
  let authorityKeyId: string | null = null;
  for (const ext of cert.extensions) {
    if (ext instanceof x509.SubjectAlternativeNameExtension) {
      for (const item of ext.names.items) {
        if (item.type === "dns") sans.dns.push(item.value);
        else if (item.type === "ip") sans.ip.push(item.value);
      }
    } else if (ext instanceof x509.BasicConstraintsExtension) {
      basicConstraints = { ca: ext.ca };
    } else if (ext instanceof x509.KeyUsagesExtension) {
      keyUsage = KEY_USAGE_NAMES.filter(([flag]) => (ext.usages & flag) !== 0).map(([, name]) => name);
    } else if (ext instanceof x509.ExtendedKeyUsageExtension) {
      extKeyUsage = ext.usages.map((usage) => EXT_KEY_USAGE_NAMES[String(usage)] ?? String(usage));
    } else if (ext instanceof x509.SubjectKeyIdentifierExtension) {
      subjectKeyId = ext.keyId;
    } else if (ext instanceof x509.AuthorityKeyIdentifierExtension) {
      authorityKeyId = ext.keyId ?? null;
    }
  }
  const publicKey = native.publicKey;
  const details = publicKey.asymmetricKeyDetails ?? {};
  const keyType = publicKey.asymmetricKeyType ?? "unknown";
  const spkiHex = publicKey.export({ type: "spki", format: "der" }).toString("hex");
  const subjectDer = Buffer.from(cert.subjectName.toArrayBuffer()).toString("hex");
  const issuerDer = Buffer.from(cert.issuerName.toArrayBuffer()).toString("hex");
  return {
    der,
    fingerprintSha256: native.fingerprint256,
    subject: nameOf(cert.subjectName),
    issuer: nameOf(cert.issuerName),
    subjectDer,
    issuerDer,
    selfSigned: subjectDer === issuerDer && verifies(native, native.publicKey),
    sans,
    serial: cert.serialNumber,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    basicConstraints,
    keyUsage,
    extKeyUsage,
    keyAlgorithm: keyAlgorithmName(keyType, details.namedCurve),
    keySize: details.modulusLength ?? curveBits(details.namedCurve) ?? (keyType === "ed25519" ? 256 : null),
    signatureAlgorithm: signatureAlgorithmName(cert),
    subjectKeyId,
    authorityKeyId,
    spkiHex,
    native,
  };
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
  return ({ prime256v1: "P-256", secp384r1: "P-384", secp521r1: "P-521" } as Record<string, string>)[curve] ?? curve;
}

function curveBits(curve: string | undefined): number | undefined {
  return curve ? ({ prime256v1: 256, secp384r1: 384, secp521r1: 521 } as Record<string, number>)[curve] : undefined;
}

function signatureAlgorithmName(cert: x509.X509Certificate): string {
  // The library maps only algorithms WebCrypto knows; read the OID so MD5 and SHA-1 still show.
  const oid = (cert as unknown as { asn: { signatureAlgorithm: { algorithm: string } } }).asn.signatureAlgorithm.algorithm;
  return SIGNATURE_OIDS[oid] ?? oid;
}

function shortReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]?.slice(0, 120) ?? "unknown error";
}

function verifies(cert: crypto.X509Certificate, key: crypto.KeyObject): boolean {
  try {
    return cert.verify(key);
  } catch {
    return false;
  }
}

/** Verdicts by certificate, then by issuer key: the same CA is asked about by many checks. */
const verdicts = new WeakMap<DecodedCertificate, Map<string, boolean>>();

/** True when `cert`'s signature verifies with `issuer`'s public key (each pair is verified once). */
export function signedBy(cert: DecodedCertificate, issuer: DecodedCertificate): boolean {
  let byIssuer = verdicts.get(cert);
  if (!byIssuer) {
    byIssuer = new Map();
    verdicts.set(cert, byIssuer);
  }
  let verdict = byIssuer.get(issuer.spkiHex);
  if (verdict === undefined) {
    verdict = verifies(cert.native, issuer.native.publicKey);
    byIssuer.set(issuer.spkiHex, verdict);
  }
  return verdict;
}
