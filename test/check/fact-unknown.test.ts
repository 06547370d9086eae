import { describe, expect, test } from "vitest";
import { factUnknown } from "../../src/check/checks/fact-unknown.js";
import type { Facts, Finding } from "../../src/model.js";
import { makeCert } from "../helpers/certs.js";
import { FACTS, findingsOf, type ContextSpec, type RefSpec } from "../helpers/context.js";

const REFS = {
  apiserver: { component: "kube-apiserver", flag: "--tls-cert-file", path: "/etc/kubernetes/pki/apiserver.crt", purpose: "serving" },
  "etcd-server": { component: "etcd", flag: "--cert-file", path: "/etc/kubernetes/pki/etcd/server.crt", purpose: "serving" },
  "etcd-peer": { component: "etcd", flag: "--peer-cert-file", path: "/etc/kubernetes/pki/etcd/peer.crt", purpose: "peer" },
  "kubelet-client": {
    component: "kubelet",
    flag: "--kubeconfig",
    field: "client-certificate",
    path: "/var/lib/kubelet/pki/kubelet-client-current.pem",
    kubeconfig: "/etc/kubernetes/kubelet.conf",
  },
  "scheduler.conf": { component: "kube-scheduler", flag: "--kubeconfig", field: "client-certificate-data", path: "/etc/kubernetes/scheduler.conf" },
} satisfies Record<string, Omit<RefSpec, "role" | "certs">>;
type RoleId = keyof typeof REFS;

const without = (...names: Array<keyof Facts>): Facts => {
  const facts: Facts = { ...FACTS };
  for (const name of names) delete facts[name];
  return facts;
};

/** One certificate per role, under the given facts. */
const node =
  (facts: Facts, ...roles: RoleId[]) =>
  async (): Promise<ContextSpec> => ({
    facts,
    refs: await Promise.all(roles.map(async (roleId) => ({ ...REFS[roleId], role: roleId, certs: [(await makeCert({ cn: roleId })).cert] }))),
  });

const unknown = (fact: string, ...roles: string[]): Partial<Finding> => ({
  id: "fact-unknown",
  severity: "info",
  component: "node",
  path: "/",
  role: null,
  expected: `a value for ${fact}`,
  actual: "unknown",
  // every role that needs the fact, in the order their certificates were loaded, and no other
  message: expect.stringMatching(new RegExp(`^could not determine ${fact} \\(.*\\); expectations of ${roles.join(", ")} that use it were not checked$`)),
});

interface Case {
  name: string;
  spec: () => Promise<ContextSpec>;
}
interface FailCase extends Case {
  findings: Array<Partial<Finding>>;
}

const passes: Case[] = [
  { name: "full facts with apiserver, etcd-server, etcd-peer and kubelet-client certificates", spec: node(FACTS, "apiserver", "etcd-server", "etcd-peer", "kubelet-client") },
  { name: "facts without advertiseAddress, but no certificate whose role uses it", spec: node(without("advertiseAddress"), "scheduler.conf", "kubelet-client") },
  { name: "facts without advertiseAddress and no certificates at all", spec: node(without("advertiseAddress")) },
  { name: "facts without etcdServerHosts with only an apiserver certificate (apiserver does not use it)", spec: node(without("etcdServerHosts"), "apiserver") },
];

const fails: FailCase[] = [
  {
    name: "facts without advertiseAddress + apiserver certificate → one info finding naming advertiseAddress and apiserver",
    spec: node(without("advertiseAddress"), "apiserver"),
    findings: [unknown("advertiseAddress", "apiserver")],
  },
  {
    name: "facts without advertiseAddress + three roles that use it → still one finding, naming every role",
    spec: node(without("advertiseAddress"), "apiserver", "etcd-server", "etcd-peer", "scheduler.conf"),
    findings: [unknown("advertiseAddress", "apiserver", "etcd-server", "etcd-peer")],
  },
  {
    name: "facts without nodeName + kubelet-client (CN system:node:${nodeName}) → one finding",
    spec: node(without("nodeName"), "kubelet-client"),
    findings: [unknown("nodeName", "kubelet-client")],
  },
  {
    name: "etcdServerHosts = [] counts as unknown for etcd-server",
    spec: node({ ...FACTS, etcdServerHosts: [] }, "etcd-server"),
    findings: [unknown("etcdServerHosts", "etcd-server")],
  },
  {
    name: "no facts at all + apiserver → one finding per missing fact (nodeName, clusterDomain, serviceIP, advertiseAddress)",
    spec: node({}, "apiserver"),
    findings: [unknown("advertiseAddress", "apiserver"), unknown("clusterDomain", "apiserver"), unknown("nodeName", "apiserver"), unknown("serviceIP", "apiserver")],
  },
];

describe("fact-unknown", () => {
  test.each(passes)("passes: $name", async ({ spec }) => {
    expect(findingsOf(factUnknown, await spec())).toEqual([]);
  });

  test.each(fails)("fails: $name", async ({ spec, findings }) => {
    expect(findingsOf(factUnknown, await spec())).toEqual(findings.map((f) => expect.objectContaining(f)));
  });

  test("the message names the fact, where it comes from and the role", async () => {
    const [finding] = findingsOf(factUnknown, await node(without("advertiseAddress"), "apiserver")());
    expect(finding?.message).toContain("advertiseAddress");
    expect(finding?.message).toContain("kube-apiserver --advertise-address");
    expect(finding?.message).toContain("apiserver");
  });
});
