import "reflect-metadata";
import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import * as tls from "node:tls";
import * as x509 from "@peculiar/x509";
import { auditWithProbe, type ProbedAudit } from "../../src/audit.js";
import type { Connect } from "../../src/probe/tls.js";
import { CLI, REPO, type CliRun } from "../helpers/cli.js";
import { BUNDLED_RULES } from "../helpers/context.js";
import "../helpers/certs.js"; // sets @peculiar/x509's crypto provider

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function pemOf(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der.toString("base64").replace(/.{64}/g, "$&\n").replace(/\n$/, "")}\n-----END CERTIFICATE-----\n`;
}

export function fingerprintOf(pem: string | Buffer): string {
  return new crypto.X509Certificate(pem).fingerprint256;
}

/** A TCP port nothing listens on right now (the kernel picked it, then it was closed). */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Write files (node path → content) under a root; keys (*.key) get mode 0600. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [nodePath, content] of Object.entries(files)) {
    const file = path.join(root, nodePath);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, { mode: nodePath.endsWith(".key") ? 0o600 : 0o644 });
  }
}

/** A systemd unit that runs `binary` with `flags` (one per continuation line). */
export function unit(binary: string, flags: string[]): string {
  return ["[Unit]", `Description=${path.basename(binary)}`, "", "[Service]", `ExecStart=${binary} \\`, ...flags.map((flag, i) => `  ${flag}${i < flags.length - 1 ? " \\" : ""}`), "", "[Install]", "WantedBy=multi-user.target", ""].join("\n");
}

async function signingKey(keyPem: string | Buffer): Promise<{ key: crypto.webcrypto.CryptoKey; algorithm: crypto.webcrypto.Algorithm | crypto.webcrypto.EcdsaParams }> {
  const key = crypto.createPrivateKey(keyPem);
  const der = key.export({ type: "pkcs8", format: "der" });
  if (key.asymmetricKeyType === "rsa") {
    const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
    return { key: await crypto.webcrypto.subtle.importKey("pkcs8", der, algorithm, false, ["sign"]), algorithm };
  }
  const namedCurve = key.asymmetricKeyDetails?.namedCurve === "prime256v1" ? "P-256" : "P-384";
  const key2 = await crypto.webcrypto.subtle.importKey("pkcs8", der, { name: "ECDSA", namedCurve }, false, ["sign"]);
  return { key: key2, algorithm: { name: "ECDSA", hash: "SHA-256" } as crypto.webcrypto.EcdsaParams };
}

/**
 * The same certificate (subject, key, extensions) issued again by `issuer` (itself when absent)
 * with a new validity and serial: what `kubeadm certs renew` does. The samples' certificates are
 * issued for a fixed date; the live handshakes here run at the real time, so they are renewed.
 */
export async function reissue(certPem: string | Buffer, issuerKeyPem: string | Buffer, options: { issuerPem?: string | Buffer; notBefore: Date; notAfter: Date; serial?: string }): Promise<string> {
  const original = new x509.X509Certificate(certPem);
  const issuer = options.issuerPem ? new x509.X509Certificate(options.issuerPem) : original;
  const signing = await signingKey(issuerKeyPem);
  const generated = await x509.X509CertificateGenerator.create({
    serialNumber: options.serial ?? crypto.randomBytes(8).toString("hex").replace(/^[89a-f]/, "1"),
    subject: original.subjectName,
    issuer: issuer.subjectName,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    signingAlgorithm: signing.algorithm,
    publicKey: original.publicKey,
    signingKey: signing.key,
    extensions: original.extensions,
  });
  return generated.toString("pem") + "\n";
}

export const SAMPLE = (name: string) => path.join(REPO, "sample-clusters", name);

/** Audit with the live probe in-process, at the real time, with the bundled rules. */
export function probeTree(root: string, timeoutMs: number, connect?: Connect): Promise<ProbedAudit> {
  const now = new Date();
  return auditWithProbe(
    { root, at: now, generatedAt: now, warnWithinDays: 30, criticalWithinDays: 7, rules: BUNDLED_RULES, version: "test" },
    { timeoutMs, ...(connect ? { connect } : {}) },
  );
}

/** A TLS server on host:port (0: any free port) serving `cert`; resolves with its port. */
export async function tlsServer(options: tls.TlsOptions, host = "127.0.0.1", port = 0): Promise<{ server: tls.Server; port: number }> {
  const server = tls.createServer(options, (socket) => socket.on("error", () => undefined));
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as net.AddressInfo).port };
}

export function close(server: net.Server | undefined): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

/**
 * Run the built CLI without blocking this process's event loop (its TLS stand-ins must answer).
 */
export function runCliAsync(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("close", (code) => resolve({ exitCode: code ?? -1, stdout, stderr }));
  });
}
