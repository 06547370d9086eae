import "reflect-metadata";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as x509 from "@peculiar/x509";
import { CLI, REPO } from "./cli.js";

/**
 * Fixture generation for test/e2e/hostile-input.test.ts: copies of the healthy sample damaged one
 * way each, the hostile contents themselves (alias bombs, a 64 KiB SAN list, junk), a run of the
 * built CLI that also reports its peak RSS and wall time, and a snapshot of a tree for proving
 * the audit changed nothing. Everything is deterministic: no randomness, no clock.
 */

x509.cryptoProvider.set(crypto.webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export const HEALTHY = path.join(REPO, "sample-clusters/kubeadm-healthy");
export const AT = "2026-06-01";
/** A run that takes longer than this is killed (with its process group) and reported as such. */
export const RUN_TIMEOUT_MS = 60_000;
export const NOBODY = 65_534;

export interface Workspace {
  /** The temporary directory holding `node` (the audited root) and `outside` (never audited). */
  base: string;
  root: string;
  outside: string;
}

/** A fresh copy of the healthy sample (symlinks kept as they are), with a sibling `outside` dir. */
export function copyHealthy(prefix = "kca-hostile-"): Workspace {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const root = path.join(base, "node");
  const outside = path.join(base, "outside");
  fs.cpSync(HEALTHY, root, { recursive: true, verbatimSymlinks: true });
  fs.mkdirSync(outside);
  return { base, root, outside };
}

/** Host path of a node path inside the workspace's root. */
export function at(ws: Workspace, nodePath: string): string {
  return path.join(ws.root, nodePath);
}

/** Replace a file's bytes in place (same inode, so its mode and owner stay as the sample has them). */
export function overwrite(file: string, content: string | Buffer): void {
  fs.writeFileSync(file, content);
}

export function editText(file: string, change: (text: string) => string): void {
  overwrite(file, change(fs.readFileSync(file, "utf8")));
}

/** Replace a path by something else: remove it first (file, symlink or directory). */
export function removePath(file: string): void {
  fs.rmSync(file, { recursive: true, force: true });
}

export function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, "\r\n");
}

/** The DER inside the first PEM block of a file. */
export function pemToDer(pem: string): Buffer {
  const match = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  if (!match) throw new Error("no PEM block");
  return Buffer.from((match[2] as string).replace(/\s+/g, ""), "base64");
}

export function derToPem(der: Buffer, label = "CERTIFICATE"): string {
  return `-----BEGIN ${label}-----\n${der.toString("base64").replace(/.{64}/g, "$&\n").replace(/\n$/, "")}\n-----END ${label}-----\n`;
}

/** Deterministic junk: a SHA-256 chain from a seed. */
export function junkBytes(seed: string, length: number): Buffer {
  const out: Buffer[] = [];
  let block = crypto.createHash("sha256").update(seed).digest();
  let total = 0;
  while (total < length) {
    out.push(block);
    total += block.length;
    block = crypto.createHash("sha256").update(block).digest();
  }
  return Buffer.concat(out).subarray(0, length);
}

/** The serial (lower-case hex, as the report writes it) and SHA-256 fingerprint of a certificate. */
export function identityOf(pemOrDer: string | Buffer): { serial: string; fingerprint: string } {
  const cert = new crypto.X509Certificate(pemOrDer);
  return { serial: cert.serialNumber.toLowerCase(), fingerprint: cert.fingerprint256 };
}

/**
 * The classic "billion laughs": `levels` anchors, each a list of `fanout` aliases of the previous
 * one, 9 levels of 9 expand to 9^9 = 387,420,489 scalars. Go's YAML decoder (sigs.k8s.io/yaml over
 * go-yaml, which the kubelet and client-go use) refuses it with "document contains excessive
 * aliasing". Indented by `indent` so it can sit under a mapping key.
 */
export function aliasBomb(levels = 9, fanout = 9, indent = ""): string {
  const lines = [`${indent}l0: &l0 [${Array.from({ length: fanout }, () => '"lol"').join(", ")}]`];
  for (let level = 1; level < levels; level++) {
    lines.push(`${indent}l${level}: &l${level} [${Array.from({ length: fanout }, () => `*l${level - 1}`).join(", ")}]`);
  }
  return lines.join("\n") + "\n";
}

/** id-ce-subjectAltName. */
const SUBJECT_ALT_NAME = "2.5.29.17";

/**
 * A copy of a certificate with a SAN extension of at least `minSanBytes` (its original names
 * first, then `host-NNNNN.san.cp-1.example` names), same subject, issuer (byte for byte), serial,
 * validity, key and other extensions, signed by `caKeyPem` (RSA, SHA-256): only the SAN size is
 * unusual. PKCS#1 v1.5 signatures are deterministic, so the output is too.
 */
export async function withHugeSanList(certPem: string, caKeyPem: string, minSanBytes = 64 * 1024): Promise<{ pem: string; names: number; sanBytes: number }> {
  const original = new x509.X509Certificate(certPem);
  const san = original.getExtension(x509.SubjectAlternativeNameExtension);
  const names: x509.JsonGeneralName[] = san ? san.names.toJSON() : [];
  const extra: x509.JsonGeneralName[] = [];
  let sanBytes = 0;
  let extension: x509.SubjectAlternativeNameExtension;
  do {
    for (let i = 0; i < 256; i++) extra.push({ type: "dns", value: `host-${String(extra.length).padStart(5, "0")}.san.cp-1.example` });
    extension = new x509.SubjectAlternativeNameExtension([...names, ...extra], san?.critical ?? false);
    sanBytes = extension.value.byteLength;
  } while (sanBytes < minSanBytes);
  const extensions = original.extensions.map((ext) => (ext.type === SUBJECT_ALT_NAME ? extension : ext));
  if (!san) extensions.push(extension);
  const generated = await resignedCopy(certPem, caKeyPem, { extensions });
  // What was signed, not what was meant: the SAN extension of the generated certificate itself.
  const written = generated.getExtension(x509.SubjectAlternativeNameExtension);
  if (!written || written.value.byteLength !== sanBytes || written.names.items.length !== names.length + extra.length) {
    throw new Error("the generated certificate does not carry the large SAN list");
  }
  return { pem: derToPem(Buffer.from(generated.rawData)), names: names.length + extra.length, sanBytes };
}

/**
 * A copy of a certificate with another subject or other extensions: same issuer (byte for byte),
 * serial, validity and key, signed by `caKeyPem` (RSA, SHA-256), so it still verifies against its CA.
 */
export async function resignedCopy(certPem: string, caKeyPem: string, change: { subject?: x509.Name; extensions?: x509.Extension[] }): Promise<x509.X509Certificate> {
  const original = new x509.X509Certificate(certPem);
  const pkcs8 = crypto.createPrivateKey(caKeyPem).export({ format: "der", type: "pkcs8" });
  const signingKey = await crypto.webcrypto.subtle.importKey("pkcs8", pkcs8, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
  return x509.X509CertificateGenerator.create({
    serialNumber: original.serialNumber,
    subject: change.subject ?? original.subjectName,
    issuer: original.issuerName,
    notBefore: original.notBefore,
    notAfter: original.notAfter,
    publicKey: original.publicKey,
    signingKey: signingKey as unknown as x509.X509CertificateCreateWithKeyParams["signingKey"],
    signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as x509.X509CertificateCreateWithKeyParams["signingAlgorithm"],
    extensions: change.extensions ?? original.extensions,
  });
}

/** mknod a character device; false where that is not permitted (not root, no CAP_MKNOD, nodev). */
export function tryMknodChar(file: string, major: number, minor: number): boolean {
  try {
    execFileSync("mknod", [file, "c", String(major), String(minor)], { stdio: "ignore" });
    return fs.lstatSync(file).isCharacterDevice();
  } catch {
    fs.rmSync(file, { force: true });
    return false;
  }
}

/** Can this process read the file? (Root with CAP_DAC_OVERRIDE reads a mode-000 file.) */
export function canRead(file: string): boolean {
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK));
    return true;
  } catch {
    return false;
  }
}

/** chown a whole tree, symlinks themselves included, without following them. */
export function chownTree(dir: string, uid: number, gid: number): void {
  fs.lchownSync(dir, uid, gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, uid, gid);
    else fs.lchownSync(full, uid, gid);
  }
}

export interface AuditRun {
  /** null when the run was killed (by the timeout or a signal). */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** Peak resident set size of the CLI process in KiB, or null if it could not be measured. */
  peakRssKiB: number | null;
  timedOut: boolean;
}

let gnuTime: boolean | undefined;
/** GNU time (`-f %M -o FILE`) when the machine has it; else the in-process wrapper below. */
function hasGnuTime(): boolean {
  if (gnuTime === undefined) {
    const probe = path.join(os.tmpdir(), `kca-time-probe-${process.pid}`);
    const result = spawnSync("/usr/bin/time", ["-f", "%M", "-o", probe, "true"], { stdio: "ignore" });
    gnuTime = result.status === 0 && fs.existsSync(probe) && /^\d+\s*$/m.test(fs.readFileSync(probe, "utf8"));
    fs.rmSync(probe, { force: true });
  }
  return gnuTime;
}

/**
 * Without GNU time: run the CLI inside a wrapper that records `process.resourceUsage().maxRSS`
 * (KiB) at exit. The CLI reads `process.argv` when imported, so the wrapper rewrites it first.
 */
const RSS_WRAPPER = `import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [out, cli, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], cli, ...args];
process.on("exit", () => writeFileSync(out, String(process.resourceUsage().maxRSS) + "\\n"));
await import(pathToFileURL(cli).href);
`;

export interface RunOptions {
  /** Run the CLI as this uid/gid (the test runs as root and needs an unprivileged reader). */
  uid?: number;
  gid?: number;
  /** Force the wrapper even where GNU time exists (to test the fallback). */
  forceWrapper?: boolean;
}

/**
 * Run the built CLI on a root (`--at 2026-06-01 -o json` plus `extra`) in its own process group,
 * measuring its peak RSS; killed with its group after RUN_TIMEOUT_MS. Asynchronous, so the cases
 * of a file can run concurrently.
 */
export function runAudit(root: string, extra: string[] = [], options: RunOptions = {}): Promise<AuditRun> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "kca-run-"));
  fs.chmodSync(scratch, 0o777);
  const rssFile = path.join(scratch, "rss");
  // Created here and world-writable, so an unprivileged run can write its measurement.
  fs.writeFileSync(rssFile, "");
  fs.chmodSync(rssFile, 0o666);
  const cliArgs = [CLI, "--root", root, "--at", AT, "-o", "json", ...extra];
  let command: string;
  let args: string[];
  if (!options.forceWrapper && hasGnuTime()) {
    command = "/usr/bin/time";
    args = ["-f", "%M", "-o", rssFile, process.execPath, ...cliArgs];
  } else {
    const wrapper = path.join(scratch, "rss-wrapper.mjs");
    fs.writeFileSync(wrapper, RSS_WRAPPER);
    fs.chmodSync(wrapper, 0o644);
    command = process.execPath;
    args = [wrapper, rssFile, ...cliArgs];
  }
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, KUBE_CERT_AUDIT_DEBUG: undefined },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      ...(options.uid !== undefined ? { uid: options.uid } : {}),
      ...(options.gid !== undefined ? { gid: options.gid } : {}),
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        // The whole group: GNU time and the CLI under it.
        process.kill(-(child.pid as number), "SIGKILL");
      } catch {
        // already gone
      }
    }, RUN_TIMEOUT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      // GNU time writes "Command exited with non-zero status N" before the figure: take the last number.
      const numbers = fs.readFileSync(rssFile, "utf8").match(/^\d+$/gm);
      fs.rmSync(scratch, { recursive: true, force: true });
      resolve({
        status: timedOut ? null : status,
        signal,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
        wallMs,
        peakRssKiB: numbers ? Number(numbers[numbers.length - 1]) : null,
        timedOut,
      });
    });
  });
}

export interface EntrySnapshot {
  type: "file" | "dir" | "symlink" | "fifo" | "char" | "block" | "socket" | "other";
  mode: number;
  uid: number;
  gid: number;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  rdev: bigint;
  /** SHA-256 of a regular file (files over 64 MiB: of their first and last MiB), or a symlink's target. */
  content: string | null;
}

const HASH_WHOLE_LIMIT = 64 * 1024 * 1024;

function hashFile(file: string, size: number): string {
  const hash = crypto.createHash("sha256");
  if (size <= HASH_WHOLE_LIMIT) return hash.update(fs.readFileSync(file)).digest("hex");
  const fd = fs.openSync(file, "r");
  try {
    const chunk = Buffer.alloc(1024 * 1024);
    for (const position of [0, size - chunk.length]) {
      const read = fs.readSync(fd, chunk, 0, chunk.length, position);
      hash.update(chunk.subarray(0, read));
    }
  } finally {
    fs.closeSync(fd);
  }
  return `${size}:${hash.digest("hex")}`;
}

/**
 * Every entry under `root` by relative path: type, mode, owner, size, mtime, ctime, device
 * number and content. FIFOs and devices are never opened.
 */
export function snapshotTree(root: string): Map<string, EntrySnapshot> {
  const entries = new Map<string, EntrySnapshot>();
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const stat = fs.lstatSync(full, { bigint: true });
      const type: EntrySnapshot["type"] = stat.isFile()
        ? "file"
        : stat.isDirectory()
          ? "dir"
          : stat.isSymbolicLink()
            ? "symlink"
            : stat.isFIFO()
              ? "fifo"
              : stat.isCharacterDevice()
                ? "char"
                : stat.isBlockDevice()
                  ? "block"
                  : stat.isSocket()
                    ? "socket"
                    : "other";
      // Root reads a mode-000 file; an unprivileged test run records it as unreadable.
      const content = type === "file" ? (canRead(full) ? hashFile(full, Number(stat.size)) : "unreadable") : type === "symlink" ? fs.readlinkSync(full) : null;
      entries.set(path.relative(root, full), {
        type,
        mode: Number(stat.mode),
        uid: Number(stat.uid),
        gid: Number(stat.gid),
        size: stat.size,
        mtimeNs: stat.mtimeNs,
        ctimeNs: stat.ctimeNs,
        rdev: stat.rdev,
        content,
      });
      if (type === "dir") walk(full);
    }
  };
  walk(root);
  return entries;
}
