import { describe, expect, test } from "vitest";
import { auditTree } from "../helpers/audit.js";

// The independent hard-way controller (test/fixtures/independent/hardway-systemd-openssl/README.md):
// its controller-manager kubeconfig carries a certificate from another CA (fault a); it runs no
// kubelet, no kube-proxy and has no admin kubeconfig.
describe("connections of the report", () => {
  const report = auditTree("test/fixtures/independent/hardway-systemd-openssl/tree", new Date("2026-06-01T00:00:00Z"));
  const status = (id: string) => report.connections.find((c) => c.id === id)?.status;

  test.each([
    ["controller-manager-to-apiserver", "broken", "fault (a): the client certificate does not chain to --client-ca-file"],
    ["apiserver-to-etcd", "ok", "both ends are on this node and kubernetes.pem carries 10.240.0.10"],
    ["scheduler-to-apiserver", "ok", "followed through --config"],
    ["apiserver-to-kubelet", "partial", "the kubelet runs on the workers, not here"],
    ["kubelet-to-apiserver", "partial", "the kubelets on other nodes dial this API server; only its end is here"],
  ])("%s is %s (%s)", (id, expected) => {
    expect(status(id)).toBe(expected);
  });

  test("a connection with no end on this node is not listed", () => {
    expect(status("admin-to-apiserver")).toBeUndefined();
    expect(status("front-proxy-to-extension-apiservers")).toBeUndefined();
  });

  test("a broken connection is the one its trust-edge-broken finding names", () => {
    const named = report.findings.filter((f) => f.id === "trust-edge-broken").map((f) => f.connection);
    expect(named).toEqual(["controller-manager-to-apiserver"]);
    expect(report.connections.filter((c) => c.status === "broken").map((c) => c.id)).toEqual(named);
  });
});
