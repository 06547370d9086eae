import "reflect-metadata";
import { spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import * as x509 from "@peculiar/x509";
import { afterAll, describe, expect, test } from "vitest";
import { REPO, runCli } from "../helpers/cli.js";
import { at, copyHealthy, derToPem, removePath, resignedCopy } from "../helpers/hostile.js";
import "../helpers/certs.js"; // sets @peculiar/x509's crypto provider

// dist/kube-cert-audit.cjs (npm run build:binary; npm test builds it) copied alone to an empty
// directory, as an admin copies it to a node: it must need nothing but node.
describe("the single-file build", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kca-single-"));
  const binary = path.join(dir, "kube-cert-audit");
  fs.copyFileSync(path.join(REPO, "dist/kube-cert-audit.cjs"), binary);
  fs.chmodSync(binary, 0o755);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  /** Runs the copy as `node [nodeArgs] kube-cert-audit args`. */
  const runWith = (nodeArgs: string[], ...args: string[]) => {
    const result = spawnSync(process.execPath, [...nodeArgs, binary, ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    return { exitCode: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const run = (...args: string[]) => runWith([], ...args);
  const sample = (name: string) => path.join(REPO, "sample-clusters", name);

  test("has nothing beside it: no node_modules, rules or package.json", () => {
    expect(fs.readdirSync(dir)).toEqual(["kube-cert-audit"]);
    expect(fs.readFileSync(binary, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  test("audits a sample exactly as the installed CLI does", () => {
    const single = run("--root", sample("kubeadm-broken"), "--at", "2026-06-01", "-o", "json");
    const installed = runCli(["--root", sample("kubeadm-broken"), "--at", "2026-06-01", "-o", "json"]);
    expect(single.exitCode).toBe(2);
    expect(single.stderr).toBe("");
    const strip = (text: string) => ({ ...JSON.parse(text), generatedAt: null });
    expect(strip(single.stdout)).toEqual(strip(installed.stdout));
  });

  /**
   * Does `node [nodeArgs]` take the file's code cache? Compiled as the loader compiles it, in a
   * node started as the build's training run was (no NODE_OPTIONS).
   */
  const cacheTaken = (file: string, nodeArgs: string[] = []): boolean => {
    const format = pathToFileURL(path.join(REPO, "scripts/single-file-format.mjs")).href;
    const probe = `
      const { CODE_NAME, singleFileParts } = await import(${JSON.stringify(format)});
      const { code, cachedData } = singleFileParts(require("node:fs").readFileSync(${JSON.stringify(file)}, "utf8"));
      if (!cachedData) throw new Error("the file carries no cache of its code");
      const script = new (require("node:vm").Script)(code, { filename: CODE_NAME, cachedData });
      process.stdout.write(String(!script.cachedDataRejected));`;
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const result = spawnSync(process.execPath, [...nodeArgs, "--input-type=commonjs", "-e", `(async () => {${probe}})()`], { encoding: "utf8", env });
    expect(result.stderr).toBe("");
    return result.stdout === "true";
  };

  // The file carries V8's code cache of its code, which only the node that built it takes, with
  // the same V8 flags: with another flag V8 refuses it and compiles the code, to the same effect.
  test("the node that built it takes its code cache; with other V8 flags it runs the same without", () => {
    expect(cacheTaken(binary)).toBe(true);
    expect(cacheTaken(binary, ["--no-opt"])).toBe(false);
    const args = ["--root", sample("kubeadm-broken"), "--at", "2026-06-01", "-o", "table"];
    const rejected = runWith(["--no-opt"], ...args);
    expect(rejected.stderr).toBe("");
    expect(rejected.exitCode).toBe(2);
    expect(rejected.stdout).toBe(run(...args).stdout);
  });

  // The cache is made by auditing the healthy sample, private keys included: it must hold code only.
  test("its code cache holds none of the private keys the build's training audit read", async () => {
    const { singleFileParts } = (await import(pathToFileURL(path.join(REPO, "scripts/single-file-format.mjs")).href)) as {
      singleFileParts(text: string): { cachedData: Buffer | null };
    };
    const { cachedData } = singleFileParts(fs.readFileSync(binary, "utf8"));
    expect(cachedData).not.toBeNull();
    const cache = cachedData!.toString("latin1");
    // The search does find text the cache holds (the name the code runs under).
    expect(cache.includes("kube-cert-audit.cjs")).toBe(true);
    const keyFiles: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile() && fs.readFileSync(full, "latin1").includes("PRIVATE KEY-----")) keyFiles.push(full);
      }
    };
    walk(sample("kubeadm-healthy"));
    expect(keyFiles.length).toBeGreaterThan(5);
    for (const file of keyFiles) {
      const pem = fs.readFileSync(file, "utf8");
      const der = crypto.createPrivateKey(pem).export({ type: "pkcs8", format: "der" });
      for (const line of pem.split("\n").filter((text) => /^[A-Za-z0-9+/=]{40,}$/.test(text))) expect(cache.includes(line), `${file}: PEM text`).toBe(false);
      // Any 32 bytes of the key's DER, at a few places, as raw bytes.
      for (const at of [16, der.length >> 1, der.length - 48]) expect(cache.includes(der.subarray(at, at + 32).toString("latin1")), `${file}: DER bytes at ${at}`).toBe(false);
    }
  });

  test("runs from stdin (node - < file), where it has no file of its own to read the cache from", () => {
    const args = ["--root", sample("kubeadm-broken"), "--at", "2026-06-01", "-o", "table"];
    const expected = run(...args).stdout;
    const piped = () => spawnSync(process.execPath, ["-", ...args], { cwd: dir, input: fs.readFileSync(binary), encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    const check = (result: ReturnType<typeof piped>) => {
      expect(result.stderr).toBe("");
      expect(result.status).toBe(2);
      expect(result.stdout).toBe(expected);
    };
    check(piped());
    // A file named as node names stdin, in the working directory, is not taken for its own either.
    fs.writeFileSync(path.join(dir, "[stdin]"), "/*0 AAAA*/");
    try {
      check(piped());
    } finally {
      fs.rmSync(path.join(dir, "[stdin]"), { force: true });
    }
  });

  test("a copy whose code was changed does not run the cached bytecode of the code it had", () => {
    const source = fs.readFileSync(binary, "utf8");
    const version = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version as string;
    const other = `${version.slice(0, -1)}${version.endsWith("9") ? "8" : "9"}`;
    // The same length: V8 alone would take the cache (it compares the code's length only).
    expect(other.length).toBe(version.length);
    const edited = path.join(dir, "..", `kca-edited-${process.pid}.cjs`);
    fs.writeFileSync(edited, source.replace(`\\"version\\": \\"${version}\\"`, `\\"version\\": \\"${other}\\"`));
    try {
      expect(fs.readFileSync(edited, "utf8")).not.toBe(source);
      expect(spawnSync(process.execPath, [edited, "--version"], { encoding: "utf8" }).stdout.trim()).toBe(other);
    } finally {
      fs.rmSync(edited, { force: true });
    }
  });

  test("runs the same on a node whose V8 did not make the cache: it is not even read", () => {
    const source = fs.readFileSync(binary, "utf8");
    const guard = `process.versions.v8 === ${JSON.stringify(process.versions.v8)}`;
    expect(source).toContain(guard);
    const other = path.join(dir, "..", `kca-other-v8-${process.pid}.cjs`);
    fs.writeFileSync(other, source.replace(guard, 'process.versions.v8 === "0.0.0-another-node"'));
    try {
      const args = ["--root", sample("kubeadm-broken"), "--at", "2026-06-01", "-o", "table"];
      const elsewhere = spawnSync(process.execPath, [other, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
      expect(elsewhere.stderr).toBe("");
      expect(elsewhere.status).toBe(2);
      expect(elsewhere.stdout).toBe(run(...args).stdout);
    } finally {
      fs.rmSync(other, { force: true });
    }
  });

  test("lays out the table as the installed CLI does: every sample", () => {
    for (const name of fs.readdirSync(path.join(REPO, "sample-clusters")).filter((entry) => fs.statSync(sample(entry)).isDirectory())) {
      const args = ["--root", sample(name), "--at", "2026-06-01", "-o", "table"];
      expect(run(...args).stdout, name).toBe(runCli(args).stdout);
    }
  });

  // The build measures printable ASCII itself and hands other text to string-width: wide,
  // combining and emoji characters must line up exactly as the installed CLI lines them up.
  test("lays out the table as the installed CLI does: names that are not ASCII", async () => {
    const ws = copyHealthy("kca-single-wide-");
    try {
      const cert = at(ws, "/etc/kubernetes/pki/apiserver.crt");
      const caKey = fs.readFileSync(at(ws, "/etc/kubernetes/pki/ca.key"), "utf8");
      const original = new x509.X509Certificate(fs.readFileSync(cert, "utf8"));
      const names = new x509.SubjectAlternativeNameExtension(["証明書.example", "cafe\u0301.example", "kubernetes"].map((value) => ({ type: "dns" as const, value })));
      const extensions = original.extensions.map((ext) => (ext.type === "2.5.29.17" ? names : ext));
      const subject = new x509.Name([{ CN: ["kube-apiserver 証明書 🚀 ｶﾀｶﾅ e\u0301 ok"] }]);
      fs.writeFileSync(cert, derToPem(Buffer.from((await resignedCopy(fs.readFileSync(cert, "utf8"), caKey, { subject, extensions })).rawData)));
      const args = ["--root", ws.root, "--at", "2026-06-01", "-o", "table"];
      const single = run(...args);
      expect(single.stdout).toContain("証明書");
      expect(single.stdout).toBe(runCli(args).stdout);
    } finally {
      removePath(ws.base);
    }
  });

  test("carries its rules, schemas and version: rules, explain, --version, merge", () => {
    expect(run("--version").stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version);
    expect(run("rules", "-o", "json").exitCode).toBe(0);
    expect(JSON.parse(run("rules", "-o", "json").stdout).roles.length).toBeGreaterThan(20);
    expect(run("explain", "san-missing").stdout).toContain("san-missing");
    const report = path.join(dir, "cp-1.json");
    fs.writeFileSync(report, run("--root", sample("kubeadm-healthy"), "--at", "2026-06-01", "-o", "json").stdout);
    const merged = run("merge", report, "-o", "json");
    expect(merged.exitCode).toBe(0);
    expect(JSON.parse(merged.stdout).summary.nodes).toBe(1);
    fs.rmSync(report);
    // A user's rules file is validated against the carried schemas (ajv is loaded only then).
    const rules = path.join(dir, "rules.yaml");
    fs.writeFileSync(rules, "roles:\n  - id: my-role\n");
    const refused = run("--root", sample("kubeadm-healthy"), "--rules", rules);
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toContain("roles[0]: invalid rules");
    expect(refused.stderr).toContain("must have required property 'match'");
    fs.rmSync(rules);
  });

  test("serves as its own fleet worker: fleet on worker threads matches the installed CLI in one thread", () => {
    const fleet = fs.mkdtempSync(path.join(os.tmpdir(), "kca-single-fleet-"));
    try {
      for (const name of ["kubeadm-healthy", "kubeadm-broken", "hardway-systemd-2024"]) fs.cpSync(sample(name), path.join(fleet, name), { recursive: true, verbatimSymlinks: true });
      const onWorkers = run("fleet", fleet, "--at", "2026-06-01", "-o", "json", "--jobs", "2");
      const inThread = runCli(["fleet", fleet, "--at", "2026-06-01", "-o", "json", "--jobs", "1"]);
      expect(onWorkers.stderr).toBe("");
      expect(onWorkers.exitCode).toBe(2);
      expect(JSON.parse(onWorkers.stdout)).toEqual(JSON.parse(inThread.stdout));
    } finally {
      fs.rmSync(fleet, { recursive: true, force: true });
    }
  });

  test("tui without a terminal refuses like the installed CLI", () => {
    const tui = run("tui", "--root", sample("kubeadm-healthy"));
    expect(tui.exitCode).toBe(3);
    expect(tui.stderr).toContain("tui needs an interactive terminal");
  });
});
