import { afterEach, describe, expect, test, vi } from "vitest";
import { RootFs } from "../../src/load/root-fs.js";
import { auditTree } from "../helpers/audit.js";

// The hard way's kubernetes.pem is the API server's serving certificate, its etcd client
// certificate and its kubelet client certificate at once (three flags, one file).
const ROOT = "test/fixtures/independent/hardway-systemd-openssl/tree";
const AT = new Date("2026-06-01T00:00:00Z");
const SHARED = "/var/lib/kubernetes/kubernetes.pem";

describe("one certificate named by several flags", () => {
  afterEach(() => vi.restoreAllMocks());

  test("is read from disk once", () => {
    const reads = vi.spyOn(RootFs.prototype as unknown as { readResolved: (nodePath: string, resolved: string) => unknown }, "readResolved");
    auditTree(ROOT, AT);
    expect(reads.mock.calls.filter(([, resolved]) => resolved === SHARED)).toHaveLength(1);
  });

  test("is listed once, with every reference and the role each gives it", () => {
    const report = auditTree(ROOT, AT);
    const entries = report.certificates.filter((c) => c.path === SHARED);
    expect(entries).toHaveLength(1);
    const refs = entries[0]!.references.map((r) => `${r.component} ${r.flag} ${r.role}`).sort();
    expect(refs).toEqual([
      "kube-apiserver --etcd-certfile hardway-apiserver-etcd-client",
      "kube-apiserver --kubelet-client-certificate hardway-apiserver-kubelet-client",
      "kube-apiserver --tls-cert-file hardway-apiserver",
    ]);
    expect([...entries[0]!.roles].sort()).toEqual(["hardway-apiserver", "hardway-apiserver-etcd-client", "hardway-apiserver-kubelet-client"]);
  });
});
