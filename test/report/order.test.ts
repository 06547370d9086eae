import { expect, test } from "vitest";
import { compareText } from "../../src/order.js";

test("reports sort text by code point, the same under every locale", () => {
  const paths = ["/etc/kubernetes/pki/apiserver.crt", "/etc/kubernetes/pki/apiserver-etcd-client.crt", "/etc/kubernetes/admin.conf", "/etc/kubernetes/Admin.conf", "/etc/kubernetes/é.conf", "/etc/kubernetes/z.conf"];
  // A locale-aware collation would put "Admin" beside "admin", "é" before "z", and "." before "-".
  expect([...paths].sort(compareText)).toEqual([
    "/etc/kubernetes/Admin.conf",
    "/etc/kubernetes/admin.conf",
    "/etc/kubernetes/pki/apiserver-etcd-client.crt",
    "/etc/kubernetes/pki/apiserver.crt",
    "/etc/kubernetes/z.conf",
    "/etc/kubernetes/é.conf",
  ]);
  expect(compareText("a", "a")).toBe(0);
});
