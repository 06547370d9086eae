import { describe, expect, test } from "vitest";
import { reissueAdvice } from "../../src/check/describe.js";
import { makeCA, makeCert } from "../helpers/certs.js";
import { contextOf, role, type RefSpec } from "../helpers/context.js";

// How to replace a certificate no kubeadm command renews: the openssl sequence built from the
// certificate itself, its key and its CA's files as this node names them.
describe("reissueAdvice", () => {
  const hardway = async (extra: (ca: Awaited<ReturnType<typeof makeCA>>) => RefSpec[], leafRole?: string) => {
    const ca = await makeCA("Kubernetes");
    const leaf = await makeCert({ cn: "system:kube-proxy", o: ["system:node-proxier"], eku: ["clientAuth"], issuer: ca });
    const refs: RefSpec[] = [
      { component: "kube-apiserver", flag: "--client-ca-file", path: "/var/lib/kubernetes/ca.pem", kind: "ca-bundle", certs: [ca.cert], role: "ca" },
      { component: "kube-proxy", field: "client-certificate", path: "/var/lib/kube-proxy/kube-proxy.pem", certs: [leaf.cert], key: { path: "/var/lib/kube-proxy/kube-proxy-key.pem", field: "client-key" }, ...(leafRole ? { role: leafRole } : {}) },
      ...extra(ca),
    ];
    const ctx = contextOf({ refs });
    const certificate = ctx.certificates.find((c) => c.path === "/var/lib/kube-proxy/kube-proxy.pem")!;
    return reissueAdvice(certificate, ctx);
  };

  test("keeps the subject and usages, signs with the CA and cfssl's ca-key.pem next to ca.pem, restarts the role's component", async () => {
    const advice = await hardway(() => [], "kube-proxy");
    expect(advice.split("\n")).toEqual([
      'openssl req -new -key /var/lib/kube-proxy/kube-proxy-key.pem -subj "/CN=system:kube-proxy/O=system:node-proxier" -out /tmp/reissue.csr',
      "openssl x509 -req -in /tmp/reissue.csr -CA /var/lib/kubernetes/ca.pem -CAkey /var/lib/kubernetes/ca-key.pem -CAcreateserial -days 365 -extfile <(printf 'extendedKeyUsage=clientAuth\\nkeyUsage=critical,digitalSignature,keyEncipherment') -out /var/lib/kube-proxy/kube-proxy.pem",
      `Then restart ${role("kube-proxy").restart}`,
    ]);
  });

  test("the CA's key comes from the flag that pairs it (--cluster-signing-key-file) when one does", async () => {
    const advice = await hardway((ca) => [
      { component: "kube-controller-manager", flag: "--cluster-signing-cert-file", path: "/var/lib/kubernetes/ca.pem", certs: [ca.cert], key: { path: "/srv/secrets/signing.key", flag: "--cluster-signing-key-file" } },
    ]);
    expect(advice).toContain("-CA /var/lib/kubernetes/ca.pem -CAkey /srv/secrets/signing.key ");
    // No role: nothing says which component to restart.
    expect(advice).toMatch(/\nThen restart every component that uses it\.$/);
  });
});
