import "reflect-metadata";
import * as crypto from "node:crypto";
import * as x509 from "@peculiar/x509";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { decodeEmbeddedMaterial, decodeMaterial } from "../../src/load/material.js";
import { decodeBase64, parsePem } from "../../src/load/pem.js";
import { makeCert, testKey } from "../helpers/certs.js";

const pemOf = (der: Buffer, label = "CERTIFICATE") => `-----BEGIN ${label}-----\n${der.toString("base64").replace(/.{64}/g, "$&\n")}\n-----END ${label}-----\n`;

describe("decodeMaterial", () => {
  test("a PEM bundle with text around the blocks and CRLF line ends", async () => {
    const a = await makeCert({ cn: "a" });
    const b = await makeCert({ cn: "b" });
    const text = `Certificate:\n    Data: openssl dump\n${pemOf(a.cert.der)}junk between\r\n${pemOf(b.cert.der).replace(/\n/g, "\r\n")}trailer`;
    const material = decodeMaterial(Buffer.from(text));
    expect(material.certificates.map((c) => c.subject.cn)).toEqual(["a", "b"]);
    expect(material.problems).toEqual([]);
  });

  test("DER certificate: decoded, with the problem that components load PEM only", async () => {
    const { cert } = await makeCert({ cn: "der" });
    const material = decodeMaterial(cert.der);
    expect(material.certificates[0]?.subject.cn).toBe("der");
    expect(material.problems.map((p) => p.kind)).toEqual(["der-not-pem"]);
  });

  test("certificate followed by its private key (kubelet-client-current.pem)", async () => {
    const key = await testKey({ kind: "ec" }, 3);
    const { cert } = await makeCert({ cn: "system:node:cp-1", key });
    const material = decodeMaterial(Buffer.from(pemOf(cert.der) + key.pkcs8Pem));
    expect(material.certificates).toHaveLength(1);
    expect(material.privateKeys[0]?.spkiHex).toBe(cert.spkiHex);
  });

  test("Ed25519 certificate and PKCS#8 key", async () => {
    const keys = (await crypto.webcrypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as crypto.webcrypto.CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: "01",
      name: "CN=ed25519",
      notBefore: new Date("2026-01-01T00:00:00Z"),
      notAfter: new Date("2027-01-01T00:00:00Z"),
      keys,
      signingAlgorithm: { name: "Ed25519" },
    });
    const pkcs8 = Buffer.from(await crypto.webcrypto.subtle.exportKey("pkcs8", keys.privateKey));
    const material = decodeMaterial(Buffer.from(cert.toString("pem") + "\n" + pemOf(pkcs8, "PRIVATE KEY")));
    expect(material.certificates[0]).toMatchObject({ keyAlgorithm: "Ed25519", signatureAlgorithm: "ED25519", selfSigned: true });
    expect(material.privateKeys[0]?.spkiHex).toBe(material.certificates[0]?.spkiHex);
  });

  test.each([
    ["empty", "", "empty"],
    ["whitespace", "  \n\t", "empty"],
    ["garbage text", "hello world", "not-pem-or-der"],
    ["corrupt base64", "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n", "corrupt-pem"],
    ["valid base64, not a certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "bad-certificate"],
    ["truncated key", "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----\n", "bad-key"],
    ["encrypted legacy key", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n", "encrypted-key"],
    ["PKCS#8 encrypted key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", "encrypted-key"],
  ])("%s is a problem, not a crash", (_name, text, kind) => {
    const material = decodeMaterial(Buffer.from(text));
    expect(material.problems.map((p) => p.kind)).toContain(kind);
    expect(material.certificates).toEqual([]);
  });

  test("problem messages never contain the bytes they failed on", () => {
    const secret = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";
    const material = decodeMaterial(Buffer.from(`-----BEGIN PRIVATE KEY-----\n${secret}\n-----END PRIVATE KEY-----\n`));
    expect(material.problems.length).toBeGreaterThan(0);
    for (const problem of material.problems) expect(problem.message).not.toContain(secret.slice(0, 16));
  });

  test("kubeconfig data that is not base64", () => {
    expect(decodeEmbeddedMaterial("not base64 at all!").problems[0]?.kind).toBe("not-pem-or-der");
  });

  test("kubeconfig data with a character beyond ASCII is not base64, even one whose low byte is a base64 digit", () => {
    const valid = Buffer.from("-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n").toString("base64");
    expect(decodeEmbeddedMaterial(valid).problems.map((p) => p.message)).not.toContain("the value is not valid base64");
    // "Ł" is U+0141: its low byte 0x41 is "A".
    expect(decodeEmbeddedMaterial(`${valid.slice(0, 8)}\u0141${valid.slice(9)}`).problems).toEqual([{ kind: "not-pem-or-der", message: "the value is not valid base64" }]);
  });

  test("property: any bytes decode to material or problems, never an exception", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        const material = decodeMaterial(Buffer.from(bytes));
        expect(material.certificates.length + material.privateKeys.length + material.publicKeys.length + material.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  // Keys of every type node:crypto reads, damaged a few bytes at a time: OpenSSL reads some of them
  // anyway, and Node 20 aborted the whole process (no exception to catch) when asked for the
  // details of such a key (an EC point at infinity, a DSA value with a damaged header). An abort
  // here takes the test worker down with it.
  const keyTypes: Array<[string, crypto.KeyPairKeyObjectResult]> = [
    ["dsa", crypto.generateKeyPairSync("dsa", { modulusLength: 1024, divisorLength: 160 })],
    ["rsa-pss", crypto.generateKeyPairSync("rsa-pss", { modulusLength: 1024 })],
    ["ec secp256k1", crypto.generateKeyPairSync("ec", { namedCurve: "secp256k1" })],
    ["ec brainpoolP256r1", crypto.generateKeyPairSync("ec", { namedCurve: "brainpoolP256r1" })],
    ["ec P-384", crypto.generateKeyPairSync("ec", { namedCurve: "secp384r1" })],
    ["ed25519", crypto.generateKeyPairSync("ed25519")],
    ["x25519", crypto.generateKeyPairSync("x25519")],
  ];
  test.each(keyTypes)("property: a damaged %s key, public or private, PEM or DER, decodes to a key or a problem", (_type, pair) => {
    const blocks: Array<[string, Buffer]> = [
      ["PUBLIC KEY", pair.publicKey.export({ type: "spki", format: "der" })],
      ["PRIVATE KEY", pair.privateKey.export({ type: "pkcs8", format: "der" })],
    ];
    const damage = (der: Buffer) =>
      fc.array(fc.tuple(fc.nat({ max: der.length - 1 }), fc.constantFrom(0x00, 0x01, 0x40, 0x7f, 0x80, 0x81, 0xff), fc.integer({ min: 0, max: 255 }), fc.boolean()), { minLength: 1, maxLength: 3 }).map((changes) => {
        const copy = Buffer.from(der);
        for (const [at, special, any, useSpecial] of changes) copy[at] = useSpecial ? special : any;
        return copy;
      });
    for (const [label, der] of blocks) {
      fc.assert(
        fc.property(damage(der), fc.boolean(), (copy, asPem) => {
          const material = decodeMaterial(asPem ? Buffer.from(pemOf(copy, label)) : copy);
          expect(material.privateKeys.length + material.publicKeys.length + material.problems.length).toBeGreaterThan(0);
        }),
        { numRuns: 500 },
      );
    }
  });

  test("property: PEM-shaped text with random bodies never throws", () => {
    const label = fc.constantFrom("CERTIFICATE", "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "PUBLIC KEY", "X509 CRL");
    fc.assert(
      fc.property(fc.array(fc.tuple(label, fc.string({ maxLength: 200 }), fc.string({ maxLength: 40 })), { maxLength: 5 }), (blocks) => {
        const text = blocks.map(([l, body, around]) => `${around}-----BEGIN ${l}-----\n${body}\n-----END ${l}-----\n`).join("");
        decodeMaterial(Buffer.from(text));
        parsePem(text);
      }),
      { numRuns: 500 },
    );
  });

  describe("decodeBase64: standard base64 only, with at most two '=' at the end", () => {
    // The grammar the decoder must accept, written the plain way, as the oracle.
    const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
    const oracle = (text: string) => (STANDARD.test(text) && text.length % 4 !== 1 ? Buffer.from(text, "base64") : undefined);

    test.each([
      ["QUJD", "414243"],
      ["QUJDRA==", "41424344"],
      ["QUJDRA", "41424344"],
      ["QUJDQQ=", "41424341"],
      ["QR==", "41"],
      ["", ""],
    ])("%j decodes", (text, hex) => {
      expect(decodeBase64(text)?.toString("hex")).toBe(hex);
    });

    test.each([
      ["a character outside the alphabet", "QUJD.QUJD"],
      ["base64url's '-' and '_'", "QUJD-_AA"],
      ["a space", "QU JD"],
      ["'=' before the end", "QQ==QUJD"],
      ["three '='", "QUJDQ==="],
      ["a length of 4n+1", "QUJDQ"],
      ["non-ASCII", "QUJDéQUJD"],
      ["a character outside the BMP", "QUJD\u{1F600}QUJD"],
      ["a character whose low byte is a base64 digit", "QUJ\u0144"],
      ["a lone surrogate whose low byte is a base64 digit", "QUJ\uD841"],
    ])("%s is not base64", (_why, text) => {
      expect(decodeBase64(text)).toBeUndefined();
    });

    test("property: agrees with the grammar on text mixing base64, padding and other characters", () => {
      const character = fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") },
        // Beyond ASCII: "Ł" (U+0141) and the lone surrogate U+D841 have the low byte of "A".
        { weight: 1, arbitrary: fc.constantFrom("=", "-", "_", " ", "\n", ".", "é", "\u0000", "\u{1F600}", "\u0141", "\uD841", "\u0144") },
      );
      fc.assert(
        fc.property(fc.array(character, { maxLength: 64 }).map((chars) => chars.join("")), (text) => {
          expect(decodeBase64(text)?.toString("hex")).toBe(oracle(text)?.toString("hex"));
        }),
        { numRuns: 5000 },
      );
    });
  });
});
