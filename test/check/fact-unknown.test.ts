import { describe, expect, test } from "vitest";
import { factUnknown } from "../../src/check/checks/fact-unknown.js";
import type { Facts, Finding } from "../../src/model.js";
import { makeCert } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { FACTS, factsWithout, findingsOf, kubeadmRef, type ContextSpec, type KubeadmRole } from "../helpers/context.js";

/** One certificate per role, under the given facts. */
const node =
  (facts: Facts, ...roles: KubeadmRole[]) =>
  async (): Promise<ContextSpec> => ({
    facts,
    refs: await Promise.all(roles.map(async (roleId) => kubeadmRef(roleId, { certs: [(await makeCert({ cn: roleId })).cert] }))),
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

const passes: PassCase[] = [
  { name: "full facts with apiserver, etcd-server, etcd-peer and kubelet-client certificates", spec: node(FACTS, "apiserver", "etcd-server", "etcd-peer", "kubelet-client") },
  { name: "facts without advertiseAddress, but no certificate whose role uses it", spec: node(factsWithout("advertiseAddress"), "scheduler.conf", "kubelet-client") },
  { name: "facts without advertiseAddress and no certificates at all", spec: node(factsWithout("advertiseAddress")) },
  { name: "facts without etcdServerHosts with only an apiserver certificate (apiserver does not use it)", spec: node(factsWithout("etcdServerHosts"), "apiserver") },
];

const fails: FailCase[] = [
  {
    name: "facts without advertiseAddress + apiserver certificate → one info finding naming advertiseAddress and apiserver",
    spec: node(factsWithout("advertiseAddress"), "apiserver"),
    findings: [unknown("advertiseAddress", "apiserver")],
  },
  {
    name: "facts without advertiseAddress + three roles that use it → still one finding, naming every role",
    spec: node(factsWithout("advertiseAddress"), "apiserver", "etcd-server", "etcd-peer", "scheduler.conf"),
    findings: [unknown("advertiseAddress", "apiserver", "etcd-server", "etcd-peer")],
  },
  {
    name: "facts without nodeName + kubelet-client (CN system:node:${nodeName}) → one finding",
    spec: node(factsWithout("nodeName"), "kubelet-client"),
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

checkTable(factUnknown, { passes, fails });

describe("fact-unknown message", () => {
  test("the message names the fact, where it comes from and the role", async () => {
    const [finding] = findingsOf(factUnknown, await node(factsWithout("advertiseAddress"), "apiserver")());
    expect(finding?.message).toContain("advertiseAddress");
    expect(finding?.message).toContain("kube-apiserver --advertise-address");
    expect(finding?.message).toContain("apiserver");
  });
});
