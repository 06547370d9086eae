import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test, type ExpectStatic } from "vitest";
import { childrenOf, encodeElement, readWhole, TAG } from "../../src/load/der.js";
import type { Report, Severity } from "../../src/model.js";
import {
  aliasBomb,
  at,
  canRead,
  chownTree,
  copyHealthy,
  derToPem,
  editText,
  identityOf,
  junkBytes,
  NOBODY,
  overwrite,
  pemToDer,
  removePath,
  RUN_TIMEOUT_MS,
  runAudit,
  snapshotTree,
  toCrlf,
  tryMknodChar,
  withHugeSanList,
  type AuditRun,
  type RunOptions,
  type Workspace,
} from "../helpers/hostile.js";

/**
 * The healthy kubeadm sample, damaged ONE hostile or broken way per case, audited end to end by
 * the built CLI (`npm run build` first) with `--at 2026-06-01 -o json`.
 *
 * Every expectation below was decided from the README's check table and from what the real
 * consumer of the file (the kubelet, client-go, Go's crypto/tls and encoding/pem) does with it,
 * before the tool was run — never copied from the tool's output. For every case: the exit code
 * (2 critical, 1 warning, 0 nothing worse than info), valid JSON that matches the report schema,
 * the finding naming the damaged file (or no finding worse than info where the input is fine), no
 * stack trace or "internal error" on stderr, a bounded run time and a bounded peak RSS.
 */

const reportSchema = JSON.parse(fs.readFileSync(new URL("../../schema/report.schema.json", import.meta.url), "utf8"));
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats.default(ajv);
const validateReport = ajv.compile(reportSchema);

/** Peak RSS any run may reach: the audit reads at most a few MiB of files. */
const RSS_BOUND_KIB = 300 * 1024;

const PKI = "/etc/kubernetes/pki";
const MANIFESTS = "/etc/kubernetes/manifests";
const SCHEDULER_CONF = "/etc/kubernetes/scheduler.conf";
const CONTROLLER_MANAGER_CONF = "/etc/kubernetes/controller-manager.conf";

interface ExpectedFinding {
  id: string;
  severity: Severity;
  path: string;
  /** Only where exactly one component names the file. */
  component?: string;
}

interface Expectation {
  exitCode: 0 | 1 | 2;
  /** Findings that must be in the report. Empty: the input is fine, nothing worse than info. */
  findings: ExpectedFinding[];
}

interface Prepared {
  /** Where the expectation depends on the machine (root's privileges, mknod). */
  expect?: Expectation;
  runAs?: RunOptions;
  /** Case-specific assertions on the report. */
  verify?: (report: Report, run: AuditRun, expect: ExpectStatic) => void;
}

interface Case {
  name: string;
  expect: Expectation;
  prepare: (ws: Workspace) => Prepared | void | Promise<Prepared | void>;
}

const fine: Expectation = { exitCode: 0, findings: [] };
const critical = (id: string, nodePath: string, component?: string): Expectation => ({
  exitCode: 2,
  findings: [{ id, severity: "critical", path: nodePath, ...(component ? { component } : {}) }],
});

/** The certificate at a node path decodes, with the fingerprint it had before the damage. */
function decodedWith(nodePath: string, fingerprint: string) {
  return (report: Report, _run: AuditRun, expect: ExpectStatic) => {
    const found = report.certificates.filter((c) => c.path === nodePath).map((c) => c.fingerprintSha256);
    expect(found, `${nodePath} is decoded`).toContain(fingerprint);
  };
}

/** Nothing read through an escaping symlink reaches the report: not its serial, not its fingerprint. */
function neverFollowed(certificates: Array<{ serial: string; fingerprint: string }>) {
  return (_report: Report, run: AuditRun, expect: ExpectStatic) => {
    const text = run.stdout.toLowerCase();
    for (const { serial, fingerprint } of certificates) {
      // Without its leading zeros, so neither way of writing it can slip through.
      expect(text).not.toContain(serial.replace(/^0+/, ""));
      expect(text).not.toContain(fingerprint.toLowerCase());
      expect(text).not.toContain(fingerprint.replace(/:/g, "").toLowerCase());
    }
  };
}

function read(ws: Workspace, nodePath: string): string {
  return fs.readFileSync(at(ws, nodePath), "utf8");
}

function fingerprintAt(ws: Workspace, nodePath: string): string {
  return identityOf(read(ws, nodePath)).fingerprint;
}

function mkfifo(file: string): void {
  removePath(file);
  execFileSync("mkfifo", [file]);
}

/** Move a file or directory of the root to `outside/` and leave a symlink with `target` in its place. */
function escapeTo(ws: Workspace, nodePath: string, target: (outsidePath: string) => string): string {
  const inside = at(ws, nodePath);
  const outsidePath = path.join(ws.outside, path.basename(inside));
  fs.renameSync(inside, outsidePath);
  fs.symlinkSync(target(outsidePath), inside);
  return outsidePath;
}

function certificatesUnder(dir: string): Array<{ serial: string; fingerprint: string }> {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".crt"))
    .map((name) => identityOf(fs.readFileSync(path.join(dir, name))));
}

/** Put another key (a SubjectPublicKeyInfo) into the certificate at a node path; its signature no longer verifies. */
function withCertificateKey(ws: Workspace, nodePath: string, spki: Buffer): void {
  const der = pemToDer(read(ws, nodePath));
  const [tbs, algorithm, signature] = childrenOf(der, readWhole(der, TAG.SEQUENCE));
  // version [0], serial, signature algorithm, issuer, validity, subject, then the key.
  const fields = childrenOf(der, tbs!).map((field) => der.subarray(field.start, field.end));
  fields[6] = spki;
  const bytes = (element: typeof tbs) => der.subarray(element!.start, element!.end);
  overwrite(at(ws, nodePath), derToPem(encodeElement(TAG.SEQUENCE, encodeElement(TAG.SEQUENCE, ...fields), bytes(algorithm), bytes(signature))));
}

/** Text whose U+0080–U+00FF characters become single Latin-1 bytes: not UTF-8. */
function latin1(text: string): Buffer {
  return Buffer.from(text, "latin1");
}

const P256_OID = Buffer.from("06082a8648ce3d030107", "hex");
/** A P-256 SubjectPublicKeyInfo whose point is the point at infinity (a lone 00 byte). */
const P256_SPKI_AT_INFINITY = encodeElement(
  TAG.SEQUENCE,
  encodeElement(TAG.SEQUENCE, Buffer.from("06072a8648ce3d0201", "hex"), P256_OID),
  encodeElement(TAG.BIT_STRING, Buffer.from([0, 0])),
);

const CASES: Case[] = [
  // ── PEM and DER content ────────────────────────────────────────────────────────────────────
  {
    name: "truncated PEM certificate (cut mid-body, no END line)",
    expect: critical("file-invalid", `${PKI}/apiserver.crt`, "kube-apiserver"),
    prepare(ws) {
      const text = read(ws, `${PKI}/apiserver.crt`);
      overwrite(at(ws, `${PKI}/apiserver.crt`), text.slice(0, Math.floor(text.length / 2)));
    },
  },
  {
    name: "garbage PEM: valid armour around base64 of junk that starts like DER",
    expect: critical("file-invalid", `${PKI}/front-proxy-client.crt`, "kube-apiserver"),
    prepare(ws) {
      // A SEQUENCE header claiming 1020 bytes, then deterministic junk: the ASN.1 parser gets going.
      const der = Buffer.concat([Buffer.from([0x30, 0x82, 0x03, 0xfc]), junkBytes("garbage-pem", 1020)]);
      overwrite(at(ws, `${PKI}/front-proxy-client.crt`), derToPem(der));
    },
  },
  {
    name: "garbage PEM: valid armour around a body that is not base64",
    expect: critical("file-invalid", `${PKI}/front-proxy-client.crt`, "kube-apiserver"),
    prepare(ws) {
      overwrite(at(ws, `${PKI}/front-proxy-client.crt`), "-----BEGIN CERTIFICATE-----\n%%%% this is not base64 ****\n!!!!\n-----END CERTIFICATE-----\n");
    },
  },
  {
    // RFC 7468 §5.2: text before and after the encapsulation boundaries is explanatory and ignored,
    // as Go's pem.Decode (and so every component) ignores it. ca.crt is the most-used file.
    name: "explanatory text around the CA's PEM block (RFC 7468 §5.2) decodes, no finding",
    expect: fine,
    prepare(ws) {
      const file = `${PKI}/ca.crt`;
      const fingerprint = fingerprintAt(ws, file);
      const pem = read(ws, file);
      overwrite(
        at(ws, file),
        "Certificate:\n    Data:\n        Version: 3 (0x2)\n        Issuer: CN = kubernetes\n        Subject: CN = kubernetes\n" +
          "# copied from cp-1 by the backup job; do not edit\n\n" +
          pem +
          "\nThis trailer is explanatory text too.\n",
      );
      return { verify: decodedWith(file, fingerprint) };
    },
  },
  {
    // RFC 1421 headers inside the block: Go's tls.X509KeyPair, which loads --tls-cert-file, uses
    // every CERTIFICATE block whatever its headers, so the API server starts with this file.
    name: "RFC 1421 headers inside a serving certificate's block decode, no finding",
    expect: fine,
    prepare(ws) {
      const file = `${PKI}/apiserver.crt`;
      const fingerprint = fingerprintAt(ws, file);
      editText(at(ws, file), (t) => t.replace("-----BEGIN CERTIFICATE-----\n", "-----BEGIN CERTIFICATE-----\nComment: kube-apiserver serving certificate\nSource: kubeadm init phase certs apiserver\n\n"));
      return { verify: decodedWith(file, fingerprint) };
    },
  },
  {
    // client-go's cert.ParseCertsPEM (NewPoolFromBytes, the loader of every --*-ca-file) and Go's
    // CertPool.AppendCertsFromPEM skip CERTIFICATE blocks with headers ("Only use PEM CERTIFICATE
    // blocks without extra headers"): a CA file whose only block has headers holds no CA for them,
    // and the API server exits ("data does not contain any valid RSA or ECDSA certificates").
    name: "RFC 1421 headers inside the only block of a CA file (client-go skips such blocks)",
    expect: critical("file-invalid", `${PKI}/front-proxy-ca.crt`),
    prepare(ws) {
      editText(at(ws, `${PKI}/front-proxy-ca.crt`), (t) => t.replace("-----BEGIN CERTIFICATE-----\n", "-----BEGIN CERTIFICATE-----\nComment: front-proxy CA\n\n"));
    },
  },
  {
    // It must decode (so the rest of its checks run and it is in the inventory), but etcd loads
    // --cert-file with tls.LoadX509KeyPair, which accepts PEM only ("failed to find any PEM data
    // in certificate input"): etcd does not start. No Kubernetes component reads DER from a flag.
    name: "DER certificate instead of PEM decodes, and is reported as unusable by its component",
    expect: critical("file-invalid", `${PKI}/etcd/server.crt`, "etcd"),
    prepare(ws) {
      const file = `${PKI}/etcd/server.crt`;
      const fingerprint = fingerprintAt(ws, file);
      overwrite(at(ws, file), pemToDer(read(ws, file)));
      return { verify: decodedWith(file, fingerprint) };
    },
  },
  {
    name: "certificate with a 64 KiB SAN list (signed by the sample's CA) decodes, no finding",
    expect: fine,
    async prepare(ws) {
      const file = `${PKI}/apiserver.crt`;
      const huge = await withHugeSanList(read(ws, file), read(ws, `${PKI}/ca.key`));
      if (huge.sanBytes < 64 * 1024) throw new Error(`SAN extension only ${huge.sanBytes} bytes`);
      overwrite(at(ws, file), huge.pem);
      const fingerprint = identityOf(huge.pem).fingerprint;
      return {
        verify(report, run, expect) {
          decodedWith(file, fingerprint)(report, run, expect);
          const cert = report.certificates.find((c) => c.path === file);
          expect((cert?.sans.dns.length ?? 0) + (cert?.sans.ip.length ?? 0)).toBe(huge.names);
        },
      };
    },
  },
  {
    name: "empty certificate file",
    expect: critical("file-invalid", `${PKI}/front-proxy-ca.crt`),
    prepare(ws) {
      overwrite(at(ws, `${PKI}/front-proxy-ca.crt`), "");
    },
  },
  // An EC point at infinity is a lone 00 byte. OpenSSL reads such a key but cannot encode it, and
  // Node 20 aborted the process (a failed assertion: exit 134, a native stack) when asked for its
  // details. Go's crypto/x509 refuses it in a certificate or a PUBLIC KEY file ("x509: failed to
  // unmarshal elliptic curve point"), so the file is unusable to its component.
  {
    name: "PUBLIC KEY file (sa.pub) whose EC point is at infinity",
    expect: critical("file-invalid", `${PKI}/sa.pub`, "kube-apiserver"),
    prepare(ws) {
      overwrite(at(ws, `${PKI}/sa.pub`), derToPem(P256_SPKI_AT_INFINITY, "PUBLIC KEY"));
    },
  },
  {
    // A DSA key whose public value's INTEGER header was damaged: OpenSSL still reads it, and Node 20
    // aborted the process when asked for its details. The API server takes RSA and ECDSA keys from
    // --service-account-key-file only ("data does not contain any valid RSA or ECDSA public keys")
    // and does not start; sa.key's public half is not in the file.
    name: "PUBLIC KEY file (sa.pub) holding a damaged DSA key",
    expect: critical("key-mismatch", `${PKI}/sa.key`),
    prepare(ws) {
      const spki = crypto.generateKeyPairSync("dsa", { modulusLength: 1024, divisorLength: 160 }).publicKey.export({ type: "spki", format: "der" });
      const [, bits] = childrenOf(spki, readWhole(spki, TAG.SEQUENCE));
      const damaged = Buffer.from(spki);
      // Unused bits 00, then the INTEGER y as 02 81 80: its length byte becomes 0x40.
      damaged[bits!.contentStart + 2] = 0x40;
      overwrite(at(ws, `${PKI}/sa.pub`), derToPem(damaged, "PUBLIC KEY"));
    },
  },
  {
    // Go derives an EC private key's public half from its scalar and ignores the stored point
    // (crypto/x509 sec1.go), so the API server loads this key and then refuses it: it does not
    // belong to apiserver.crt. The tool derives it the same way.
    name: "EC private key whose public point is at infinity",
    expect: critical("key-mismatch", `${PKI}/apiserver.key`, "kube-apiserver"),
    prepare(ws) {
      // ECPrivateKey (RFC 5915): version 1, a private scalar, [0] the curve, [1] the point.
      const key = encodeElement(
        TAG.SEQUENCE,
        Buffer.from([TAG.INTEGER, 1, 1]),
        encodeElement(TAG.OCTET_STRING, Buffer.alloc(32, 1)),
        encodeElement(0xa0, P256_OID),
        encodeElement(0xa1, encodeElement(TAG.BIT_STRING, Buffer.from([0, 0]))),
      );
      overwrite(at(ws, `${PKI}/apiserver.key`), derToPem(key, "EC PRIVATE KEY"));
    },
  },
  {
    // One byte of a prime changed (a bad copy, a stray edit in the base64): the modulus and
    // exponent, and so the public key, are as before, but Go checks p·q = n on loading the key
    // (crypto/rsa: "invalid modulus" before 1.24, "p * q != n" since) and the API server exits.
    name: "RSA private key with one byte of a prime changed",
    expect: critical("file-invalid", `${PKI}/apiserver.key`, "kube-apiserver"),
    prepare(ws) {
      const der = pemToDer(read(ws, `${PKI}/apiserver.key`));
      // RSAPrivateKey: version, n, e, d, p, q, dp, dq, qinv.
      const p = childrenOf(der, readWhole(der, TAG.SEQUENCE))[4]!;
      const damaged = Buffer.from(der);
      damaged[(p.contentStart + p.end) >> 1]! ^= 0x10;
      overwrite(at(ws, `${PKI}/apiserver.key`), derToPem(damaged, "RSA PRIVATE KEY"));
    },
  },
  {
    name: "certificate whose EC key is the point at infinity",
    expect: critical("file-invalid", `${PKI}/apiserver.crt`, "kube-apiserver"),
    prepare(ws) {
      withCertificateKey(ws, `${PKI}/apiserver.crt`, P256_SPKI_AT_INFINITY);
    },
  },
  {
    // Go's crypto/x509 reads EC keys on P-224, P-256, P-384 and P-521 only ("x509: unsupported
    // elliptic curve"), so the API server cannot load this serving certificate and exits.
    name: "serving certificate with a key on secp256k1",
    expect: critical("file-invalid", `${PKI}/apiserver.crt`, "kube-apiserver"),
    prepare(ws) {
      withCertificateKey(ws, `${PKI}/apiserver.crt`, crypto.generateKeyPairSync("ec", { namedCurve: "secp256k1" }).publicKey.export({ type: "spki", format: "der" }));
    },
  },

  // ── Not a regular file ─────────────────────────────────────────────────────────────────────
  {
    name: "directory where a certificate should be",
    expect: critical("file-unreadable", `${PKI}/apiserver-kubelet-client.crt`, "kube-apiserver"),
    prepare(ws) {
      removePath(at(ws, `${PKI}/apiserver-kubelet-client.crt`));
      fs.mkdirSync(at(ws, `${PKI}/apiserver-kubelet-client.crt`));
    },
  },
  {
    name: "FIFO where a certificate should be",
    expect: critical("file-unreadable", `${PKI}/etcd/peer.crt`, "etcd"),
    prepare(ws) {
      mkfifo(at(ws, `${PKI}/etcd/peer.crt`));
    },
  },
  {
    name: "FIFO where a kubeconfig should be",
    expect: critical("file-unreadable", CONTROLLER_MANAGER_CONF, "kube-controller-manager"),
    prepare(ws) {
      mkfifo(at(ws, CONTROLLER_MANAGER_CONF));
    },
  },
  {
    // The kubelet skips a manifest that is not a regular file, so kube-scheduler does not run:
    // as critical as an unparsable control-plane manifest (config-invalid).
    name: "FIFO where a control-plane static pod manifest should be",
    expect: critical("file-unreadable", `${MANIFESTS}/kube-scheduler.yaml`),
    prepare(ws) {
      mkfifo(at(ws, `${MANIFESTS}/kube-scheduler.yaml`));
    },
  },
  {
    // Absolute symlink targets resolve inside --root (as under chroot), where /dev/zero is absent.
    name: "certificate symlinked to /dev/zero (absent under --root)",
    expect: critical("file-missing", `${PKI}/etcd/ca.crt`),
    prepare(ws) {
      removePath(at(ws, `${PKI}/etcd/ca.crt`));
      fs.symlinkSync("/dev/zero", at(ws, `${PKI}/etcd/ca.crt`));
    },
  },
  {
    // A real character device (1,5 is /dev/zero) under the root. mknod needs root or CAP_MKNOD:
    // where it fails, a FIFO takes the device's place, so this case still proves that a non-regular
    // file reached through an absolute symlink is refused (the FIFO cases above cover the rest).
    name: "certificate symlinked to a character device inside --root",
    expect: critical("file-unreadable", `${PKI}/etcd/ca.crt`),
    prepare(ws) {
      fs.mkdirSync(at(ws, "/dev"));
      if (!tryMknodChar(at(ws, "/dev/zero"), 1, 5)) execFileSync("mkfifo", [at(ws, "/dev/zero")]);
      removePath(at(ws, `${PKI}/etcd/ca.crt`));
      fs.symlinkSync("/dev/zero", at(ws, `${PKI}/etcd/ca.crt`));
    },
  },
  {
    // Sparse, so it costs no disk; the run must refuse it by size, not read it (peak RSS bound
    // is asserted for every case).
    name: "1 GiB (sparse) file where a certificate should be",
    expect: critical("file-unreadable", `${PKI}/front-proxy-client.crt`, "kube-apiserver"),
    prepare(ws) {
      fs.truncateSync(at(ws, `${PKI}/front-proxy-client.crt`), 1024 ** 3);
    },
  },
  {
    // The tests run as root, which reads a mode-000 file (CAP_DAC_OVERRIDE); so as root the tree
    // is given to `nobody` (modes kept) and the audit runs as `nobody`, which gets EACCES on the
    // mode-000 key. Not root: chmod 000 denies the test user directly.
    name: "permission denied (mode 000 key, audited by an unprivileged user)",
    expect: critical("file-unreadable", `${PKI}/apiserver.key`, "kube-apiserver"),
    prepare(ws) {
      fs.chmodSync(at(ws, `${PKI}/apiserver.key`), 0o000);
      if (process.getuid?.() !== 0) return;
      fs.chmodSync(ws.base, 0o755);
      chownTree(ws.root, NOBODY, NOBODY);
      return { runAs: { uid: NOBODY, gid: NOBODY } };
    },
  },
  {
    // The documented behaviour for root: the DaemonSet runs the audit as root, which reads
    // root-owned files as their owner. With CAP_DAC_OVERRIDE (a root shell) root reads a 000
    // file too, and 000 is stricter than the 0600 a key needs: nothing to report. Without that
    // capability (the DaemonSet drops all) or not root, the file is unreadable.
    name: "mode 000 key audited by the test user (root: readable, stricter than 0600)",
    expect: fine,
    prepare(ws) {
      const file = at(ws, `${PKI}/apiserver.key`);
      fs.chmodSync(file, 0o000);
      if (!canRead(file)) return { expect: critical("file-unreadable", `${PKI}/apiserver.key`, "kube-apiserver") };
    },
  },
  {
    name: "symlink loop where a certificate should be",
    expect: critical("file-unreadable", `${PKI}/apiserver-etcd-client.crt`, "kube-apiserver"),
    prepare(ws) {
      removePath(at(ws, `${PKI}/apiserver-etcd-client.crt`));
      fs.symlinkSync("apiserver-etcd-client.loop", at(ws, `${PKI}/apiserver-etcd-client.crt`));
      fs.symlinkSync("apiserver-etcd-client.crt", at(ws, `${PKI}/apiserver-etcd-client.loop`));
    },
  },

  // ── Symlinks escaping --root ───────────────────────────────────────────────────────────────
  {
    // The real apiserver.crt, moved outside the root: were the link followed on the host, the
    // audit would find a perfect certificate there and print its serial and fingerprint.
    name: "absolute symlink escaping --root to a valid certificate outside it",
    expect: critical("file-missing", `${PKI}/apiserver.crt`, "kube-apiserver"),
    prepare(ws) {
      const identity = identityOf(read(ws, `${PKI}/apiserver.crt`));
      const outside = escapeTo(ws, `${PKI}/apiserver.crt`, (outsidePath) => outsidePath);
      // On the host the link does lead to the certificate.
      if (identityOf(fs.readFileSync(at(ws, `${PKI}/apiserver.crt`))).fingerprint !== identity.fingerprint) throw new Error(`${outside} not reachable`);
      return { verify: neverFollowed([identity]) };
    },
  },
  {
    name: "relative ../../../../ symlink escaping --root to a valid certificate outside it",
    expect: critical("file-missing", `${PKI}/apiserver.crt`, "kube-apiserver"),
    prepare(ws) {
      const identity = identityOf(read(ws, `${PKI}/apiserver.crt`));
      escapeTo(ws, `${PKI}/apiserver.crt`, () => "../../../../outside/apiserver.crt");
      if (identityOf(fs.readFileSync(at(ws, `${PKI}/apiserver.crt`))).fingerprint !== identity.fingerprint) throw new Error("escape not reachable on the host");
      return { verify: neverFollowed([identity]) };
    },
  },
  {
    name: "directory symlink escaping --root (pki/etcd → ../../../../outside/etcd)",
    expect: critical("file-missing", `${PKI}/etcd/server.crt`, "etcd"),
    prepare(ws) {
      const outside = escapeTo(ws, `${PKI}/etcd`, () => "../../../../outside/etcd");
      const identities = certificatesUnder(outside);
      if (!fs.existsSync(at(ws, `${PKI}/etcd/server.crt`))) throw new Error("escape not reachable on the host");
      return { verify: neverFollowed(identities) };
    },
  },

  // ── Line ends and encodings ────────────────────────────────────────────────────────────────
  {
    name: "CRLF line ends in a static pod manifest",
    expect: fine,
    prepare(ws) {
      editText(at(ws, `${MANIFESTS}/kube-apiserver.yaml`), toCrlf);
    },
  },
  {
    name: "CRLF line ends in a kubeconfig",
    expect: fine,
    prepare(ws) {
      editText(at(ws, SCHEDULER_CONF), toCrlf);
    },
  },
  {
    // Go's encoding/pem strips the \r of each line.
    name: "CRLF line ends in a certificate and its key",
    expect: fine,
    prepare(ws) {
      const fingerprint = fingerprintAt(ws, `${PKI}/apiserver.crt`);
      editText(at(ws, `${PKI}/apiserver.crt`), toCrlf);
      editText(at(ws, `${PKI}/apiserver.key`), toCrlf);
      return { verify: decodedWith(`${PKI}/apiserver.crt`, fingerprint) };
    },
  },
  {
    // The kubelet decodes manifests with sigs.k8s.io/yaml over go-yaml, whose reader rejects any
    // byte sequence that is not UTF-8 ("yaml: invalid leading UTF-8 octet"): the pod never runs.
    name: "non-UTF-8 byte in a static pod manifest",
    expect: critical("config-invalid", `${MANIFESTS}/kube-scheduler.yaml`),
    prepare(ws) {
      const file = at(ws, `${MANIFESTS}/kube-scheduler.yaml`);
      const text = fs.readFileSync(file, "utf8").replace("  creationTimestamp: null\n", '  annotations:\n    description: "scheduler of the \u00e9quipe plateforme"\n  creationTimestamp: null\n');
      overwrite(file, latin1(text));
    },
  },
  {
    // client-go's clientcmd decodes kubeconfigs through the same go-yaml reader.
    name: "non-UTF-8 byte in a kubeconfig",
    expect: critical("config-invalid", SCHEDULER_CONF, "kube-scheduler"),
    prepare(ws) {
      const file = at(ws, SCHEDULER_CONF);
      overwrite(file, latin1(fs.readFileSync(file, "utf8").replace("apiVersion: v1\n", "apiVersion: v1\n# owner: \u00e9quipe plateforme\n")));
    },
  },
  {
    // encoding/pem works on bytes: explanatory text in Latin-1 is skipped like any other.
    name: "non-UTF-8 bytes in a PEM file's explanatory text decode, no finding",
    expect: fine,
    prepare(ws) {
      const file = `${PKI}/ca.crt`;
      const fingerprint = fingerprintAt(ws, file);
      overwrite(at(ws, file), Buffer.concat([latin1("Issuer: O = Soci\u00e9t\u00e9 G\u00e9n\u00e9rale, CN = kubernetes\n"), fs.readFileSync(at(ws, file))]));
      return { verify: decodedWith(file, fingerprint) };
    },
  },
  {
    name: "non-UTF-8 byte inside a PEM body",
    expect: critical("file-invalid", `${PKI}/front-proxy-client.crt`, "kube-apiserver"),
    prepare(ws) {
      const file = at(ws, `${PKI}/front-proxy-client.crt`);
      const lines = fs.readFileSync(file, "latin1").split("\n");
      lines[3] = `${(lines[3] as string).slice(0, 10)}\u00e9${(lines[3] as string).slice(11)}`;
      overwrite(file, latin1(lines.join("\n")));
    },
  },

  // ── YAML that is hostile or not what it should be ──────────────────────────────────────────
  {
    // go-yaml refuses a billion laughs with "document contains excessive aliasing"
    // (CVE-2019-11253): the kubelet cannot run this pod, and the audit must not expand it.
    name: "YAML alias bomb as a static pod manifest",
    expect: critical("config-invalid", `${MANIFESTS}/kube-controller-manager.yaml`),
    prepare(ws) {
      overwrite(at(ws, `${MANIFESTS}/kube-controller-manager.yaml`), aliasBomb());
    },
  },
  {
    name: "YAML alias bomb inside an otherwise valid static pod manifest",
    expect: critical("config-invalid", `${MANIFESTS}/kube-controller-manager.yaml`),
    prepare(ws) {
      editText(at(ws, `${MANIFESTS}/kube-controller-manager.yaml`), (t) => `${t}laughs:\n${aliasBomb(9, 9, "  ")}`);
    },
  },
  {
    name: "YAML alias bomb as a kubeconfig",
    expect: critical("config-invalid", CONTROLLER_MANAGER_CONF, "kube-controller-manager"),
    prepare(ws) {
      overwrite(at(ws, CONTROLLER_MANAGER_CONF), aliasBomb());
    },
  },
  {
    name: "YAML alias bomb inside an otherwise valid kubeconfig",
    expect: critical("config-invalid", CONTROLLER_MANAGER_CONF, "kube-controller-manager"),
    prepare(ws) {
      editText(at(ws, CONTROLLER_MANAGER_CONF), (t) => `${t}laughs:\n${aliasBomb(9, 9, "  ")}`);
    },
  },
  {
    // 10,000 extra flags, each a repeat of one of the API server's own certificate flags with its
    // own value (string flags: the last wins; --service-account-key-file, a list, only repeats
    // the same key): kube-apiserver starts exactly as before, so nothing is wrong.
    name: "static pod manifest with 10,000 flags",
    expect: fine,
    prepare(ws) {
      editText(at(ws, `${MANIFESTS}/kube-apiserver.yaml`), (t) => {
        const fileFlags = t.split("\n").filter((line) => /^ {4}- --[a-z-]+=\/etc\/kubernetes\/pki\/\S+$/.test(line));
        if (fileFlags.length < 10) throw new Error("unexpected kube-apiserver manifest");
        const extra = Array.from({ length: 10_000 }, (_, i) => fileFlags[i % fileFlags.length] as string);
        return t.replace("    - kube-apiserver\n", `    - kube-apiserver\n${extra.join("\n")}\n`);
      });
    },
  },
  {
    name: "kubeconfig whose client-key-data is not base64",
    expect: critical("file-invalid", SCHEDULER_CONF, "kube-scheduler"),
    prepare(ws) {
      editText(at(ws, SCHEDULER_CONF), (t) => t.replace(/client-key-data: \S+/, "client-key-data: '%%% not base64 %%%'"));
    },
  },
  {
    name: "static pod manifest that is a YAML list",
    expect: critical("config-invalid", `${MANIFESTS}/kube-scheduler.yaml`),
    prepare(ws) {
      overwrite(at(ws, `${MANIFESTS}/kube-scheduler.yaml`), "- kube-scheduler\n- --kubeconfig=/etc/kubernetes/scheduler.conf\n");
    },
  },
  {
    name: "static pod manifest that is a YAML scalar",
    expect: critical("config-invalid", `${MANIFESTS}/kube-scheduler.yaml`),
    prepare(ws) {
      overwrite(at(ws, `${MANIFESTS}/kube-scheduler.yaml`), "kube-scheduler --kubeconfig=/etc/kubernetes/scheduler.conf\n");
    },
  },
  {
    // The kubelet decodes a static pod file and refuses anything that is not a Pod ("invalid
    // pod"), so kube-scheduler does not run: not a non-control-plane pod to ignore.
    name: "static pod manifest of kind Deployment",
    expect: critical("config-invalid", `${MANIFESTS}/kube-scheduler.yaml`),
    prepare(ws) {
      editText(at(ws, `${MANIFESTS}/kube-scheduler.yaml`), (t) => t.replace("kind: Pod\n", "kind: Deployment\n"));
    },
  },
  {
    // client-go: "invalid configuration: no configuration has been provided"; the scheduler exits.
    name: "kubeconfig with no clusters, users or contexts",
    expect: critical("config-invalid", SCHEDULER_CONF, "kube-scheduler"),
    prepare(ws) {
      overwrite(at(ws, SCHEDULER_CONF), "apiVersion: v1\nkind: Config\npreferences: {}\n");
    },
  },
  {
    // The current context names a cluster and a user that are not there: client-go refuses it
    // (no server, no credentials) and the scheduler exits.
    name: "kubeconfig whose clusters and users lists are empty",
    expect: critical("config-invalid", SCHEDULER_CONF, "kube-scheduler"),
    prepare(ws) {
      editText(at(ws, SCHEDULER_CONF), (t) => t.replace(/^clusters:\n(?:[- ] .*\n)+/m, "clusters: []\n").replace(/^users:\n(?:[- ] .*\n)+/m, "users: []\n"));
      const text = read(ws, SCHEDULER_CONF);
      if (!text.includes("clusters: []") || !text.includes("users: []") || text.includes("-data:")) throw new Error("unexpected scheduler.conf");
    },
  },
];

/** What went wrong, in one line per finding, for assertion messages. */
function summary(report: Report | undefined, run: AuditRun): string {
  const findings = report ? report.findings.map((f) => `${f.severity} ${f.id} ${f.component} ${f.path}: ${f.message}`).join("\n  ") : run.stdout.slice(0, 2000);
  return `exit ${run.status} (signal ${run.signal}), ${Math.round(run.wallMs)} ms, peak RSS ${run.peakRssKiB} KiB\n  ${findings}\nstderr: ${run.stderr.slice(0, 2000)}`;
}

/** The assertions every run gets: it finished, in bounded time and memory, without crashing. */
function assertSane(run: AuditRun, expect: ExpectStatic): Report {
  const context = summary(undefined, run);
  expect(run.timedOut, `killed after ${RUN_TIMEOUT_MS} ms: ${context}`).toBe(false);
  expect(run.status, context).not.toBeNull();
  expect(run.stderr, "no stack trace on stderr").not.toMatch(/\n\s+at /);
  expect(run.stderr, "no internal error").not.toContain("internal error");
  expect(run.peakRssKiB, "peak RSS measured").not.toBeNull();
  expect(run.peakRssKiB as number, `peak RSS under ${RSS_BOUND_KIB} KiB`).toBeLessThan(RSS_BOUND_KIB);
  let report: Report | undefined;
  expect(() => (report = JSON.parse(run.stdout) as Report), `stdout is JSON: ${context}`).not.toThrow();
  expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
  return report as Report;
}

describe("hostile and broken input, end to end", () => {
  // test.for is test.each that hands each case the test context: concurrent cases need their own
  // `expect`. Each case is one named test.
  test.concurrent.for(CASES.map((hostileCase) => [hostileCase.name, hostileCase] as const))("%s", { timeout: RUN_TIMEOUT_MS + 30_000 }, async ([, hostileCase], { expect }) => {
    const ws = copyHealthy();
    try {
      const prepared = (await hostileCase.prepare(ws)) ?? {};
      const expected = prepared.expect ?? hostileCase.expect;
      const run = await runAudit(ws.root, [], prepared.runAs);
      const report = assertSane(run, expect);
      const context = summary(report, run);
      for (const finding of expected.findings) {
        expect(report.findings, `expected ${JSON.stringify(finding)}; got ${context}`).toContainEqual(expect.objectContaining(finding));
      }
      if (expected.findings.length === 0) {
        expect(
          report.findings.filter((f) => f.severity !== "info"),
          `legitimately fine input: nothing worse than info; got ${context}`,
        ).toEqual([]);
      }
      expect(run.status, context).toBe(expected.exitCode);
      expect(report.summary.exitCode).toBe(expected.exitCode);
      prepared.verify?.(report, run, expect);
    } finally {
      fs.rmSync(ws.base, { recursive: true, force: true });
    }
  });

  test("a damaged run leaves the audited tree byte-for-byte unchanged (contents, modes, mtimes)", { timeout: RUN_TIMEOUT_MS + 30_000 }, async ({ expect }) => {
    const ws = copyHealthy();
    try {
      // Everything that could tempt a reader to block, write or follow: a FIFO, a device (or a
      // FIFO where mknod is refused), a directory, a symlink loop, a 1 GiB sparse file, a mode-000
      // key and an escaping symlink.
      mkfifo(at(ws, `${PKI}/etcd/peer.crt`));
      fs.mkdirSync(at(ws, "/dev"));
      if (!tryMknodChar(at(ws, "/dev/zero"), 1, 5)) execFileSync("mkfifo", [at(ws, "/dev/zero")]);
      removePath(at(ws, `${PKI}/etcd/ca.crt`));
      fs.symlinkSync("/dev/zero", at(ws, `${PKI}/etcd/ca.crt`));
      removePath(at(ws, `${PKI}/apiserver-kubelet-client.crt`));
      fs.mkdirSync(at(ws, `${PKI}/apiserver-kubelet-client.crt`));
      removePath(at(ws, `${PKI}/apiserver-etcd-client.crt`));
      fs.symlinkSync("apiserver-etcd-client.crt", at(ws, `${PKI}/apiserver-etcd-client.crt`));
      fs.truncateSync(at(ws, `${PKI}/front-proxy-client.crt`), 1024 ** 3);
      fs.chmodSync(at(ws, `${PKI}/apiserver.key`), 0o000);
      escapeTo(ws, `${PKI}/sa.pub`, () => "../../../../outside/sa.pub");
      const before = snapshotTree(ws.root);
      const outsideBefore = snapshotTree(ws.outside);
      const run = await runAudit(ws.root);
      const report = assertSane(run, expect);
      expect(run.status, summary(report, run)).toBe(2);
      expect(snapshotTree(ws.root)).toEqual(before);
      expect(snapshotTree(ws.outside)).toEqual(outsideBefore);
    } finally {
      fs.rmSync(ws.base, { recursive: true, force: true });
    }
  });
});
