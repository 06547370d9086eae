import { describe, expect, test } from "vitest";
import { makeCA, makeCert, testKey } from "./helpers/certs.js";
import { contextOf } from "./helpers/context.js";

const KUBELET_CRT = "/var/lib/kubelet/pki/kubelet.crt";

describe("buildContext", () => {
  test("one certificate named by several flags is one entry with every reference", async () => {
    const ca = (await makeCA("kubernetes")).cert;
    const ctx = contextOf({
      refs: [
        { component: "kube-apiserver", flag: "--client-ca-file", path: "/etc/kubernetes/pki/ca.crt", kind: "ca-bundle", purpose: "verify-clients", role: "ca", certs: [ca] },
        { component: "kube-controller-manager", flag: "--root-ca-file", path: "/etc/kubernetes/pki/ca.crt", kind: "ca-bundle", purpose: "root-ca", role: "ca", certs: [ca] },
      ],
    });
    expect(ctx.certificates).toHaveLength(1);
    expect(ctx.certificates[0]?.references.map((r) => r.flag)).toEqual(["--client-ca-file", "--root-ca-file"]);
    expect(ctx.caCertificates("ca")).toHaveLength(1);
  });

  test("a chain member is listed with its file's reference but without the role", async () => {
    const ca = await makeCA("cp-1-ca@1");
    const leaf = (await makeCert({ cn: "cp-1@1", issuer: ca, eku: ["serverAuth"] })).cert;
    const ctx = contextOf({ refs: [{ component: "kubelet", field: "tlsCertFile", path: KUBELET_CRT, purpose: "serving", role: "kubelet-serving", certs: [leaf, ca.cert] }] });
    expect(ctx.certificates.map((c) => [c.index, c.roles.map((r) => r.id), c.references[0]?.role])).toEqual([
      [0, ["kubelet-serving"], "kubelet-serving"],
      [1, [], undefined],
    ]);
    expect(ctx.certificates.map((c) => c.expirySeverityCap)).toEqual(["warning", "warning"]);
  });

  test("the validity cap is dropped when another use of the file has no cap", async () => {
    const leaf = (await makeCert({ cn: "cp-1@1", eku: ["serverAuth"] })).cert;
    const ctx = contextOf({
      refs: [
        { component: "kubelet", field: "tlsCertFile", path: KUBELET_CRT, purpose: "serving", role: "kubelet-serving", certs: [leaf] },
        { component: "kube-apiserver", flag: "--kubelet-certificate-authority", path: KUBELET_CRT, kind: "ca-bundle", purpose: "verify-server", certs: [leaf] },
      ],
    });
    expect(ctx.certificates[0]?.expirySeverityCap).toBeUndefined();
  });

  test("issuersOf finds the verifying CA by signature, never the certificate itself", async () => {
    const ca = await makeCA("kubernetes");
    // Same name, its own key: only the signature can tell them apart.
    const impostor = await makeCA("kubernetes", { key: await testKey({ kind: "ec" }, 7) });
    const leaf = (await makeCert({ cn: "kube-apiserver", issuer: ca, eku: ["serverAuth"] })).cert;
    const ctx = contextOf({
      refs: [
        { component: "kube-apiserver", flag: "--client-ca-file", path: "/etc/kubernetes/pki/ca.crt", kind: "ca-bundle", purpose: "verify-clients", role: "ca", certs: [impostor.cert, ca.cert] },
        { component: "kube-apiserver", flag: "--tls-cert-file", path: "/etc/kubernetes/pki/apiserver.crt", purpose: "serving", role: "apiserver", certs: [leaf] },
      ],
    });
    const apiserver = ctx.certificates.find((c) => c.path.endsWith("apiserver.crt"))!;
    expect(ctx.issuersOf(apiserver).map((c) => c.index)).toEqual([1]);
    const root = ctx.certificates.find((c) => c.index === 1)!;
    expect(ctx.issuersOf(root)).toEqual([]);
  });
});
