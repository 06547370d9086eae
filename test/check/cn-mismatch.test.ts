import { describe, expect, test } from "vitest";
import { cnMismatch } from "../../src/check/checks/cn-mismatch.js";
import { makeCert } from "../helpers/certs.js";
import { findingsOf } from "../helpers/context.js";

const scheduler = (cn: string) => async () => ({
  refs: [{ component: "kube-scheduler", flag: "--kubeconfig", field: "client-certificate-data", path: "/etc/kubernetes/scheduler.conf", role: "scheduler.conf", certs: [(await makeCert({ cn })).cert] }],
});

describe("cn-mismatch", () => {
  test.each([
    ["scheduler CN system:kube-scheduler", "system:kube-scheduler"],
  ])("passes: %s", async (_name, cn) => {
    expect(findingsOf(cnMismatch, await scheduler(cn)())).toEqual([]);
  });

  test("fails critical: scheduler CN without the system: prefix", async () => {
    const findings = findingsOf(cnMismatch, await scheduler("kube-scheduler")());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ id: "cn-mismatch", severity: "critical", role: "scheduler.conf", expected: "system:kube-scheduler", actual: "kube-scheduler" });
  });
});
