import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { reissueAdvice, shellWord } from "../../src/check/describe.js";
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

  test("an embedded client certificate: the key comes out of the kubeconfig and the new certificate goes back in", async () => {
    const ca = await makeCA("Kubernetes");
    const wrong = await makeCA("Kubernetes");
    const leaf = await makeCert({ cn: "admin", o: ["system:masters"], eku: ["clientAuth"], issuer: wrong });
    const kubeconfig = "/root/admin.kubeconfig";
    const ctx = contextOf({
      profiles: ["kubernetes", "hardway"],
      refs: [
        { component: "kube-apiserver", flag: "--client-ca-file", path: "/var/lib/kubernetes/ca.crt", kind: "ca-bundle", certs: [ca.cert], role: "ca" },
        { component: "kube-controller-manager", flag: "--cluster-signing-cert-file", path: "/var/lib/kubernetes/ca.crt", certs: [ca.cert], role: "ca", key: { path: "/var/lib/kubernetes/ca.key", flag: "--cluster-signing-key-file" } },
        { component: "admin", field: "client-certificate-data", path: kubeconfig, kubeconfig, embedded: true, certs: [leaf.cert], role: "admin-kubeconfig" },
      ],
    });
    const advice = reissueAdvice(ctx.certificates.find((c) => c.path === kubeconfig)!, ctx).split("\n");
    expect(advice[0]).toBe(`kubectl config view --kubeconfig ${kubeconfig} --raw -o jsonpath='{.users[0].user.client-key-data}' | base64 -d > /tmp/reissue.key`);
    expect(advice[1]).toBe('openssl req -new -key /tmp/reissue.key -subj "/CN=admin/O=system:masters" -out /tmp/reissue.csr');
    // Signed by the CA the role requires (the cluster CA and its key), not by the CA that signed it.
    expect(advice[2]).toContain("-CA /var/lib/kubernetes/ca.crt -CAkey /var/lib/kubernetes/ca.key ");
    expect(advice[2]).toContain("-out /tmp/reissue.crt");
    expect(advice[3]).toContain(`--kubeconfig ${kubeconfig} --client-certificate=/tmp/reissue.crt --client-key=/tmp/reissue.key --embed-certs=true`);
  });

  test("the subject a check asks for, and kubeadm's commands only on a kubeadm node", async () => {
    const ca = await makeCA("kubernetes");
    const leaf = await makeCert({ cn: "kube-scheduler", eku: ["clientAuth"], issuer: ca });
    const spec = (profiles: string[]) =>
      contextOf({
        profiles,
        refs: [
          { component: "kube-apiserver", flag: "--client-ca-file", path: "/etc/kubernetes/pki/ca.crt", kind: "ca-bundle", certs: [ca.cert], role: "ca" },
          { component: "kube-scheduler", flag: "--kubeconfig", field: "client-certificate", path: "/srv/sched.crt", certs: [leaf.cert], role: "scheduler.conf", key: { path: "/srv/sched.key", field: "client-key" } },
        ],
        endpoints: { flags: { "kube-scheduler": ["--kubeconfig=/srv/sched.conf"] } },
      });
    const kubeadm = spec(["kubernetes", "kubeadm"]);
    expect(reissueAdvice(kubeadm.certificates.find((c) => c.path === "/srv/sched.crt")!, kubeadm)).toContain(role("scheduler.conf").renew!);
    const handBuilt = spec(["kubernetes", "hardway"]);
    const advice = reissueAdvice(handBuilt.certificates.find((c) => c.path === "/srv/sched.crt")!, handBuilt, "regenerate", { cn: "system:kube-scheduler" });
    expect(advice).not.toContain("kubeadm");
    expect(advice).toContain('-subj "/CN=system:kube-scheduler"');
    expect(advice).toContain("-CA /etc/kubernetes/pki/ca.crt -CAkey /etc/kubernetes/pki/ca.key ");
    expect(advice.split("\n").at(-1)).toBe("Then restart kube-scheduler: systemctl restart kube-scheduler");
  });

  /**
   * Runs the suggested commands in bash with openssl and kubectl replaced by functions that print
   * their arguments (and the -extfile text), in an empty directory; returns each call's argv.
   */
  const runAdvice = (advice: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kca-advice-"));
    try {
      const stubs = [
        `openssl() { printf 'CALL\\0'; while [ $# -gt 0 ]; do if [ "$1" = -extfile ]; then printf '%s\\0' -extfile "$(cat "$2")"; shift 2; else printf '%s\\0' "$1"; shift; fi; done; }`,
        `kubectl() { printf 'CALL\\0'; printf '%s\\0' kubectl "$@"; }`,
        "base64() { cat >/dev/null; }",
      ];
      const commands = advice.split("\n").filter((line) => /^(openssl|kubectl) /.test(line));
      const out = execFileSync("bash", ["-c", [...stubs, ...commands].join("\n")], { cwd: dir, encoding: "utf8" });
      return { calls: out.split("CALL\0").slice(1).map((call) => call.split("\0").slice(0, -1)), files: fs.readdirSync(dir) };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  test("hostile names and paths reach the suggested commands as plain arguments, never as shell code", async () => {
    const ca = await makeCA("Kubernetes");
    const san = "x'$(touch pwned-san)'%n\\.example";
    const leaf = await makeCert({ cn: "system:kube-proxy", eku: ["clientAuth"], dns: [san], issuer: ca });
    const dir = "/var/lib/kube proxy/$(touch pwned-path)";
    const ctx = contextOf({
      refs: [
        { component: "kube-apiserver", flag: "--client-ca-file", path: "/var/lib/kubernetes/`touch pwned-ca`.pem", kind: "ca-bundle", certs: [ca.cert], role: "ca" },
        { component: "kube-proxy", field: "client-certificate", path: `${dir}/cert.pem`, certs: [leaf.cert], key: { path: `${dir}/key'.pem`, field: "client-key" } },
      ],
    });
    const cn = 'evil"; touch pwned-cn; echo "';
    const advice = reissueAdvice(ctx.certificates.find((c) => c.path === `${dir}/cert.pem`)!, ctx, "renew", { cn, o: ["$(touch pwned-o)"] });
    const { calls, files } = runAdvice(advice);
    // Nothing ran: no file named pwned-* was made.
    expect(files).toEqual([]);
    expect(calls).toEqual([
      ["req", "-new", "-key", `${dir}/key'.pem`, "-subj", `/CN=${cn}/O=$(touch pwned-o)`, "-out", "/tmp/reissue.csr"],
      [
        "x509", "-req", "-in", "/tmp/reissue.csr",
        "-CA", "/var/lib/kubernetes/`touch pwned-ca`.pem", "-CAkey", "/var/lib/kubernetes/`touch pwned-ca`-key.pem", "-CAcreateserial", "-days", "365",
        "-extfile", `subjectAltName=DNS:${san}\nextendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment`,
        "-out", `${dir}/cert.pem`,
      ],
    ]);
  });

  test("the usual paths and subjects read as before: unquoted paths, a double-quoted subject, one printf format", async () => {
    const advice = await hardway(() => [], "kube-proxy");
    expect(runAdvice(advice).calls[1]).toContain("extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment");
    expect(advice).toContain("-extfile <(printf 'extendedKeyUsage=clientAuth\\nkeyUsage=critical,digitalSignature,keyEncipherment')");
    expect(shellWord("/etc/kubernetes/pki/apiserver-etcd-client.crt")).toBe("/etc/kubernetes/pki/apiserver-etcd-client.crt");
    expect(shellWord("/srv/a b")).toBe("'/srv/a b'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
  });
});
