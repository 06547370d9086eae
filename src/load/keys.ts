import * as crypto from "node:crypto";

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
  try {
    const privateKey = crypto.createPrivateKey({ key: der, format: "der", type });
    return describe(crypto.createPublicKey(privateKey));
  } catch {
    throw new KeyDecodeError(`the ${label} block is not a valid ${type.toUpperCase()} private key`);
  }
}

export function publicKeyOfSpki(der: Buffer): PublicKeyFingerprint {
  try {
    return describe(crypto.createPublicKey({ key: der, format: "der", type: "spki" }));
  } catch {
    throw new KeyDecodeError("the PUBLIC KEY block is not a valid SubjectPublicKeyInfo");
  }
}

/** Try a DER blob as each private key encoding in turn (for DER key files). */
export function publicKeyOfDerPrivateKey(der: Buffer): PublicKeyFingerprint | null {
  for (const type of ["pkcs8", "pkcs1", "sec1"] as const) {
    try {
      return describe(crypto.createPublicKey(crypto.createPrivateKey({ key: der, format: "der", type })));
    } catch {
      // try the next encoding
    }
  }
  return null;
}

function describe(key: crypto.KeyObject): PublicKeyFingerprint {
  return {
    algorithm: key.asymmetricKeyType ?? "unknown",
    spkiHex: key.export({ type: "spki", format: "der" }).toString("hex"),
  };
}
