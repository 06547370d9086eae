import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, expect, test, vi } from "vitest";
import { RootFs } from "../../src/load/root-fs.js";
import { MaterialStore } from "../../src/load/store.js";
import { makeCA } from "../helpers/certs.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "kca-store-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test("a file named by several flags, directly and through a symlink, is read and decoded once", async () => {
  const { cert } = await makeCA("kubernetes");
  fs.mkdirSync(path.join(root, "etc/kubernetes/pki"), { recursive: true });
  fs.writeFileSync(path.join(root, "etc/kubernetes/pki/ca.crt"), `-----BEGIN CERTIFICATE-----\n${cert.der.toString("base64")}\n-----END CERTIFICATE-----\n`);
  fs.symlinkSync("/etc/kubernetes/pki/ca.crt", path.join(root, "etc/kubernetes/ca-link.crt"));
  // readResolved is where RootFs opens and reads a file; it must run once for all three lookups.
  const openSpy = vi.spyOn(RootFs.prototype as unknown as { readResolved: () => unknown }, "readResolved");
  const store = new MaterialStore(new RootFs(root));
  const first = store.file("/etc/kubernetes/pki/ca.crt");
  const again = store.file("/etc/kubernetes/pki/ca.crt");
  const viaLink = store.file("/etc/kubernetes/ca-link.crt");
  expect(openSpy).toHaveBeenCalledTimes(1);
  openSpy.mockRestore();
  expect(again).toBe(first);
  expect("material" in viaLink && "material" in first && viaLink.material).toBe("material" in first && first.material);
});
