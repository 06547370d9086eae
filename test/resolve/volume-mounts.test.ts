import { describe, expect, test } from "vitest";
import { resolveStaticPodPath } from "../../src/resolve/volume-mounts.js";

const pod = {
  mounts: [
    { name: "k8s-certs", mountPath: "/etc/kubernetes/pki" },
    { name: "etcd-certs", mountPath: "/etc/kubernetes/pki/etcd" },
    { name: "renamed", mountPath: "/certs/" },
    { name: "one-file", mountPath: "/etc/kubernetes/scheduler.conf" },
    { name: "sub", mountPath: "/sub", subPath: "nested/dir" },
    { name: "no-volume", mountPath: "/orphan" },
  ],
  hostPaths: new Map([
    ["k8s-certs", "/etc/kubernetes/pki"],
    ["etcd-certs", "/srv/etcd-pki"],
    ["renamed", "/var/lib/kubernetes"],
    ["one-file", "/etc/kubernetes/scheduler.conf"],
    ["sub", "/data"],
  ]),
};

describe("resolveStaticPodPath", () => {
  test.each([
    ["/etc/kubernetes/pki/apiserver.crt", "/etc/kubernetes/pki/apiserver.crt"],
    ["/etc/kubernetes/pki/etcd/ca.crt", "/srv/etcd-pki/ca.crt"], // longest mount wins
    ["/certs/ca.pem", "/var/lib/kubernetes/ca.pem"],
    ["/etc/kubernetes/scheduler.conf", "/etc/kubernetes/scheduler.conf"],
    ["/sub/x.crt", "/data/nested/dir/x.crt"],
    ["/etc/kubernetes/pki/../pki/ca.crt", "/etc/kubernetes/pki/ca.crt"],
  ])("%s → %s", (containerPath, nodePath) => {
    expect(resolveStaticPodPath(pod, containerPath)).toBe(nodePath);
  });

  test.each(["/etc/kubernetes/admin.conf", "/etc/kubernetes/pkiextra/ca.crt", "/orphan/x", "/etc/kubernetes/pki/../admin.conf"])("%s is not mounted", (containerPath) => {
    expect(resolveStaticPodPath(pod, containerPath)).toBeNull();
  });
});
