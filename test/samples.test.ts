import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import * as fs from "node:fs";
import { describe, expect, test } from "vitest";
import type { Report } from "../src/model.js";
import { renderReport } from "../src/report/render.js";
import { AUDIT_AT, EXPECTATIONS } from "../scripts/samples/expected.js";
import { checkAll } from "../scripts/samples/generate.js";
import { auditTree } from "./helpers/audit.js";

const reportSchema = JSON.parse(fs.readFileSync(new URL("../schema/report.schema.json", import.meta.url), "utf8"));
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats.default(ajv);
const validateReport = ajv.compile(reportSchema);

interface Expected {
  id: string;
  severity: string;
  component: string;
  path: string;
  flag: string;
}

interface Sample {
  name: string;
  root: string;
  at: string;
  exitCode: number;
  findings: Expected[];
  mayReport: Expected[];
  /** Certificate paths that must carry nothing worse than info. */
  clean: string[];
}

const key = (f: { id: string; severity: string; component: string; path: string; flag: string | null }) => `${f.severity} ${f.id} ${f.component} ${f.path} ${f.flag}`;

const generated: Sample[] = Object.entries(EXPECTATIONS).map(([name, e]) => ({
  name,
  root: `sample-clusters/${name}`,
  at: AUDIT_AT,
  exitCode: e.exitCode,
  findings: e.findings,
  mayReport: e.mayReport,
  clean: e.clean,
}));

/**
 * The tree built with openssl alone (test/fixtures/independent/…/README.md): three injected
 * faults, and nothing else may be reported worse than info.
 */
const independent: Sample = {
  name: "independent-kubeadm-v1.28-openssl",
  root: "test/fixtures/independent/kubeadm-v1.28-openssl/tree",
  at: "2026-06-01T00:00:00Z",
  exitCode: 2,
  findings: [
    { id: "san-missing", severity: "critical", component: "kube-apiserver", path: "/etc/kubernetes/pki/apiserver.crt", flag: "--tls-cert-file" },
    { id: "cert-expired", severity: "critical", component: "etcdctl", path: "/etc/kubernetes/pki/etcd/healthcheck-client.crt", flag: "" },
    { id: "cn-mismatch", severity: "critical", component: "kube-controller-manager", path: "/etc/kubernetes/controller-manager.conf", flag: "client-certificate-data" },
    // Fault (a) seen as the connections it breaks: controller-manager.conf and scheduler.conf dial https://10.0.0.15:6443.
    { id: "trust-edge-broken", severity: "critical", component: "kube-apiserver", path: "/etc/kubernetes/pki/apiserver.crt", flag: "--tls-cert-file" },
  ],
  mayReport: [],
  clean: [
    "/etc/kubernetes/pki/ca.crt",
    "/etc/kubernetes/pki/etcd/server.crt",
    "/etc/kubernetes/pki/etcd/peer.crt",
    "/etc/kubernetes/pki/apiserver-etcd-client.crt",
    "/etc/kubernetes/pki/apiserver-kubelet-client.crt",
    "/etc/kubernetes/pki/front-proxy-client.crt",
    "/etc/kubernetes/admin.conf",
    "/etc/kubernetes/scheduler.conf",
    "/var/lib/kubelet/pki/kubelet-client-current.pem",
    "/var/lib/kubelet/pki/kubelet.crt",
  ],
};

/**
 * A hand-built ("the hard way") node made with openssl alone
 * (test/fixtures/independent/hardway-systemd-openssl/README.md): systemd units, one kubernetes.pem
 * for several purposes, an etcd unit whose template variables were never defined, a
 * controller-manager certificate from a same-named foreign CA, and a service-account key pair
 * that does not match. kubeadm's naming rules must not fire.
 */
const hardway: Sample = {
  name: "independent-hardway-systemd-openssl",
  root: "test/fixtures/independent/hardway-systemd-openssl/tree",
  at: "2026-06-01T00:00:00Z",
  exitCode: 2,
  findings: [
    { id: "unresolved-variable", severity: "warning", component: "etcd", path: "/etc/systemd/system/etcd.service", flag: "" },
    { id: "trust-edge-broken", severity: "critical", component: "kube-controller-manager", path: "/var/lib/kubernetes/kube-controller-manager.kubeconfig", flag: "client-certificate-data" },
    // The same fault seen by the controller manager's identity role, which Kubernetes (RBAC) holds on every node: not from the cluster CA.
    { id: "issuer-mismatch", severity: "critical", component: "kube-controller-manager", path: "/var/lib/kubernetes/kube-controller-manager.kubeconfig", flag: "client-certificate-data" },
    { id: "key-mismatch", severity: "critical", component: "kube-apiserver", path: "/var/lib/kubernetes/service-account-key.pem", flag: "--service-account-signing-key-file" },
  ],
  mayReport: [
    // The controller manager signs legacy tokens with the same mismatched key (README: allowed).
    { id: "key-mismatch", severity: "critical", component: "kube-controller-manager", path: "/var/lib/kubernetes/service-account-key.pem", flag: "--service-account-private-key-file" },
  ],
  clean: ["/var/lib/kubernetes/kubernetes.pem", "/etc/etcd/kubernetes.pem", "/var/lib/kubernetes/ca.pem", "/etc/etcd/ca.pem"],
};

const samples = [...generated, independent, hardway];

function scrub(report: Report): Report {
  return { ...report, generatedAt: "<generatedAt>" };
}

describe.each(samples)("sample $name", (sample) => {
  const report = auditTree(sample.root, new Date(sample.at));

  test("reports exactly the documented findings worse than info", () => {
    const actual = report.findings.filter((f) => f.severity !== "info").map((f) => key({ ...f, flag: f.flag ?? "" }));
    const required = sample.findings.map(key);
    const allowed = new Set([...required, ...sample.mayReport.map(key)]);
    for (const finding of required) expect(actual).toContain(finding);
    for (const finding of actual) expect(allowed).toContain(finding);
  });

  test("exit code", () => {
    expect(report.summary.exitCode).toBe(sample.exitCode);
  });

  test("healthy certificates stay clean", () => {
    for (const path of sample.clean) {
      const records = report.certificates.filter((c) => c.path === path || c.resolvedPath === path);
      expect(records.length, `${path} was audited`).toBeGreaterThan(0);
      for (const record of records) expect(record.status, `${path} #${record.index}`).toBe("ok");
    }
  });

  test("JSON report matches schema/report.schema.json", () => {
    const valid = validateReport(JSON.parse(renderReport(report, "json", { color: false, width: 200 })));
    expect(validateReport.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  test("golden JSON report", async () => {
    await expect(renderReport(scrub(report), "json", { color: false, width: 200 })).toMatchFileSnapshot(`golden/${sample.name}.json`);
  });

  test("golden table report", async () => {
    await expect(renderReport(scrub(report), "table", { color: false, width: 200 })).toMatchFileSnapshot(`golden/${sample.name}.table.txt`);
  });
});

test("committed sample clusters are exactly what the generator makes from its spec", async () => {
  const result = await checkAll();
  expect(result.differences).toEqual([]);
  expect(result.identical).toBe(true);
}, 120_000);
