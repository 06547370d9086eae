import { RecentlyUsed } from "../cache.js";
import { createHash } from "node:crypto";
import { CertificateDecodeError, decodeCertificate, type DecodedCertificate } from "./certificate.js";
import {
  isPrivateKeyLabel,
  KeyDecodeError,
  publicKeyOfDerPrivateKey,
  publicKeyOfPrivateKey,
  publicKeyOfSpki,
  type PublicKeyFingerprint,
} from "./keys.js";
import { decodeBase64, looksLikePem, parsePem } from "./pem.js";

export type MaterialProblemKind =
  | "empty"
  | "not-pem-or-der"
  | "corrupt-pem"
  | "bad-certificate"
  | "bad-key"
  | "encrypted-key"
  /** Decodes, but Kubernetes and etcd load PEM only. */
  | "der-not-pem"
  /** A CERTIFICATE block with header lines: client-go's CA loader skips such blocks. */
  | "certificate-pem-headers"
  /** A certificate whose key Go cannot load (an elliptic curve it does not support). */
  | "unsupported-key";

export interface MaterialProblem {
  kind: MaterialProblemKind;
  message: string;
}

/** What one file (or one embedded kubeconfig value) contains. */
export interface Material {
  certificates: DecodedCertificate[];
  /** Public halves of the private keys found; the private keys themselves are not kept. */
  privateKeys: PublicKeyFingerprint[];
  publicKeys: PublicKeyFingerprint[];
  problems: MaterialProblem[];
}

/**
 * Decoded material by the SHA-256 of its bytes. The same CA and the same certificates sit in many
 * files of a node and in every snapshot of a fleet: each distinct content in recent use is parsed
 * once, and the decoded certificates it yields are the same objects, so a signature verified once
 * (certificate.ts signedBy) stays verified. Material is never mutated after decoding. Bounded, so
 * a fleet of any size runs in bounded memory; what every node uses stays.
 */
const decoded = new RecentlyUsed<string, Material>(512);

/** Decode PEM (one or many blocks, any text around them) or a single DER certificate or key. */
export function decodeMaterial(bytes: Buffer): Material {
  return decoded.obtain(createHash("sha256").update(bytes).digest("base64"), () => decodeUncached(bytes));
}

function decodeUncached(bytes: Buffer): Material {
  const material: Material = { certificates: [], privateKeys: [], publicKeys: [], problems: [] };
  if (bytes.length === 0 || bytes.toString("latin1").trim().length === 0) {
    material.problems.push({ kind: "empty", message: "the file is empty" });
    return material;
  }
  if (looksLikePem(bytes)) {
    decodePem(bytes.toString("latin1"), material);
  } else {
    decodeDer(bytes, material);
  }
  return material;
}

/** A decoded certificate, with the problem that Go cannot load it where that is so. */
function addCertificate(material: Material, certificate: DecodedCertificate): void {
  material.certificates.push(certificate);
  if (certificate.keyUnsupported) material.problems.push({ kind: "unsupported-key", message: `a certificate's key is unusable: ${certificate.keyUnsupported}` });
}

function decodePem(text: string, material: Material): void {
  const { blocks, corrupt } = parsePem(text);
  for (const label of corrupt) {
    material.problems.push({ kind: "corrupt-pem", message: `a ${label} block has a corrupt base64 body` });
  }
  for (const block of blocks) {
    try {
      if (block.label === "CERTIFICATE" || block.label === "X509 CERTIFICATE" || block.label === "TRUSTED CERTIFICATE") {
        addCertificate(material, decodeCertificate(block.der));
        if (block.hasHeaders) {
          material.problems.push({
            kind: "certificate-pem-headers",
            message: "a CERTIFICATE block has header lines, and client-go's CA loader (cert.ParseCertsPEM) skips such blocks",
          });
        }
      } else if (block.label === "PUBLIC KEY") {
        material.publicKeys.push(publicKeyOfSpki(block.der));
      } else if (isPrivateKeyLabel(block.label)) {
        if (block.encrypted) {
          material.problems.push({ kind: "encrypted-key", message: "the private key is encrypted; it cannot be compared with its certificate" });
        } else {
          material.privateKeys.push(publicKeyOfPrivateKey(block.der, block.label));
        }
      }
      // Other blocks (EC PARAMETERS, CERTIFICATE REQUEST, …) carry nothing we audit.
    } catch (error) {
      if (error instanceof CertificateDecodeError) material.problems.push({ kind: "bad-certificate", message: `a CERTIFICATE block is ${error.message}` });
      else if (error instanceof KeyDecodeError)
        material.problems.push({ kind: block.label === "ENCRYPTED PRIVATE KEY" ? "encrypted-key" : "bad-key", message: error.message });
      else throw error;
    }
  }
  if (blocks.length === 0 && corrupt.length === 0) {
    material.problems.push({ kind: "not-pem-or-der", message: "no PEM block was found" });
  }
}

function decodeDer(bytes: Buffer, material: Material): void {
  // DER starts with a SEQUENCE tag; anything else is text or garbage.
  if (bytes[0] === 0x30) {
    try {
      addCertificate(material, decodeCertificate(bytes));
      material.problems.push({ kind: "der-not-pem", message: "the certificate is DER, and Kubernetes and etcd load PEM only (openssl x509 -inform der -in FILE -out FILE.pem converts it)" });
      return;
    } catch {
      // not a certificate; try keys
    }
    try {
      const privateKey = publicKeyOfDerPrivateKey(bytes);
      if (privateKey) {
        material.privateKeys.push(privateKey);
        return;
      }
    } catch (error) {
      // A private key Go cannot load: numbers that cannot belong together, or a curve it does not read.
      if (!(error instanceof KeyDecodeError)) throw error;
      material.problems.push({ kind: "bad-key", message: error.message });
      return;
    }
    try {
      material.publicKeys.push(publicKeyOfSpki(bytes));
      return;
    } catch {
      // fall through
    }
  }
  material.problems.push({ kind: "not-pem-or-der", message: "the content is neither PEM nor a DER certificate or key" });
}

/** Decode a kubeconfig `*-data` value: base64 of PEM (or of DER). */
export function decodeEmbeddedMaterial(value: string): Material {
  const bytes = decodeBase64(value.replace(/\s+/g, ""));
  if (bytes === undefined) {
    return { certificates: [], privateKeys: [], publicKeys: [], problems: [{ kind: "not-pem-or-der", message: "the value is not valid base64" }] };
  }
  return decodeMaterial(bytes);
}
