/**
 * The DER certificate decoder and key reader against two independent oracles: @peculiar/x509
 * (an ASN.1 schema decoder) and node:crypto (OpenSSL). Every certificate of every sample tree, and
 * certificates and keys generated with random fields, must decode to the same values; damaged DER
 * must fail with CertificateDecodeError only.
 */
import "reflect-metadata";
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as x509 from "@peculiar/x509";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { normalizeIP } from "../../src/ip.js";
import { CertificateDecodeError, decodeCertificate, signedBy } from "../../src/load/certificate.js";
import { KeyDecodeError, publicKeyOfDerPrivateKey, publicKeyOfPrivateKey, publicKeyOfSpki } from "../../src/load/keys.js";
import { parsePem } from "../../src/load/pem.js";
import { childrenOf, encodeElement, readElement, readWhole, TAG } from "../../src/load/der.js";
import { canonicalEcKey, publicKeyOfSpkiElement, publicKeyViaNode, rsaJwkOf, rsaPublicKey } from "../../src/load/spki.js";
import { REPO } from "../helpers/cli.js";
import "../helpers/certs.js"; // sets @peculiar/x509's crypto provider

const KEY_USAGE_FLAGS: Array<[x509.KeyUsageFlags, string]> = [
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
const EKU_NAMES: Record<string, string> = {
  [x509.ExtendedKeyUsage.serverAuth]: "serverAuth",
  [x509.ExtendedKeyUsage.clientAuth]: "clientAuth",
  [x509.ExtendedKeyUsage.codeSigning]: "codeSigning",
  [x509.ExtendedKeyUsage.emailProtection]: "emailProtection",
  [x509.ExtendedKeyUsage.timeStamping]: "timeStamping",
  [x509.ExtendedKeyUsage.ocspSigning]: "ocspSigning",
  "2.5.29.37.0": "anyExtendedKeyUsage",
};

/** What the oracles say about a certificate, in the decoder's terms. */
function oracle(der: Buffer) {
  const cert = new x509.X509Certificate(der);
  const native = new crypto.X509Certificate(der);
  const ext = <T>(type: new (...args: never[]) => T) => cert.extensions.find((e) => e instanceof type) as T | undefined;
  const san = ext(x509.SubjectAlternativeNameExtension);
  const ku = ext(x509.KeyUsagesExtension);
  const eku = ext(x509.ExtendedKeyUsageExtension);
  const bc = ext(x509.BasicConstraintsExtension);
  const details = native.publicKey.asymmetricKeyDetails ?? {};
  return {
    fingerprintSha256: native.fingerprint256,
    subject: { cn: cert.subjectName.getField("CN")[0] ?? null, o: cert.subjectName.getField("O") },
    issuer: { cn: cert.issuerName.getField("CN")[0] ?? null, o: cert.issuerName.getField("O") },
    subjectDer: Buffer.from(cert.subjectName.toArrayBuffer()).toString("hex"),
    issuerDer: Buffer.from(cert.issuerName.toArrayBuffer()).toString("hex"),
    sans: {
      dns: san?.names.items.filter((n) => n.type === "dns").map((n) => n.value) ?? [],
      // Canonical text (RFC 5952), which the decoder writes; @peculiar/x509 may compress a lone zero group.
      ip: san?.names.items.filter((n) => n.type === "ip").map((n) => normalizeIP(n.value)) ?? [],
    },
    serial: cert.serialNumber,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    basicConstraints: bc ? { ca: bc.ca } : null,
    keyUsage: ku ? KEY_USAGE_FLAGS.filter(([flag]) => (ku.usages & flag) !== 0).map(([, name]) => name) : null,
    extKeyUsage: eku ? eku.usages.map((u) => EKU_NAMES[String(u)] ?? String(u)) : null,
    subjectKeyId: ext(x509.SubjectKeyIdentifierExtension)?.keyId ?? null,
    authorityKeyId: ext(x509.AuthorityKeyIdentifierExtension)?.keyId ?? null,
    spkiHex: native.publicKey.export({ type: "spki", format: "der" }).toString("hex"),
    keySize:
      details.modulusLength ??
      ({ prime256v1: 256, secp384r1: 384, secp521r1: 521 } as Record<string, number>)[details.namedCurve ?? ""] ??
      (native.publicKey.asymmetricKeyType === "ed25519" ? 256 : null),
    // Go's crypto/x509 reads EC keys on these four curves only.
    keyUnsupported:
      native.publicKey.asymmetricKeyType === "ec" && !["secp224r1", "prime256v1", "secp384r1", "secp521r1"].includes(details.namedCurve ?? "") ? expect.stringContaining("Go does not support") : null,
    selfSigned: native.subject === native.issuer && native.verify(native.publicKey),
  };
}

function decoded(der: Buffer) {
  const { der: _der, signed: _signed, keyAlgorithm: _k, signatureAlgorithm: _s, ...fields } = decodeCertificate(der);
  return fields;
}

/** Every DER certificate under the sample trees: PEM files and kubeconfig `*-data` values. */
function sampleCertificates(): Array<[string, Buffer]> {
  const found: Array<[string, Buffer]> = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && fs.statSync(full).size < 1 << 20) {
        let text = fs.readFileSync(full, "latin1");
        for (const match of text.matchAll(/certificate-authority-data: (\S+)|client-certificate-data: (\S+)/g)) text += Buffer.from(match[1] ?? match[2] ?? "", "base64").toString("latin1");
        for (const block of parsePem(text).blocks) if (block.label === "CERTIFICATE") found.push([path.relative(REPO, full), block.der]);
      }
    }
  };
  walk(path.join(REPO, "sample-clusters"));
  walk(path.join(REPO, "test/fixtures"));
  return found;
}

/** Copies of `bytes` with one byte, anywhere, set to any value. */
function withOneByteChanged(bytes: Buffer): fc.Arbitrary<Buffer> {
  return fc.tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => {
    const copy = Buffer.from(bytes);
    copy[at] = byte;
    return copy;
  });
}

describe("DER certificate decoder", () => {
  const samples = sampleCertificates();

  test("finds the sample certificates", () => {
    expect(samples.length).toBeGreaterThan(100);
  });

  test("decodes every sample certificate as @peculiar/x509 and OpenSSL do", () => {
    for (const [file, der] of samples) expect(decoded(der), file).toEqual(oracle(der));
  });

  test("signedBy agrees with OpenSSL's X509Certificate.verify for every pair of sample certificates that share a name", () => {
    const distinct = [...new Map(samples.map(([, der]) => [der.toString("hex"), der])).values()];
    const certs = distinct.map((der) => ({ mine: decodeCertificate(der), native: new crypto.X509Certificate(der) }));
    let verified = 0;
    for (const leaf of certs) {
      for (const ca of certs) {
        if (leaf.native.issuer !== ca.native.subject) continue;
        const expected = leaf.native.verify(ca.native.publicKey);
        expect(signedBy(leaf.mine, ca.mine)).toBe(expected);
        if (expected) verified++;
      }
    }
    expect(verified).toBeGreaterThan(50);
  });

  const keys = {
    rsa: crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }),
    ec256: crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" }),
    ec384: crypto.generateKeyPairSync("ec", { namedCurve: "secp384r1" }),
    ed25519: crypto.generateKeyPairSync("ed25519"),
  };
  const signing: Record<keyof typeof keys, Array<{ name: string; hash?: string }>> = {
    rsa: [{ name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-384" }, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-1" }],
    ec256: [{ name: "ECDSA", hash: "SHA-256" }, { name: "ECDSA", hash: "SHA-384" }],
    ec384: [{ name: "ECDSA", hash: "SHA-384" }],
    ed25519: [{ name: "Ed25519" }],
  };
  const webKeys = async (kind: keyof typeof keys, algorithm: { name: string; hash?: string }) => {
    const importAs = algorithm.name === "Ed25519" ? { name: "Ed25519" } : algorithm.name === "ECDSA" ? { name: "ECDSA", namedCurve: kind === "ec384" ? "P-384" : "P-256" } : { name: algorithm.name, hash: algorithm.hash };
    const privateKey = await crypto.webcrypto.subtle.importKey("pkcs8", keys[kind].privateKey.export({ type: "pkcs8", format: "der" }), importAs, false, ["sign"]);
    const publicKey = await crypto.webcrypto.subtle.importKey("spki", keys[kind].publicKey.export({ type: "spki", format: "der" }), importAs, true, ["verify"]);
    return { privateKey, publicKey };
  };

  const text = fc.string({ minLength: 1, maxLength: 20, unit: "grapheme" }).filter((s) => !/[,+="\\<>;#\n\r\u0000]/.test(s) && s.trim() === s);
  const dns = fc.domain();
  const ipv4 = fc.ipV4();
  const ipv6 = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 }).map((groups) => groups.map((g) => g.toString(16)).join(":"));
  const date = fc.date({ min: new Date("1955-01-01T00:00:00Z"), max: new Date("2080-12-31T23:59:59Z"), noInvalidDate: true }).map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));

  test("property: generated certificates decode as the oracles decode them, and their signatures verify", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          cn: fc.option(text, { nil: undefined }),
          o: fc.array(text, { maxLength: 3 }),
          dns: fc.array(dns, { maxLength: 4 }),
          ip: fc.array(fc.oneof(ipv4, ipv6), { maxLength: 3 }),
          usages: fc.integer({ min: 0, max: 0x1ff }),
          eku: fc.option(fc.subarray([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth, "1.3.6.1.5.5.7.3.4", "1.2.3.4.5"]), { nil: undefined }),
          ca: fc.option(fc.boolean(), { nil: undefined }),
          serial: fc.uint8Array({ minLength: 1, maxLength: 20 }).map((bytes) => Buffer.from(bytes).toString("hex")).filter((hex) => !/^0*$/.test(hex)),
          notBefore: date,
          notAfter: date,
          kind: fc.constantFrom(...(Object.keys(keys) as Array<keyof typeof keys>)),
          algorithmIndex: fc.nat(),
          selfIssued: fc.boolean(),
        }),
        async (spec) => {
          const algorithm = signing[spec.kind][spec.algorithmIndex % signing[spec.kind].length]!;
          const { privateKey, publicKey } = await webKeys(spec.kind, algorithm);
          const subject: x509.JsonName = [];
          if (spec.cn !== undefined) subject.push({ CN: [spec.cn] });
          if (spec.o.length > 0) subject.push({ O: spec.o });
          if (subject.length === 0) subject.push({ OU: ["x"] });
          const extensions: x509.Extension[] = [new x509.KeyUsagesExtension(spec.usages, true), new x509.SubjectKeyIdentifierExtension("0102ab")];
          if (spec.eku) extensions.push(new x509.ExtendedKeyUsageExtension(spec.eku));
          if (spec.ca !== undefined) extensions.push(new x509.BasicConstraintsExtension(spec.ca, spec.ca ? 1 : undefined, true));
          const names = [...spec.dns.map((value) => ({ type: "dns" as const, value })), ...spec.ip.map((value) => ({ type: "ip" as const, value }))];
          if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
          if (!spec.selfIssued) extensions.push(new x509.AuthorityKeyIdentifierExtension("a1b2c3"));
          const generated = await x509.X509CertificateGenerator.create({
            serialNumber: spec.serial,
            subject,
            issuer: spec.selfIssued ? subject : [{ CN: ["another issuer"] }],
            notBefore: spec.notBefore,
            notAfter: spec.notAfter,
            signingAlgorithm: algorithm,
            publicKey,
            signingKey: privateKey,
            extensions,
          });
          const der = Buffer.from(generated.rawData);
          expect(decoded(der)).toEqual(oracle(der));
          const cert = decodeCertificate(der);
          // Its own key verifies its signature; it issued itself only under its own name.
          expect(signedBy(cert, cert)).toBe(spec.selfIssued);
          expect(cert.selfSigned).toBe(spec.selfIssued);
        },
      ),
      { numRuns: 60 },
    );
  });

  test("a CA's key under another name does not issue: Go looks the parent up by issuer name before it checks the signature", async () => {
    const { makeCA, makeCert } = await import("../helpers/certs.js");
    const ca = await makeCA("kubernetes");
    const sameKeyOtherName = await makeCA("kubernetes-renamed", { key: ca.key });
    const leaf = await makeCert({ cn: "kube-apiserver", issuer: ca });
    expect(signedBy(leaf.cert, ca.cert)).toBe(true);
    // The same key verifies the signature (OpenSSL says so), yet the names differ.
    expect(new crypto.X509Certificate(leaf.cert.der).verify(new crypto.X509Certificate(sameKeyOtherName.cert.der).publicKey)).toBe(true);
    expect(signedBy(leaf.cert, sameKeyOtherName.cert)).toBe(false);
  });

  test("property: damaged certificates fail with CertificateDecodeError or decode, never anything else", () => {
    const [, base] = samples[0]!;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 1500 }).map((bytes) => Buffer.from(bytes)),
          fc.nat({ max: base.length - 1 }).map((length) => base.subarray(0, length)),
          withOneByteChanged(base),
        ),
        (der) => {
          try {
            decodeCertificate(der);
          } catch (error) {
            expect(error).toBeInstanceOf(CertificateDecodeError);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe("private key to public key", () => {
  const pairs = [
    crypto.generateKeyPairSync("rsa", { modulusLength: 1024 }),
    crypto.generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 3 }),
    crypto.generateKeyPairSync("rsa", { modulusLength: 3072 }),
    crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" }),
    crypto.generateKeyPairSync("ec", { namedCurve: "secp384r1" }),
    crypto.generateKeyPairSync("ec", { namedCurve: "secp521r1" }),
    crypto.generateKeyPairSync("ed25519"),
    crypto.generateKeyPairSync("rsa-pss", { modulusLength: 2048 }),
  ];
  const encodings = (key: crypto.KeyObject): Array<["pkcs1" | "sec1" | "pkcs8", string]> => [
    ...(key.asymmetricKeyType === "rsa" ? [["pkcs1", "RSA PRIVATE KEY"] as ["pkcs1", string]] : []),
    ...(key.asymmetricKeyType === "ec" ? [["sec1", "EC PRIVATE KEY"] as ["sec1", string]] : []),
    ["pkcs8", "PRIVATE KEY"],
  ];

  const label = (key: crypto.KeyObject) => {
    const details = key.asymmetricKeyDetails ?? {};
    return [key.asymmetricKeyType, details.modulusLength, details.publicExponent, details.namedCurve].filter((part) => part !== undefined).join(" ");
  };
  test.each(pairs.map((pair) => [label(pair.privateKey), pair] as const))(
    "%s: every encoding yields the public key OpenSSL exports",
    (_name, pair) => {
      const expected = pair.publicKey.export({ type: "spki", format: "der" }).toString("hex");
      for (const [type, label] of encodings(pair.privateKey)) {
        const der = pair.privateKey.export({ type, format: "der" });
        expect(publicKeyOfPrivateKey(der, label).spkiHex, type).toBe(expected);
        expect(publicKeyOfDerPrivateKey(der)?.spkiHex, `${type} as a DER file`).toBe(expected);
      }
    },
  );

  test.each(pairs.map((pair) => [label(pair.publicKey), pair] as const))("%s: a PUBLIC KEY block (sa.pub) reads as OpenSSL exports it", (_name, pair) => {
    const spki = pair.publicKey.export({ type: "spki", format: "der" });
    expect(publicKeyOfSpki(spki)).toEqual({ algorithm: pair.publicKey.asymmetricKeyType, spkiHex: spki.toString("hex") });
  });

  test("an RSA PUBLIC KEY block with a BER length (which OpenSSL reads and re-encodes) reads as OpenSSL exports it", () => {
    const { n } = pairs[0]!.publicKey.export({ format: "jwk" });
    const modulus = Buffer.concat([Buffer.from([0]), Buffer.from(n as string, "base64url")]);
    const algorithm = encodeElement(TAG.SEQUENCE, encodeElement(TAG.OID, Buffer.from("2a864886f70d010101", "hex")), Buffer.from([TAG.NULL, 0]));
    // The exponent 65537 with its length in long form (81 03), which DER forbids.
    const rsaPublic = encodeElement(TAG.SEQUENCE, encodeElement(TAG.INTEGER, modulus), Buffer.from("028103010001", "hex"));
    const spki = encodeElement(TAG.SEQUENCE, algorithm, encodeElement(TAG.BIT_STRING, Buffer.from([0]), rsaPublic));
    const viaOpenSsl = crypto.createPublicKey({ key: spki, format: "der", type: "spki" }).export({ type: "spki", format: "der" });
    expect(viaOpenSsl.equals(spki)).toBe(false);
    expect(publicKeyOfSpki(spki)).toEqual({ algorithm: "rsa", spkiHex: viaOpenSsl.toString("hex") });
  });

  test("an RSA key's integers in BER (a long-form length, a needless leading zero) rebuild to the SPKI OpenSSL exports", () => {
    const { n, e } = pairs[0]!.publicKey.export({ format: "jwk" });
    const modulus = Buffer.concat([Buffer.from([0, 0]), Buffer.from(n as string, "base64url")]);
    const exponent = Buffer.from(e as string, "base64url");
    // 02 82 <len> 00 00 <n>: a two-byte length and one zero more than the sign needs; 02 81 03 <e>.
    const buf = Buffer.concat([Buffer.from([TAG.INTEGER, 0x82, modulus.length >> 8, modulus.length & 0xff]), modulus, Buffer.from([TAG.INTEGER, 0x81, exponent.length]), exponent]);
    const modulusElement = readElement(buf, 0);
    const key = rsaPublicKey(buf, modulusElement, readElement(buf, modulusElement.end));
    expect(key.spki.toString("hex")).toBe(pairs[0]!.publicKey.export({ type: "spki", format: "der" }).toString("hex"));
    expect(key.modulusLength).toBe(1024);
  });

  test("property: an RSA SPKI's integers in any BER form OpenSSL reads give the SPKI OpenSSL exports", () => {
    const { n, e } = pairs[0]!.publicKey.export({ format: "jwk" });
    const algorithm = encodeElement(TAG.SEQUENCE, encodeElement(TAG.OID, Buffer.from("2a864886f70d010101", "hex")), Buffer.from([TAG.NULL, 0]));
    // An INTEGER of `value`'s unsigned bytes (a modulus's first byte has its high bit set, so with no
    // zero before it the INTEGER reads as negative in DER): `zeros` zero bytes before them, and the
    // length in long form over `lengthBytes` bytes (0: as DER writes it).
    const integer = (value: Buffer, zeros: number, lengthBytes: number) => {
      const content = Buffer.concat([Buffer.alloc(zeros), value]);
      if (lengthBytes === 0) return encodeElement(TAG.INTEGER, content);
      const length = Buffer.alloc(lengthBytes);
      length.writeUIntBE(content.length, 0, lengthBytes);
      return Buffer.concat([Buffer.from([TAG.INTEGER, 0x80 | lengthBytes]), length, content]);
    };
    const form = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }));
    fc.assert(
      fc.property(form, form, ([nZeros, nLength], [eZeros, eLength]) => {
        const rsaPublic = encodeElement(TAG.SEQUENCE, integer(Buffer.from(n as string, "base64url"), nZeros, nLength), integer(Buffer.from(e as string, "base64url"), eZeros, eLength));
        const spki = encodeElement(TAG.SEQUENCE, algorithm, encodeElement(TAG.BIT_STRING, Buffer.from([0]), rsaPublic));
        const expected = crypto.createPublicKey({ key: spki, format: "der", type: "spki" }).export({ type: "spki", format: "der" }).toString("hex");
        expect(publicKeyOfSpkiElement(spki, readElement(spki, 0)).spki.toString("hex")).toBe(expected);
        expect(publicKeyOfSpki(spki).spkiHex).toBe(expected);
      }),
    );
  });

  test("an RSA private key whose integers lack their sign byte has the public half OpenSSL reads", () => {
    // PKCS#1 with every INTEGER's content as the unsigned bytes alone (a modulus then looks negative).
    const jwk = pairs[0]!.privateKey.export({ format: "jwk" });
    const unsigned = (name: string) => encodeElement(TAG.INTEGER, Buffer.from(jwk[name as keyof typeof jwk] as string, "base64url"));
    const pkcs1 = encodeElement(TAG.SEQUENCE, encodeElement(TAG.INTEGER, Buffer.from([0])), ...["n", "e", "d", "p", "q", "dp", "dq", "qi"].map(unsigned));
    const viaOpenSsl = crypto.createPublicKey(crypto.createPrivateKey({ key: pkcs1, format: "der", type: "pkcs1" })).export({ type: "spki", format: "der" });
    expect(viaOpenSsl.equals(pairs[0]!.publicKey.export({ type: "spki", format: "der" }))).toBe(true);
    expect(publicKeyOfPrivateKey(pkcs1, "RSA PRIVATE KEY").spkiHex).toBe(viaOpenSsl.toString("hex"));
  });

  // RSA 1024 (read from its DER when canonical) and P-256 (through OpenSSL).
  test.each([pairs[0]!, pairs[3]!].map((pair) => [label(pair.publicKey), pair] as const))("property: a damaged %s PUBLIC KEY block is refused with KeyDecodeError or read as OpenSSL reads it", (_name, pair) => {
    const spki = pair.publicKey.export({ type: "spki", format: "der" });
    fc.assert(
      fc.property(withOneByteChanged(spki), (copy) => {
        let ours: string;
        try {
          ours = publicKeyOfSpki(copy).spkiHex;
        } catch (error) {
          expect((error as Error).constructor.name).toBe("KeyDecodeError");
          return;
        }
        // Whatever we accept, OpenSSL accepts as the same key (a point off the curve is not one).
        expect(ours).toBe(crypto.createPublicKey({ key: copy, format: "der", type: "spki" }).export({ type: "spki", format: "der" }).toString("hex"));
      }),
      { numRuns: 500 },
    );
  });

  test("an EC key without its public point is derived by OpenSSL", () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const jwk = privateKey.export({ format: "jwk" });
    // RFC 5915 ECPrivateKey with only version, key and curve: 30 31 02 01 01 04 20 <d> a0 0a 06 08 <P-256 OID>.
    const d = Buffer.from(jwk.d as string, "base64url");
    const withoutPoint = Buffer.concat([Buffer.from([0x30, 0x31, 0x02, 0x01, 0x01, 0x04, 0x20]), d, Buffer.from("a00a06082a8648ce3d030107", "hex")]);
    expect(publicKeyOfPrivateKey(withoutPoint, "EC PRIVATE KEY").spkiHex).toBe(publicKey.export({ type: "spki", format: "der" }).toString("hex"));
  });

  test("CRT values congruent to the right ones but not reduced (dp + (p − 1), qinv + p) are refused, as Go 1.24 refuses them", () => {
    const der = pairs[1]!.privateKey.export({ type: "pkcs1", format: "der" });
    const parts: Buffer[] = childrenOf(der, readWhole(der, TAG.SEQUENCE)).map((part) => der.subarray(part.start, part.end));
    const value = (part: Buffer) => BigInt(`0x${part.subarray(part[1]! & 0x80 ? 2 + (part[1]! & 0x7f) : 2).toString("hex")}`);
    const integer = (n: bigint) => {
      const hex = n.toString(16);
      const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex");
      return encodeElement(TAG.INTEGER, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
    };
    const [p, dp, qinv] = [value(parts[4]!), value(parts[6]!), value(parts[8]!)];
    for (const [at, replacement] of [[6, integer(dp + p - 1n)], [8, integer(qinv + p)]] as const) {
      const copy = [...parts];
      copy[at] = replacement;
      const key = encodeElement(TAG.SEQUENCE, ...copy);
      expect(() => publicKeyOfPrivateKey(key, "RSA PRIVATE KEY"), `element ${at}`).toThrow(/CRT values/);
    }
    // The sound key, rebuilt the same way, still reads.
    expect(publicKeyOfPrivateKey(encodeElement(TAG.SEQUENCE, ...parts.map((part, i) => (i === 0 ? part : integer(value(part))))), "RSA PRIVATE KEY").spkiHex).toBe(
      pairs[1]!.publicKey.export({ type: "spki", format: "der" }).toString("hex"),
    );
  });

  test("a damaged key that only OpenSSL's lenient reading takes (trailing bytes) still goes through Go's checks", () => {
    const rsa = pairs[2]!.privateKey.export({ type: "pkcs1", format: "der" });
    const p = childrenOf(rsa, readWhole(rsa, TAG.SEQUENCE))[4]!;
    const damaged = Buffer.concat([rsa, Buffer.alloc(2)]);
    damaged[(p.contentStart + p.end) >> 1]! ^= 1;
    expect(() => crypto.createPrivateKey({ key: damaged, format: "der", type: "pkcs1" })).not.toThrow();
    expect(() => publicKeyOfPrivateKey(damaged, "RSA PRIVATE KEY")).toThrow(KeyDecodeError);

    const [a, b] = [0, 1].map(() => crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" }));
    const sec1 = a!.privateKey.export({ type: "sec1", format: "der" });
    const parts: Buffer[] = childrenOf(sec1, readWhole(sec1, TAG.SEQUENCE)).map((part) => sec1.subarray(part.start, part.end));
    // a's scalar, b's point, and two bytes after the key.
    parts[3] = encodeElement(0xa1, encodeElement(TAG.BIT_STRING, Buffer.from([0]), b!.publicKey.export({ type: "spki", format: "der" }).subarray(-65)));
    const mixed = Buffer.concat([encodeElement(TAG.SEQUENCE, ...parts), Buffer.alloc(2)]);
    expect(() => crypto.createPrivateKey({ key: mixed, format: "der", type: "sec1" })).not.toThrow();
    expect(publicKeyOfPrivateKey(mixed, "EC PRIVATE KEY").spkiHex).toBe(a!.publicKey.export({ type: "spki", format: "der" }).toString("hex"));
  });

  test("an EC private key's public half is derived from its scalar, as Go derives it, whatever point is stored beside it", () => {
    const [a, b] = [0, 1].map(() => crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" }));
    const spkiHex = (pair: crypto.KeyPairKeyObjectResult) => pair.publicKey.export({ type: "spki", format: "der" }).toString("hex");
    const sec1 = (scalar: Buffer, point: Buffer | null) =>
      encodeElement(
        TAG.SEQUENCE,
        Buffer.from([TAG.INTEGER, 1, 1]),
        encodeElement(TAG.OCTET_STRING, scalar),
        encodeElement(0xa0, Buffer.from("06082a8648ce3d030107", "hex")),
        ...(point ? [encodeElement(0xa1, encodeElement(TAG.BIT_STRING, Buffer.from([0]), point))] : []),
      );
    const scalarOf = (pair: crypto.KeyPairKeyObjectResult) => Buffer.from(pair.privateKey.export({ format: "jwk" }).d as string, "base64url");
    const pointOf = (pair: crypto.KeyPairKeyObjectResult) => pair.publicKey.export({ type: "spki", format: "der" }).subarray(-65);
    // a's scalar with b's point: Go's tls.X509KeyPair would find it does not match b's certificate.
    const mixed = sec1(scalarOf(a!), pointOf(b!));
    expect(publicKeyOfPrivateKey(mixed, "EC PRIVATE KEY").spkiHex).toBe(spkiHex(a!));
    const pkcs8 = encodeElement(TAG.SEQUENCE, Buffer.from([TAG.INTEGER, 1, 0]), encodeElement(TAG.SEQUENCE, Buffer.from("06072a8648ce3d0201", "hex"), Buffer.from("06082a8648ce3d030107", "hex")), encodeElement(TAG.OCTET_STRING, mixed));
    expect(publicKeyOfPrivateKey(pkcs8, "PRIVATE KEY").spkiHex).toBe(spkiHex(a!));
    expect(publicKeyOfDerPrivateKey(mixed)?.spkiHex).toBe(spkiHex(a!));
    // Without its point, with leading zeros (which Go drops), and short (as OpenSSL used to write
    // a scalar with a leading zero byte): the scalar 1 is the generator itself.
    expect(publicKeyOfPrivateKey(sec1(Buffer.concat([Buffer.alloc(2), scalarOf(a!)]), null), "EC PRIVATE KEY").spkiHex).toBe(spkiHex(a!));
    const generator = Buffer.from("046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5", "hex");
    expect(publicKeyOfPrivateKey(sec1(Buffer.from([1]), null), "EC PRIVATE KEY").spkiHex).toBe(spkiHex(a!).slice(0, -130) + generator.toString("hex"));
    // P-224, which Go reads too: derived from the scalar, whatever point is stored.
    const [c, d] = [0, 1].map(() => crypto.generateKeyPairSync("ec", { namedCurve: "secp224r1" }));
    const p224 = c!.privateKey.export({ type: "sec1", format: "der" });
    const p224Parts: Buffer[] = childrenOf(p224, readWhole(p224, TAG.SEQUENCE)).map((part) => p224.subarray(part.start, part.end));
    p224Parts[3] = encodeElement(0xa1, encodeElement(TAG.BIT_STRING, Buffer.from([0]), d!.publicKey.export({ type: "spki", format: "der" }).subarray(-57)));
    expect(publicKeyOfPrivateKey(encodeElement(TAG.SEQUENCE, ...p224Parts), "EC PRIVATE KEY").spkiHex).toBe(spkiHex(c!));
    // In PKCS#8 the algorithm's curve comes before the inner key's own (Go reads it so): a's
    // scalar on P-384 is no P-256 key at all.
    const innerP256 = sec1(scalarOf(a!), pointOf(a!));
    const outerP384 = encodeElement(TAG.SEQUENCE, Buffer.from([TAG.INTEGER, 1, 0]), encodeElement(TAG.SEQUENCE, Buffer.from("06072a8648ce3d0201", "hex"), Buffer.from("06052b81040022", "hex")), encodeElement(TAG.OCTET_STRING, innerP256));
    expect(publicKeyOfPrivateKey(outerP384, "PRIVATE KEY").spkiHex).not.toBe(spkiHex(a!));
    expect(publicKeyOfPrivateKey(outerP384, "PRIVATE KEY").spkiHex).toMatch(/^3076/);
    // No public key belongs to 0, to the curve's order n or beyond, or to a scalar longer than n.
    const n = Buffer.from("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", "hex");
    for (const scalar of [Buffer.alloc(32), n, Buffer.alloc(32, 0xff), Buffer.concat([Buffer.from([1]), scalarOf(a!)])]) {
      expect(() => publicKeyOfPrivateKey(sec1(scalar, pointOf(a!)), "EC PRIVATE KEY"), scalar.toString("hex")).toThrow(KeyDecodeError);
    }
  });

  test("property: damaged key DER is refused or read, never thrown past KeyDecodeError; a changed d, p, q, dp, dq or qinv is refused", () => {
    const der = pairs[1]!.privateKey.export({ type: "pkcs1", format: "der" });
    // Where the private numbers lie: a byte changed in them leaves n and e, and so the public key, as they were.
    const privateNumbers = childrenOf(der, readWhole(der, TAG.SEQUENCE)).slice(3);
    const inPrivateNumbers = (at: number) => privateNumbers.some((part) => at >= part.contentStart && at < part.end);
    const refusal = (read: () => unknown): Error | null => {
      try {
        read();
        return null;
      } catch (error) {
        expect((error as Error).constructor.name).toBe("KeyDecodeError");
        expect((error as Error).message).not.toMatch(/[0-9a-f]{32}/);
        return error as Error;
      }
    };
    fc.assert(
      fc.property(withOneByteChanged(der), (copy) => {
        const changed = copy.findIndex((byte, i) => byte !== der[i]);
        const damaged = changed >= 0 && inPrivateNumbers(changed);
        expect(refusal(() => publicKeyOfPrivateKey(copy, "RSA PRIVATE KEY")) !== null || !damaged, `byte ${changed}`).toBe(true);
        expect(refusal(() => publicKeyOfDerPrivateKey(copy)) !== null || !damaged, `byte ${changed} of a DER file`).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe("keys read through OpenSSL", () => {
  test.each([
    ["rsa-pss", { modulusLength: 2048 }],
    ["dsa", { modulusLength: 1024, divisorLength: 160 }],
    ["ec", { namedCurve: "secp256k1" }],
    ["ed25519", {}],
  ] as const)("%s: the details node:crypto gives a sound key, read from the SPKI it exports", (type, options) => {
    const key = crypto.generateKeyPairSync(type as "rsa-pss", options as { modulusLength: number }).publicKey;
    const spki = key.export({ type: "spki", format: "der" });
    const details = key.asymmetricKeyDetails ?? {};
    expect(publicKeyViaNode(spki)).toEqual({
      type,
      spki,
      ...(details.modulusLength === undefined ? {} : { modulusLength: details.modulusLength }),
      ...(details.namedCurve === undefined ? {} : { namedCurve: details.namedCurve }),
    });
  });
});

describe("RSA verification keys imported as JSON Web Keys", () => {
  const der = (key: crypto.KeyObject) => key.export({ type: "spki", format: "der" });
  const rsa = [1024, 2048, 4096].map((modulusLength) => crypto.generateKeyPairSync("rsa", { modulusLength }).publicKey);
  rsa.push(crypto.generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 3 }).publicKey);

  test.each(rsa.map((key) => [key.asymmetricKeyDetails?.modulusLength, key.asymmetricKeyDetails?.publicExponent, key] as const))(
    "rsa %i, exponent %s: the same key as OpenSSL's DER import",
    (_bits, _exponent, key) => {
      const jwk = rsaJwkOf(der(key));
      expect(jwk).not.toBeNull();
      expect(crypto.createPublicKey({ key: jwk!, format: "jwk" }).equals(key)).toBe(true);
    },
  );

  test("any other key, integers not in minimal positive DER, and anything after the key are left to OpenSSL", () => {
    for (const [type, options] of [["ec", { namedCurve: "prime256v1" }], ["ed25519", {}], ["rsa-pss", { modulusLength: 2048 }]] as const) {
      expect(rsaJwkOf(der(crypto.generateKeyPairSync(type as "ec", options as { namedCurve: string }).publicKey)), type).toBeNull();
    }
    // The same modulus with its exponent 65537 written with a needless leading zero, and negative.
    const { n } = rsa[1]!.export({ format: "jwk" });
    const spkiWith = (exponent: number[], ...more: Buffer[]) => {
      const modulus = Buffer.concat([Buffer.from([0]), Buffer.from(n as string, "base64url")]);
      const algorithm = encodeElement(TAG.SEQUENCE, encodeElement(TAG.OID, Buffer.from("2a864886f70d010101", "hex")), Buffer.from([TAG.NULL, 0]));
      const key = encodeElement(TAG.SEQUENCE, encodeElement(TAG.INTEGER, modulus), encodeElement(TAG.INTEGER, Buffer.from(exponent)));
      return encodeElement(TAG.SEQUENCE, algorithm, encodeElement(TAG.BIT_STRING, Buffer.from([0]), key), ...more);
    };
    expect(rsaJwkOf(spkiWith([0x01, 0x00, 0x01]))).toEqual({ kty: "RSA", n, e: "AQAB" });
    // A third element in the SubjectPublicKeyInfo, which OpenSSL refuses.
    const extended = spkiWith([0x01, 0x00, 0x01], Buffer.from([TAG.NULL, 0]));
    expect(() => crypto.createPublicKey({ key: extended, format: "der", type: "spki" })).toThrow();
    expect(rsaJwkOf(extended)).toBeNull();
    expect(rsaJwkOf(spkiWith([0x00, 0x01, 0x00, 0x01]))).toBeNull();
    expect(rsaJwkOf(spkiWith([0x81, 0x00, 0x01]))).toBeNull();
  });

  test("property: a damaged RSA SubjectPublicKeyInfo is either left to OpenSSL or read as the very key OpenSSL reads", () => {
    const spki = der(rsa[0]!);
    fc.assert(
      fc.property(withOneByteChanged(spki), (copy) => {
        const jwk = rsaJwkOf(copy);
        if (jwk === null) return;
        const viaOpenSsl = crypto.createPublicKey({ key: copy, format: "der", type: "spki" });
        expect(crypto.createPublicKey({ key: jwk, format: "jwk" }).equals(viaOpenSsl)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("EC keys read from their DER: sa.pub, certificates, private keys", () => {
  const der = (key: crypto.KeyObject) => key.export({ type: "spki", format: "der" });
  const viaOpenSsl = (spki: Buffer) => {
    try {
      return crypto.createPublicKey({ key: spki, format: "der", type: "spki" });
    } catch {
      return null;
    }
  };
  const NIST = ["prime256v1", "secp384r1", "secp521r1"] as const;

  test.each([...NIST, "secp224r1"])("%s: every generated key is read from its DER as the key OpenSSL reads", (namedCurve) => {
    for (let i = 0; i < 25; i++) {
      const key = crypto.generateKeyPairSync("ec", { namedCurve }).publicKey;
      expect(canonicalEcKey(der(key))).toEqual({ type: "ec", spki: der(key), namedCurve });
    }
  });

  test("a certificate's P-224 key is named and sized (the weak-key check sees its 224 bits); one on secp256k1 is marked unusable", () => {
    const pem = fs.readFileSync(path.join(REPO, "sample-clusters/kubeadm-healthy/etc/kubernetes/pki/apiserver.crt"), "utf8");
    const certDer = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64");
    const [tbs, algorithm, signature] = childrenOf(certDer, readWhole(certDer, TAG.SEQUENCE));
    const fields: Buffer[] = childrenOf(certDer, tbs!).map((field) => certDer.subarray(field.start, field.end));
    // version [0], serial, signature algorithm, issuer, validity, subject, then the key.
    fields[6] = der(crypto.generateKeyPairSync("ec", { namedCurve: "secp224r1" }).publicKey);
    const bytes = (element: typeof tbs) => certDer.subarray(element!.start, element!.end);
    const certificate = decodeCertificate(encodeElement(TAG.SEQUENCE, encodeElement(TAG.SEQUENCE, ...fields), bytes(algorithm), bytes(signature)));
    expect(certificate).toMatchObject({ keyAlgorithm: "ECDSA P-224", keySize: 224, keyUnsupported: null });
    fields[6] = der(crypto.generateKeyPairSync("ec", { namedCurve: "secp256k1" }).publicKey);
    const k1 = decodeCertificate(encodeElement(TAG.SEQUENCE, encodeElement(TAG.SEQUENCE, ...fields), bytes(algorithm), bytes(signature)));
    expect(k1.keyAlgorithm).toBe("ECDSA secp256k1");
    expect(k1.keyUnsupported).toMatch(/secp256k1, which Go does not support/);
  });

  test("keys and certificates on curves Go does not read (secp256k1, brainpool, explicit parameters) are unusable", () => {
    const explicit = execFileSync("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-param_enc", "explicit", "-noout", "-outform", "DER"]);
    const explicitPublic = execFileSync("openssl", ["ec", "-inform", "DER", "-pubout", "-outform", "DER", "-param_enc", "explicit"], { input: explicit, stdio: ["pipe", "pipe", "ignore"] });
    for (const namedCurve of ["secp256k1", "brainpoolP256r1"]) {
      const pair = crypto.generateKeyPairSync("ec", { namedCurve });
      expect(() => publicKeyOfPrivateKey(pair.privateKey.export({ type: "sec1", format: "der" }), "EC PRIVATE KEY"), namedCurve).toThrow(/Go does not support/);
      expect(() => publicKeyOfPrivateKey(pair.privateKey.export({ type: "pkcs8", format: "der" }), "PRIVATE KEY"), namedCurve).toThrow(/Go does not support/);
      expect(() => publicKeyOfSpki(der(pair.publicKey)), namedCurve).toThrow(/Go does not support/);
    }
    expect(() => publicKeyOfPrivateKey(explicit, "EC PRIVATE KEY")).toThrow(/Go does not support/);
    expect(() => publicKeyOfSpki(explicitPublic)).toThrow(/Go does not support/);
    // The four curves Go reads are fine.
    for (const namedCurve of ["secp224r1", "prime256v1", "secp384r1", "secp521r1"]) {
      expect(publicKeyOfSpki(der(crypto.generateKeyPairSync("ec", { namedCurve }).publicKey)).algorithm, namedCurve).toBe("ec");
    }
  });

  test("a compressed point, other curves and other keys are left to OpenSSL", () => {
    const p256 = der(crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey);
    // The same key with its point compressed (02 or 03, then x), which OpenSSL reads.
    const point = crypto.ECDH.convertKey(Buffer.from(p256.subarray(p256.length - 65)), "prime256v1", undefined, undefined, "compressed") as Buffer;
    const compressedSpki = Buffer.concat([Buffer.from([0x30, 0x39]), p256.subarray(2, 2 + 21), Buffer.from([0x03, 0x22, 0x00]), point]);
    expect(viaOpenSsl(compressedSpki)?.equals(crypto.createPublicKey({ key: p256, format: "der", type: "spki" }))).toBe(true);
    expect(canonicalEcKey(compressedSpki)).toBeNull();

    const k256 = der(crypto.generateKeyPairSync("ec", { namedCurve: "secp256k1" }).publicKey);
    expect(viaOpenSsl(k256)).not.toBeNull();
    expect(canonicalEcKey(k256)).toBeNull();
    // The point at infinity on a curve the fast path leaves to OpenSSL: refused, where asking
    // node:crypto for the key's details used to abort the process.
    const k256AtInfinity = Buffer.concat([Buffer.from([0x30, 0x16]), k256.subarray(2, 2 + 18), Buffer.from([0x03, 0x02, 0x00, 0x00])]);
    expect(viaOpenSsl(k256AtInfinity)).not.toBeNull();
    expect(() => publicKeyOfSpki(k256AtInfinity)).toThrow(KeyDecodeError);
    expect(canonicalEcKey(der(crypto.generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey))).toBeNull();
  });

  /** A DER element with its length in any form BER allows: short where it fits, or long with 1, 2 or 4 bytes. */
  const element = (tag: number, content: Buffer, form: number): Buffer => {
    const length = content.length;
    const lengthBytes = form === 0 && length < 0x80 ? [length] : form <= 1 && length < 0x100 ? [0x81, length] : form <= 2 ? [0x82, length >> 8, length & 0xff] : [0x84, 0, 0, length >> 8, length & 0xff];
    return Buffer.concat([Buffer.from([tag, ...lengthBytes]), content]);
  };
  const coordinate = (value: bigint, bytes: number) => Buffer.from(value.toString(16).padStart(bytes * 2, "0"), "hex");
  /** What OpenSSL makes of an SPKI: its export and curve, or null where it refuses (export first: see fromKeyObject). */
  const openSslReading = (spki: Buffer) => {
    const key = viaOpenSsl(spki);
    if (!key) return null;
    try {
      const exported = key.export({ type: "spki", format: "der" });
      return { type: key.asymmetricKeyType, spki: exported, namedCurve: key.asymmetricKeyDetails?.namedCurve };
    } catch {
      return null;
    }
  };
  const P = { prime256v1: (1n << 256n) - (1n << 224n) + (1n << 192n) + (1n << 96n) - 1n, secp384r1: (1n << 384n) - (1n << 128n) - (1n << 96n) + (1n << 32n) - 1n, secp521r1: (1n << 521n) - 1n };
  const keys = NIST.map((namedCurve) => ({ namedCurve, spki: der(crypto.generateKeyPairSync("ec", { namedCurve }).publicKey), bytes: namedCurve === "prime256v1" ? 32 : namedCurve === "secp384r1" ? 48 : 66 }));
  const modPow = (base: bigint, exponent: bigint, modulus: bigint): bigint => {
    let result = 1n;
    for (base %= modulus; exponent > 0n; exponent >>= 1n, base = (base * base) % modulus) if (exponent & 1n) result = (result * base) % modulus;
    return result;
  };
  /** The points every test builds keys from, by name; the two valid ones are the key's own and (0, √b). */
  const VARIANTS = ["key", "x = 0", "x = p", "x + p", "y + p", "off the curve", "compressed", "infinity", "a byte too many"] as const;
  type Variant = (typeof VARIANTS)[number];
  const VALID: readonly Variant[] = ["key", "x = 0"];
  /** A key's point in each variant, where the curve allows it (a coordinate plus p must still fit its bytes). */
  const pointVariants = ({ namedCurve, spki, bytes }: (typeof keys)[number]): Partial<Record<Variant, Buffer>> => {
    const point = spki.subarray(spki.length - (1 + 2 * bytes));
    const x = BigInt(`0x${point.subarray(1, 1 + bytes).toString("hex")}`);
    const y = BigInt(`0x${point.subarray(1 + bytes).toString("hex")}`);
    const p = P[namedCurve];
    const fits = (value: bigint) => value < 1n << BigInt(8 * bytes);
    const uncompressed = (px: bigint, py: bigint) => Buffer.concat([Buffer.from([4]), coordinate(px, bytes), coordinate(py, bytes)]);
    // At x = 0 the curve's equation is y² = b; with p ≡ 3 (mod 4), b^((p+1)/4) is a root when b is a square.
    const b = (y * y - x * x * x + 3n * x) % p;
    const root = modPow((b + p) % p, (p + 1n) / 4n, p);
    const atZero = (root * root) % p === (b + p) % p ? root : undefined;
    return {
      key: point,
      ...(atZero === undefined ? {} : { "x = 0": uncompressed(0n, atZero), "x = p": uncompressed(p, atZero) }),
      ...(fits(x + p) ? { "x + p": uncompressed(x + p, y) } : {}),
      ...(fits(y + p) ? { "y + p": uncompressed(x, y + p) } : {}),
      "off the curve": uncompressed(x, y ^ 1n),
      compressed: Buffer.concat([Buffer.from([y & 1n ? 3 : 2]), coordinate(x, bytes)]),
      infinity: Buffer.from([0]),
      "a byte too many": Buffer.concat([Buffer.from([4]), coordinate(x, bytes), Buffer.from([0]), coordinate(y, bytes)]),
    };
  };

  interface Shape {
    variant: Variant;
    /** Length forms of the headers: outer SEQUENCE, algorithm SEQUENCE, its two OIDs, the BIT STRING. */
    forms: number[];
    unusedBits: number;
    extraParameter: boolean;
  }
  const ecOid = Buffer.from("2a8648ce3d0201", "hex");
  const spkiOf = (key: (typeof keys)[number], { variant, forms, unusedBits, extraParameter }: Shape): Buffer => {
    const point = pointVariants(key)[variant] ?? pointVariants(key).key!;
    const algorithmOid = readElement(key.spki, readElement(key.spki, readElement(key.spki, 0).contentStart).contentStart);
    const curve = readElement(key.spki, algorithmOid.end);
    const parameters = [element(TAG.OID, ecOid, forms[2]!), element(TAG.OID, key.spki.subarray(curve.contentStart, curve.end), forms[3]!), ...(extraParameter ? [Buffer.from([TAG.NULL, 0])] : [])];
    const bits = element(TAG.BIT_STRING, Buffer.concat([Buffer.from([unusedBits]), point]), forms[4]!);
    return element(TAG.SEQUENCE, Buffer.concat([element(TAG.SEQUENCE, Buffer.concat(parameters), forms[1]!), bits]), forms[0]!);
  };
  /** The fast path reads an SPKI only as OpenSSL reads it; and sa.pub reads as OpenSSL reads it, or is refused as OpenSSL refuses it. */
  const expectOpenSslsReading = (spki: Buffer) => {
    const openSsl = openSslReading(spki);
    const fast = canonicalEcKey(spki);
    if (fast !== null) expect(fast).toEqual(openSsl);
    if (openSsl === null) expect(() => publicKeyOfSpki(spki)).toThrow();
    else expect(publicKeyOfSpki(spki)).toEqual({ algorithm: "ec", spkiHex: openSsl.spki.toString("hex") });
    return fast;
  };
  const MINIMAL = [0, 0, 0, 0, 0];

  test.each(NIST)("property: %s, a damaged SubjectPublicKeyInfo is either left to OpenSSL or read as the very key OpenSSL reads", (namedCurve) => {
    const spki = der(crypto.generateKeyPairSync("ec", { namedCurve }).publicKey);
    fc.assert(
      fc.property(withOneByteChanged(spki), (copy) => {
        expectOpenSslsReading(copy);
      }),
      { numRuns: 1000 },
    );
  });

  test.each(keys.map((key) => [key.namedCurve, key] as const))("%s: each variant of the point, and each header in a long form, reads as OpenSSL reads it", (_curve, key) => {
    const variants = Object.keys(pointVariants(key)) as Variant[];
    // Every curve has points at x = 0, so x = p is built on each; only P-521 has room for x + p and y + p.
    expect(variants).toEqual(VARIANTS.filter((v) => key.namedCurve === "secp521r1" || (v !== "x + p" && v !== "y + p")));
    for (const variant of variants) {
      const fast = expectOpenSslsReading(spkiOf(key, { variant, forms: MINIMAL, unusedBits: 0, extraParameter: false }));
      expect(fast !== null, variant).toBe(VALID.includes(variant));
    }
    for (let header = 0; header < 5; header++) {
      for (const form of [1, 2, 3]) {
        const spki = spkiOf(key, { variant: "key", forms: MINIMAL.map((minimal, i) => (i === header ? form : minimal)), unusedBits: 0, extraParameter: false });
        // P-521's outer length needs a long form anyway: that one form is still DER.
        expect(expectOpenSslsReading(spki) !== null, `header ${header} in form ${form}`).toBe(spki.equals(key.spki));
      }
    }
    expect(expectOpenSslsReading(spkiOf(key, { variant: "key", forms: MINIMAL, unusedBits: 1, extraParameter: false }))).toBeNull();
    expect(expectOpenSslsReading(spkiOf(key, { variant: "key", forms: MINIMAL, unusedBits: 0, extraParameter: true }))).toBeNull();
  });

  test("a certificate's EC key and an EC private key's point with long-form headers rebuild to the SPKI OpenSSL exports", () => {
    for (const key of keys) {
      const spki = spkiOf(key, { variant: "key", forms: [0, 0, 2, 3, 2], unusedBits: 0, extraParameter: false });
      expect(publicKeyOfSpkiElement(spki, readElement(spki, 0)).spki).toEqual(key.spki);
    }
    const pair = crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const sec1 = pair.privateKey.export({ type: "sec1", format: "der" });
    const parts: Buffer[] = childrenOf(sec1, readWhole(sec1, TAG.SEQUENCE)).map((part) => sec1.subarray(part.start, part.end));
    // [1] { BIT STRING point }, the BIT STRING's length written in two bytes.
    const point = pair.publicKey.export({ type: "spki", format: "der" }).subarray(-65);
    parts[3] = encodeElement(0xa1, element(TAG.BIT_STRING, Buffer.concat([Buffer.from([0]), point]), 2));
    const rebuilt = encodeElement(TAG.SEQUENCE, ...parts);
    expect(crypto.createPublicKey(crypto.createPrivateKey({ key: rebuilt, format: "der", type: "sec1" })).equals(pair.publicKey)).toBe(true);
    expect(publicKeyOfPrivateKey(rebuilt, "EC PRIVATE KEY").spkiHex).toBe(pair.publicKey.export({ type: "spki", format: "der" }).toString("hex"));
  });

  test("property: an EC SPKI built in any BER header form, with any of its point's variants, reads as OpenSSL reads it or not at all", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...keys),
        // Biased to the key itself and to minimal headers, so that the form OpenSSL exports comes up too.
        fc.record({
          variant: fc.constantFrom<Variant>("key", "key", "key", ...VARIANTS),
          forms: fc.array(fc.constantFrom(0, 0, 0, 1, 2, 3), { minLength: 5, maxLength: 5 }),
          unusedBits: fc.constantFrom(0, 0, 0, 1, 7),
          extraParameter: fc.boolean(),
        }),
        (key, shape) => {
          expectOpenSslsReading(spkiOf(key, shape));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
