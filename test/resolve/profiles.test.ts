import { describe, expect, test } from "vitest";
import { profilesFor } from "../../src/audit.js";
import { discover } from "../../src/discover/discover.js";
import { RootFs } from "../../src/load/root-fs.js";
import { resolveReferences } from "../../src/resolve/references.js";
import { BUNDLED_RULES } from "../helpers/context.js";

// Which role each reference of a hand-built node plays, by profile: kubeadm's naming roles never
// reach a hand-built node on their own, the run-time identity and CA roles always do.
describe("roles by profile on a hand-built node", () => {
  const discovery = discover(new RootFs("test/fixtures/independent/hardway-systemd-openssl/tree"));
  const rolesUnder = (choice: "auto" | "kubeadm" | "hardway") => {
    const refs = resolveReferences(discovery, BUNDLED_RULES, profilesFor(discovery.layout, choice));
    const roleOf = (component: string, flagOrField: string) => refs.find((r) => r.ref.component === component && (r.ref.flag === flagOrField || r.ref.field === flagOrField))?.ref.role;
    return {
      serving: roleOf("kube-apiserver", "--tls-cert-file"),
      etcdClient: roleOf("kube-apiserver", "--etcd-certfile"),
      etcdPeer: roleOf("etcd", "--peer-cert-file"),
      clientCA: roleOf("kube-apiserver", "--client-ca-file"),
      controllerManager: roleOf("kube-controller-manager", "client-certificate-data"),
      scheduler: roleOf("kube-scheduler", "client-certificate-data"),
    };
  };

  test("auto on a systemd layout: hardway roles for purposes, kubernetes roles for identities and CAs", () => {
    expect(discovery.layout).toBe("systemd");
    expect(rolesUnder("auto")).toEqual({
      serving: "hardway-apiserver",
      etcdClient: "hardway-apiserver-etcd-client",
      etcdPeer: "hardway-etcd-peer",
      clientCA: "ca",
      controllerManager: "controller-manager.conf",
      scheduler: "scheduler.conf",
    });
  });

  test("--profile kubeadm forces kubeadm's naming roles; the run-time roles stay", () => {
    expect(rolesUnder("kubeadm")).toEqual({
      serving: "apiserver",
      etcdClient: "apiserver-etcd-client",
      etcdPeer: "etcd-peer",
      clientCA: "ca",
      controllerManager: "controller-manager.conf",
      scheduler: "scheduler.conf",
    });
  });

  test("no role of profile kubeadm is given under auto", () => {
    const profiles = profilesFor(discovery.layout, "auto");
    const refs = resolveReferences(discovery, BUNDLED_RULES, profiles);
    const kubeadmRoles = new Set(BUNDLED_RULES.roles.filter((r) => r.profile === "kubeadm").map((r) => r.id));
    expect(refs.filter((r) => r.ref.role && kubeadmRoles.has(r.ref.role))).toEqual([]);
  });
});
