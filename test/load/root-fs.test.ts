import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { isFileProblem, RootFs } from "../../src/load/root-fs.js";

let root: string;
let outside: string;

beforeAll(() => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "kca-rootfs-"));
  root = path.join(base, "node");
  outside = path.join(base, "outside");
  fs.mkdirSync(path.join(root, "etc/kubernetes/pki"), { recursive: true });
  fs.mkdirSync(path.join(root, "var/lib/kubelet/pki"), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, "secret.pem"), "OUTSIDE");
  fs.writeFileSync(path.join(root, "etc/kubernetes/pki/ca.crt"), "CA");
  fs.writeFileSync(path.join(root, "var/lib/kubelet/pki/kubelet-client-2026.pem"), "KUBELET");
  // kubelet-client-current.pem is an absolute symlink on a real node: it must land inside the root.
  fs.symlinkSync("/var/lib/kubelet/pki/kubelet-client-2026.pem", path.join(root, "var/lib/kubelet/pki/kubelet-client-current.pem"));
  fs.symlinkSync("../kubernetes/pki/ca.crt", path.join(root, "etc/kubernetes/relative-ca.crt"));
  // Escapes: an absolute path to a host file, and a relative climb past the root.
  fs.symlinkSync(path.join(outside, "secret.pem"), path.join(root, "etc/kubernetes/pki/escape-absolute.crt"));
  fs.symlinkSync("../../../../outside/secret.pem", path.join(root, "etc/kubernetes/pki/escape-relative.crt"));
  fs.symlinkSync("loop-b", path.join(root, "etc/kubernetes/pki/loop-a"));
  fs.symlinkSync("loop-a", path.join(root, "etc/kubernetes/pki/loop-b"));
  execFileSync("mkfifo", [path.join(root, "etc/kubernetes/pki/fifo.crt")]);
  fs.writeFileSync(path.join(root, "etc/kubernetes/pki/big.crt"), Buffer.alloc(2048, 65));
});

afterAll(() => fs.rmSync(path.dirname(root), { recursive: true, force: true }));

describe("RootFs", () => {
  test("an absolute symlink resolves inside the root", () => {
    const read = new RootFs(root).readFile("/var/lib/kubelet/pki/kubelet-client-current.pem");
    expect(isFileProblem(read)).toBe(false);
    if (!isFileProblem(read)) {
      expect(read.bytes.toString()).toBe("KUBELET");
      expect(read.resolvedPath).toBe("/var/lib/kubelet/pki/kubelet-client-2026.pem");
    }
  });

  test("a relative symlink resolves from its directory", () => {
    const read = new RootFs(root).readFile("/etc/kubernetes/relative-ca.crt");
    expect(!isFileProblem(read) && read.bytes.toString()).toBe("CA");
  });

  test.each(["/etc/kubernetes/pki/escape-absolute.crt", "/etc/kubernetes/pki/escape-relative.crt", "/../../outside/secret.pem"])(
    "%s never reads outside the root",
    (nodePath) => {
      const read = new RootFs(root).readFile(nodePath);
      expect(isFileProblem(read)).toBe(true);
      if (isFileProblem(read)) expect(read.problem).toBe("missing");
    },
  );

  test("a symlink loop is a problem, not a hang", () => {
    const read = new RootFs(root).readFile("/etc/kubernetes/pki/loop-a");
    expect(isFileProblem(read) && read.problem).toBe("symlink-loop");
  });

  test("a FIFO is not read (no blocking on a writer)", () => {
    const read = new RootFs(root).readFile("/etc/kubernetes/pki/fifo.crt");
    expect(isFileProblem(read) && read.problem).toBe("not-a-file");
  });

  test("a directory is not a file", () => {
    const read = new RootFs(root).readFile("/etc/kubernetes/pki");
    expect(isFileProblem(read) && read.problem).toBe("not-a-file");
  });

  test("files over the size limit are refused without reading them", () => {
    const read = new RootFs(root, 1024).readFile("/etc/kubernetes/pki/big.crt");
    expect(isFileProblem(read) && read.problem).toBe("too-large");
  });

  test("a missing file names its path", () => {
    const read = new RootFs(root).readFile("/etc/kubernetes/pki/nope.crt");
    expect(isFileProblem(read) && read.message).toContain("/etc/kubernetes/pki/nope.crt does not exist");
  });
});
