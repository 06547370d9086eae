/**
 * deploy/: the manifests that run the audit on every control-plane node. Every YAML document is
 * validated against the Kubernetes API schema (kubernetes-models: types, required fields, enums;
 * it does not reject unknown fields, hence the field checks), then held to what the README
 * promises: control-plane nodes only, every host path read-only under /host except the textfile
 * collector's directory, no capability, no API token, no writable root file system. Finally the
 * mounts are shown to be enough: a kubeadm node seen through them audits exactly like the whole
 * node.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadAll } from "js-yaml";
import { DaemonSet, type IDaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import { CronJob, type ICronJob } from "kubernetes-models/batch/v1/CronJob";
import { NetworkPolicy, type INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { ServiceAccount, type IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IPodTemplateSpec } from "kubernetes-models/v1/PodTemplateSpec";
import { afterAll, describe, expect, test } from "vitest";
import { parseCliOptions } from "../../src/cli/options.js";
import type { Report } from "../../src/model.js";
import { auditTree } from "../helpers/audit.js";
import { REPO } from "../helpers/cli.js";

const DEPLOY = path.join(REPO, "deploy");
const NAMESPACE = "kube-cert-audit";
const CONTAINER = "kube-cert-audit";
const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string; files: string[] };
const IMAGE = `ghcr.io/OWNER/kube-cert-audit:${PACKAGE.version}`;
/** node_exporter's textfile collector directory on the host, the one writable mount. */
const TEXTFILE_HOST_DIR = "/var/lib/node_exporter/textfile_collector";
/** Host paths that must never be mounted: the whole file system, home directories, all of the kubelet's state (every pod's Secrets). */
const NEVER_MOUNTED = ["/", "/etc", "/var", "/var/lib", "/root", "/home", "/var/lib/kubelet", "/run", "/proc", "/sys", "/dev"];

interface YamlDoc {
  file: string;
  doc: Record<string, unknown>;
}

function yamlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return yamlFiles(full);
      return /\.ya?ml$/.test(entry.name) ? [full] : [];
    })
    .sort();
}

/** Every YAML document in deploy/, with the file it came from (relative to deploy/). */
const DOCS: YamlDoc[] = yamlFiles(DEPLOY).flatMap((file) =>
  loadAll(fs.readFileSync(file, "utf8"))
    .filter((doc) => doc !== null && doc !== undefined)
    .map((doc) => ({ file: path.relative(DEPLOY, file), doc: doc as Record<string, unknown> })),
);
/** Whole objects for `kubectl apply` (deploy/*.yaml); strategic merge patches live in deploy/patches/. */
const OBJECTS = DOCS.filter((d) => !d.file.startsWith("patches/"));
const PATCHES = DOCS.filter((d) => d.file.startsWith("patches/"));

/** The one object of a kind in deploy/*.yaml. */
function only<T>(kind: string): T {
  const found = OBJECTS.filter((d) => d.doc.kind === kind);
  if (found.length !== 1) throw new Error(`deploy/ should hold exactly one ${kind}, not ${found.length}`);
  return found[0]!.doc as T;
}

const daemonSet = only<IDaemonSet>("DaemonSet");
const cronJob = only<ICronJob>("CronJob");

/** The two workloads, each with its pod template. */
const WORKLOADS: Array<{ name: string; template: IPodTemplateSpec }> = [
  { name: "DaemonSet", template: daemonSet.spec!.template },
  { name: "CronJob", template: cronJob.spec!.jobTemplate.spec!.template },
];

function podSpec(template: IPodTemplateSpec): IPodSpec {
  expect(template.spec, "pod template has a spec").toBeDefined();
  return template.spec!;
}

function auditContainer(spec: IPodSpec): IContainer {
  expect(spec.containers.map((c) => c.name)).toEqual([CONTAINER]);
  expect(spec.initContainers ?? []).toEqual([]);
  return spec.containers[0]!;
}

interface HostMount {
  volume: string;
  hostPath: string;
  hostPathType: string | undefined;
  mountPath: string;
  readOnly: boolean;
}

/** Each volume mount joined to its volume; a mount of anything but a hostPath fails the test. */
function hostMounts(spec: IPodSpec): HostMount[] {
  const volumes = new Map((spec.volumes ?? []).map((v) => [v.name, v]));
  return (auditContainer(spec).volumeMounts ?? []).map((mount) => {
    const volume = volumes.get(mount.name);
    expect(volume, `volume ${mount.name} is defined`).toBeDefined();
    expect(volume!.hostPath, `volume ${mount.name} is a hostPath`).toBeDefined();
    expect(mount.subPath ?? "", `${mount.name}: no subPath`).toBe("");
    return {
      volume: mount.name,
      hostPath: volume!.hostPath!.path,
      hostPathType: volume!.hostPath!.type,
      mountPath: mount.mountPath,
      readOnly: mount.readOnly === true,
    };
  });
}

/** The kubernetes-models class for each kind the manifests may hold. */
const MODELS: Record<string, { validate(doc: Record<string, unknown>): void }> = {
  Namespace: { validate: (doc) => new Namespace(doc as never).validate() },
  ServiceAccount: { validate: (doc) => new ServiceAccount(doc as never).validate() },
  NetworkPolicy: { validate: (doc) => new NetworkPolicy(doc as never).validate() },
  DaemonSet: { validate: (doc) => new DaemonSet(doc as never).validate() },
  CronJob: { validate: (doc) => new CronJob(doc as never).validate() },
};

/** Schema errors as readable lines, so a failure says which field is wrong. */
function schemaErrors(doc: Record<string, unknown>): string[] {
  const model = MODELS[String(doc.kind)];
  if (!model) return [`no schema for kind ${String(doc.kind)}: add its kubernetes-models class to MODELS`];
  try {
    model.validate(doc);
    return [];
  } catch (error) {
    const errors = (error as { errors?: Array<{ instancePath: string; message?: string }> }).errors;
    return errors ? errors.map((e) => `${e.instancePath} ${e.message ?? ""}`) : [String(error)];
  }
}

/** A strategic merge patch of the audit container's mounts and the pod's volumes, applied as the API server would (merge keys: name, mountPath). */
function applyMountPatch(template: IPodTemplateSpec, patchSpec: IPodSpec): IPodTemplateSpec {
  const merged = structuredClone(template);
  const spec = merged.spec!;
  const container = spec.containers.find((c) => c.name === CONTAINER)!;
  for (const patchContainer of patchSpec.containers ?? []) {
    expect(patchContainer.name, "a patch names the audit container").toBe(CONTAINER);
    for (const mount of patchContainer.volumeMounts ?? []) {
      container.volumeMounts = [...(container.volumeMounts ?? []).filter((m) => m.mountPath !== mount.mountPath), mount];
    }
  }
  for (const volume of patchSpec.volumes ?? []) spec.volumes = [...(spec.volumes ?? []).filter((v) => v.name !== volume.name), volume];
  return merged;
}

/** deploy/patches/<name>.<daemonset|cronjob>.yaml, each applied to its workload. */
const PATCHED: Array<{ file: string; workload: string; template: IPodTemplateSpec; doc: Record<string, unknown> }> = PATCHES.map(({ file, doc }) => {
  if (file.endsWith(".daemonset.yaml")) {
    const patched = structuredClone(daemonSet) as IDaemonSet;
    const patchSpec = (doc as unknown as IDaemonSet).spec!.template.spec!;
    patched.spec!.template = applyMountPatch(daemonSet.spec!.template, patchSpec);
    return { file, workload: "DaemonSet", template: patched.spec!.template, doc: patched as unknown as Record<string, unknown> };
  }
  if (file.endsWith(".cronjob.yaml")) {
    const patched = structuredClone(cronJob) as ICronJob;
    const patchSpec = (doc as unknown as ICronJob).spec!.jobTemplate.spec!.template.spec!;
    patched.spec!.jobTemplate.spec!.template = applyMountPatch(cronJob.spec!.jobTemplate.spec!.template, patchSpec);
    return { file, workload: "CronJob", template: patched.spec!.jobTemplate.spec!.template, doc: patched as unknown as Record<string, unknown> };
  }
  throw new Error(`deploy/${file}: a patch is named <name>.daemonset.yaml or <name>.cronjob.yaml`);
});

/** The workloads as shipped and as each patch leaves them: every one must keep the same guarantees. */
const ALL_TEMPLATES = [...WORKLOADS.map((w) => ({ label: w.name, workload: w.name, template: w.template })), ...PATCHED.map((p) => ({ label: `${p.workload} + ${p.file}`, workload: p.workload, template: p.template }))];

/** The audit's command line in the DaemonSet's shell loop: the one line that starts with the CLI's name. */
function daemonSetCommandLine(): string[] {
  const container = auditContainer(podSpec(daemonSet.spec!.template));
  expect(container.command).toEqual(["/bin/sh", "-c"]);
  const script = (container.args ?? []).join("\n");
  const lines = script.split("\n").map((l) => l.trim()).filter((l) => l.startsWith("kube-cert-audit "));
  expect(lines, "one kube-cert-audit command in the DaemonSet's loop").toHaveLength(1);
  return lines[0]!.split(/\s+/).slice(1);
}

describe("deploy/: every document", () => {
  test("deploy/ holds the expected objects", () => {
    expect(OBJECTS.map((d) => `${d.file}: ${String(d.doc.kind)}`).sort()).toEqual([
      "cronjob.yaml: CronJob",
      "daemonset.yaml: DaemonSet",
      "namespace.yaml: Namespace",
      "namespace.yaml: NetworkPolicy",
      "namespace.yaml: ServiceAccount",
    ]);
    expect(PATCHES.length).toBeGreaterThan(0);
  });

  test.each(OBJECTS.map((d) => [`${d.file} ${String(d.doc.kind)}`, d.doc] as const))("%s is valid against the Kubernetes API schema", (_name, doc) => {
    expect(schemaErrors(doc)).toEqual([]);
  });

  test.each(PATCHED.map((p) => [p.file, p.doc] as const))("the %s patch leaves a valid object", (_file, doc) => {
    expect(schemaErrors(doc)).toEqual([]);
  });

  test("every namespaced object is in the kube-cert-audit namespace", () => {
    for (const { file, doc } of OBJECTS.filter((d) => d.doc.kind !== "Namespace")) {
      expect((doc.metadata as { namespace?: string }).namespace, `${file} ${String(doc.kind)}`).toBe(NAMESPACE);
    }
    expect((only<{ metadata: { name: string } }>("Namespace")).metadata.name).toBe(NAMESPACE);
  });

  test("the namespace admits hostPath volumes (Pod Security 'privileged'), which Baseline forbids", () => {
    const ns = only<{ metadata: { labels?: Record<string, string> } }>("Namespace");
    expect(ns.metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe("privileged");
  });

  test("the service account mounts no API token, and the network policy denies all traffic", () => {
    const sa = only<IServiceAccount>("ServiceAccount");
    expect(sa.metadata?.name).toBe(CONTAINER);
    expect(sa.automountServiceAccountToken).toBe(false);
    const policy = only<INetworkPolicy>("NetworkPolicy");
    expect(policy.spec?.podSelector).toEqual({});
    expect([...(policy.spec?.policyTypes ?? [])].sort()).toEqual(["Egress", "Ingress"]);
    expect(policy.spec?.ingress ?? []).toEqual([]);
    expect(policy.spec?.egress ?? []).toEqual([]);
  });
});

describe.each(WORKLOADS)("$name: scheduling, identity, security", ({ name, template }) => {
  const spec = podSpec(template);
  const container = auditContainer(spec);

  test("runs on control-plane nodes only, tolerating their taint (and the pre-1.24 one)", () => {
    expect(spec.nodeSelector).toMatchObject({ "node-role.kubernetes.io/control-plane": "" });
    expect(spec.nodeName).toBeUndefined();
    for (const key of ["node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master"]) {
      expect(spec.tolerations, key).toContainEqual({ key, operator: "Exists", effect: "NoSchedule" });
    }
    // Nothing broader: a toleration without a key would let the pod onto any tainted node.
    for (const toleration of spec.tolerations ?? []) expect(toleration.key, JSON.stringify(toleration)).toBeTruthy();
  });

  test("the service account exists and no API token is mounted", () => {
    expect(spec.serviceAccountName).toBe(only<IServiceAccount>("ServiceAccount").metadata?.name);
    expect(spec.automountServiceAccountToken).toBe(false);
  });

  test("no host namespace, host root with no capability, read-only root file system", () => {
    expect(spec.hostNetwork ?? false).toBe(false);
    expect(spec.hostPID ?? false).toBe(false);
    expect(spec.hostIPC ?? false).toBe(false);
    // A user namespace would make container root a nobody on the host's root-owned key files.
    expect(spec.hostUsers ?? true).toBe(true);
    expect(spec.securityContext).toMatchObject({ runAsUser: 0, seccompProfile: { type: "RuntimeDefault" } });
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(container.securityContext?.capabilities?.add ?? []).toEqual([]);
    expect(container.securityContext?.runAsUser ?? 0).toBe(0);
  });

  test(`the image is ${IMAGE} (the version in package.json)`, () => {
    expect(container.image).toBe(IMAGE);
  });

  test("CPU and memory requests and limits are set", () => {
    for (const kind of ["requests", "limits"] as const) {
      for (const resource of ["cpu", "memory"]) expect(container.resources?.[kind]?.[resource], `${kind}.${resource}`).toBeDefined();
    }
  });

  test("the pod template's labels name the app and its component", () => {
    expect(template.metadata?.labels).toMatchObject({ "app.kubernetes.io/name": "kube-cert-audit" });
    expect(template.metadata?.labels?.["app.kubernetes.io/component"]).toBeTruthy();
  });

  test("every volume is mounted, and by the audit container only", () => {
    const mounted = new Set((container.volumeMounts ?? []).map((m) => m.name));
    expect((spec.volumes ?? []).map((v) => v.name).filter((n) => !mounted.has(n))).toEqual([]);
    expect(new Set((spec.volumes ?? []).map((v) => v.name)).size).toBe((spec.volumes ?? []).length);
  });

  test("the audit's arguments say --root /host", () => {
    const args = name === "DaemonSet" ? daemonSetCommandLine() : (container.args ?? []);
    expect(args.join(" ")).toContain("--root /host");
  });
});

describe.each(ALL_TEMPLATES)("$label: host paths", ({ workload, template }) => {
  const mounts = hostMounts(podSpec(template));
  const hostView = mounts.filter((m) => m.hostPath !== TEXTFILE_HOST_DIR);

  test("every host path except the textfile directory is mounted read-only at /host + its host path", () => {
    expect(hostView.length).toBeGreaterThan(0);
    for (const m of hostView) {
      expect(m.readOnly, `${m.volume} is read-only`).toBe(true);
      expect(m.mountPath, m.volume).toBe(path.posix.join("/host", m.hostPath));
    }
  });

  test("every host path is typed (Directory or File): none is created on the host when missing", () => {
    for (const m of hostView) expect(["Directory", "File"], `${m.volume}: ${m.hostPathType}`).toContain(m.hostPathType);
  });

  test("no home directory, no whole file system, no pod volumes", () => {
    for (const m of mounts) {
      expect(NEVER_MOUNTED, m.hostPath).not.toContain(path.posix.normalize(m.hostPath));
      expect(m.hostPath.startsWith("/var/lib/kubelet/pods"), m.hostPath).toBe(false);
    }
  });

  test(workload === "DaemonSet" ? "the only writable mount is the textfile collector's directory, outside /host" : "nothing is writable", () => {
    const writable = mounts.filter((m) => !m.readOnly);
    if (workload === "DaemonSet") {
      expect(writable.map((m) => [m.hostPath, m.hostPathType, m.mountPath])).toEqual([[TEXTFILE_HOST_DIR, "DirectoryOrCreate", "/textfile"]]);
    } else {
      expect(writable).toEqual([]);
    }
  });
});

describe("DaemonSet", () => {
  const spec = daemonSet.spec!;

  test("its selector matches its pod template's labels, and not the CronJob's pods", () => {
    const selector = spec.selector.matchLabels ?? {};
    expect(Object.keys(selector).length).toBeGreaterThan(0);
    expect(spec.selector.matchExpressions ?? []).toEqual([]);
    expect(spec.template.metadata?.labels).toMatchObject(selector);
    const cronPodLabels = cronJob.spec!.jobTemplate.spec!.template.metadata?.labels ?? {};
    expect(Object.entries(selector).every(([k, v]) => cronPodLabels[k] === v)).toBe(false);
  });

  test("loops: an audit to the textfile collector as Prometheus metrics, then an hour's sleep", () => {
    const script = (auditContainer(podSpec(spec.template)).args ?? []).join("\n");
    expect(script).toMatch(/while true; do/);
    expect(script).toMatch(/sleep 3600/);
    expect(daemonSetCommandLine()).toEqual(["--root", "/host", "--output", "prom", "--out", "/textfile/kube_cert_audit.prom"]);
  });

  test("the loop is valid POSIX shell (node:20-slim's /bin/sh is dash)", () => {
    const script = (auditContainer(podSpec(spec.template)).args ?? []).join("\n");
    const check = spawnSync("/bin/sh", ["-n", "-c", script], { encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });

  test("the command line is one the CLI accepts, writing a *.prom file in the textfile mount", () => {
    const options = parseCliOptions(daemonSetCommandLine());
    expect(options).toMatchObject({ command: "scan", root: "/host", output: "prom", out: "/textfile/kube_cert_audit.prom" });
    // The collector reads *.prom files only, so the CLI's temporary file beside it is never read.
    expect(path.posix.dirname(options.out!)).toBe("/textfile");
    expect(options.out!.endsWith(".prom")).toBe(true);
  });
});

describe("CronJob", () => {
  const spec = cronJob.spec!;
  const job = spec.jobTemplate.spec!;
  const pod = podSpec(job.template);

  test("runs daily and prints the JSON report to stdout (the image's entrypoint is the CLI)", () => {
    expect(spec.schedule).toMatch(/^\d{1,2} \d{1,2} \* \* \*$/);
    const container = auditContainer(pod);
    expect(container.command).toBeUndefined();
    const options = parseCliOptions(container.args ?? []);
    expect(options).toMatchObject({ command: "scan", root: "/host", output: "json" });
    expect(options.out).toBeUndefined();
  });

  test("a run never overlaps the previous one, and its pod is not restarted in place", () => {
    expect(spec.concurrencyPolicy).toBe("Forbid");
    expect(pod.restartPolicy).toBe("Never");
    expect(job.activeDeadlineSeconds).toBeGreaterThan(0);
  });

  test("exit codes 1, 2 and 3 fail the Job at once instead of being retried", () => {
    const failJob = (job.podFailurePolicy?.rules ?? []).find((r) => r.action === "FailJob");
    expect(failJob?.onExitCodes).toMatchObject({ containerName: CONTAINER, operator: "In" });
    expect([...(failJob?.onExitCodes?.values ?? [])].sort()).toEqual([1, 2, 3]);
  });

  test("the pod labels of the job template and the jobs' metadata agree", () => {
    expect(spec.jobTemplate.metadata?.labels).toEqual(job.template.metadata?.labels);
  });

  test("it mounts the same host paths as the DaemonSet, minus the textfile directory", () => {
    const view = (template: IPodTemplateSpec) =>
      hostMounts(podSpec(template))
        .filter((m) => m.hostPath !== TEXTFILE_HOST_DIR)
        .map((m) => `${m.hostPath} ${m.hostPathType} ${m.mountPath} ${m.readOnly}`)
        .sort();
    expect(view(job.template)).toEqual(view(daemonSet.spec!.template));
  });

  test("same node selection and security context as the DaemonSet", () => {
    const ds = podSpec(daemonSet.spec!.template);
    expect(pod.nodeSelector).toEqual(ds.nodeSelector);
    expect(pod.tolerations).toEqual(ds.tolerations);
    expect(pod.securityContext).toEqual(ds.securityContext);
    expect(auditContainer(pod).securityContext).toEqual(auditContainer(ds).securityContext);
    expect(auditContainer(pod).resources).toEqual(auditContainer(ds).resources);
  });
});

describe("patches", () => {
  test.each(PATCHED.map((p) => [p.file, p.workload] as const))("%s only adds read-only host paths to the %s", (file, workload) => {
    const base = WORKLOADS.find((w) => w.name === workload)!.template;
    const before = new Set(hostMounts(podSpec(base)).map((m) => m.volume));
    const added = hostMounts(podSpec(PATCHED.find((p) => p.file === file)!.template)).filter((m) => !before.has(m.volume));
    expect(added.length).toBeGreaterThan(0);
    for (const m of added) expect(m.readOnly, m.volume).toBe(true);
  });

  test("each DaemonSet patch has its CronJob twin adding the same host paths", () => {
    const added = (workload: string, stem: string) => {
      const patched = PATCHED.find((p) => p.workload === workload && p.file === `${stem}.${workload.toLowerCase()}.yaml`);
      expect(patched, `${stem}.${workload.toLowerCase()}.yaml`).toBeDefined();
      const base = new Set(hostMounts(podSpec(WORKLOADS.find((w) => w.name === workload)!.template)).map((m) => m.volume));
      return hostMounts(podSpec(patched!.template))
        .filter((m) => !base.has(m.volume))
        .map((m) => `${m.hostPath} ${m.mountPath}`);
    };
    for (const p of PATCHED.filter((p) => p.workload === "DaemonSet")) {
      const stem = p.file.replace(/\.daemonset\.yaml$/, "");
      expect(added("CronJob", stem)).toEqual(added("DaemonSet", stem));
    }
  });
});

describe("the mounts are enough: a kubeadm node seen through them audits like the whole node", () => {
  const AT = new Date("2026-06-01T00:00:00Z");
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "kca-deploy-"));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  /** Build what the pod sees under /host: each read-only host path of the node copied to its mount path, symlinks as they are. */
  function podView(nodeRoot: string, template: IPodTemplateSpec, name: string): string {
    const root = path.join(scratch, name);
    for (const m of hostMounts(podSpec(template)).filter((m) => m.readOnly)) {
      const source = path.join(nodeRoot, m.hostPath);
      if (!fs.existsSync(source)) continue;
      const target = path.join(root, path.posix.relative("/host", m.mountPath));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.cpSync(source, target, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    }
    return root;
  }

  /** The report minus where it was read from. */
  function comparable(report: Report): unknown {
    return { ...report, node: { ...report.node, root: "" } };
  }

  const patched = (stem: string) => PATCHED.find((p) => p.file === `patches/${stem}.daemonset.yaml`)!.template;
  const NODES: Array<{ tree: string; template: () => IPodTemplateSpec; patch: string }> = [
    ...fs
      .readdirSync(path.join(REPO, "sample-clusters"))
      .filter((name) => name.startsWith("kubeadm-") && name !== "kubeadm-external-etcd")
      .map((name) => ({ tree: `sample-clusters/${name}`, template: () => daemonSet.spec!.template, patch: "none" })),
    { tree: "test/fixtures/independent/kubeadm-v1.28-openssl/tree", template: () => daemonSet.spec!.template, patch: "none" },
    // etcd run by systemd beside the static pods, its files in /etc/etcd.
    { tree: "sample-clusters/kubeadm-external-etcd", template: () => patched("external-etcd"), patch: "external-etcd" },
  ];

  test.each(NODES)("$tree (patch: $patch)", ({ tree, template }) => {
    const nodeRoot = path.join(REPO, tree);
    const seen = podView(nodeRoot, template(), tree.replace(/\W+/g, "-"));
    expect(comparable(auditTree(seen, AT))).toEqual(comparable(auditTree(nodeRoot, AT)));
  });

  test("the comparison can fail: without the external-etcd patch that node's etcd files are missing", () => {
    const nodeRoot = path.join(REPO, "sample-clusters/kubeadm-external-etcd");
    const seen = auditTree(podView(nodeRoot, daemonSet.spec!.template, "external-etcd-unpatched"), AT);
    expect(seen.findings.some((f) => f.id === "file-missing" && f.path?.startsWith("/etc/etcd/"))).toBe(true);
  });
});

describe("deploy/Dockerfile", () => {
  const lines = fs
    .readFileSync(path.join(DEPLOY, "Dockerfile"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  const stages = lines.reduce<string[][]>((acc, line) => (line.startsWith("FROM ") ? [...acc, [line]] : (acc[acc.length - 1]?.push(line), acc)), []);
  const final = stages[stages.length - 1] ?? [];
  const bin = (PACKAGE as unknown as { bin: Record<string, string> }).bin["kube-cert-audit"];

  test("a multi-stage build on node:20-slim", () => {
    expect(stages.length).toBeGreaterThan(1);
    for (const stage of stages) expect(stage[0]).toMatch(/^FROM node:20-slim(@sha256:[0-9a-f]{64})?( AS [a-z][a-z0-9-]*)?$/);
  });

  test("compiled with npm ci and npm run build; the image gets the production dependencies only", () => {
    const runs = lines.filter((l) => l.startsWith("RUN "));
    expect(runs.some((l) => /npm ci\b/.test(l) && !l.includes("--omit=dev"))).toBe(true);
    expect(runs).toContain("RUN npm run build");
    expect(runs.some((l) => /npm ci\b.*--omit=dev/.test(l))).toBe(true);
  });

  test("the image holds package.json, its production node_modules and every entry of package.json \"files\" under /app", () => {
    expect(final).toContain("WORKDIR /app");
    const copies = final.filter((l) => l.startsWith("COPY "));
    for (const entry of [...PACKAGE.files, "node_modules"]) {
      expect(copies.some((l) => new RegExp(`^COPY (--from=\\S+ )?\\S*\\b${entry} \\./${entry}$`).test(l)), entry).toBe(true);
    }
    expect(copies).toContain("COPY package.json ./");
  });

  test("its entrypoint is the CLI (package.json bin), also on the PATH as kube-cert-audit", () => {
    expect(final[final.length - 1]).toBe(`ENTRYPOINT ["node", "/app/${bin}"]`);
    expect(final.some((l) => l.includes(`ln -s /app/${bin} /usr/local/bin/kube-cert-audit`))).toBe(true);
  });

  test("the build context (Dockerfile.dockerignore) lets in everything the Dockerfile copies from it", () => {
    const ignore = fs
      .readFileSync(path.join(DEPLOY, "Dockerfile.dockerignore"), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("#"));
    expect(ignore[0]).toBe("*");
    const allowed = new Set(ignore.filter((l) => l.startsWith("!")).map((l) => l.slice(1)));
    const fromContext = lines.filter((l) => l.startsWith("COPY ") && !l.startsWith("COPY --from=")).flatMap((l) => l.split(/\s+/).slice(1, -1));
    for (const source of fromContext) expect(allowed, source).toContain(source.replace(/\/$/, ""));
  });
});
