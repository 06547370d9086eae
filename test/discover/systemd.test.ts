import fc from "fast-check";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { profilesFor } from "../../src/audit.js";
import { discover } from "../../src/discover/discover.js";
import { flagValue } from "../../src/discover/flags.js";
import {
  expandCommand,
  mergeFragments,
  parseEnvironmentFile,
  parseUnitFragment,
  splitWords,
  UNRESOLVED,
  unwrapShell,
} from "../../src/discover/systemd-unit.js";
import { RootFs } from "../../src/load/root-fs.js";
import { resolveReferences } from "../../src/resolve/references.js";
import { BUNDLED_RULES } from "../helpers/context.js";

const HARDWAY_APISERVER = `[Unit]
Description=Kubernetes API Server

[Service]
# the hard way: one flag per continued line
ExecStart=/usr/local/bin/kube-apiserver \\
  --advertise-address=\${INTERNAL_IP} \\
  --client-ca-file=/var/lib/kubernetes/ca.pem \\
  --etcd-servers=https://\${INTERNAL_IP}:2379 \\
  --tls-cert-file "/var/lib/kubernetes/kubernetes.pem" \\
  --v=2
Restart=on-failure

[Install]
WantedBy=multi-user.target
`;

describe("parseUnitFragment and mergeFragments", () => {
  test("continuations join lines; only [Service] counts; comments skipped", () => {
    const fragment = parseUnitFragment(HARDWAY_APISERVER, "/u");
    expect(fragment.assignments.map((a) => a.key)).toEqual(["ExecStart", "Restart"]);
    expect(splitWords(fragment.assignments[0]!.value)).toContain("/var/lib/kubernetes/kubernetes.pem");
  });

  test("a drop-in's empty ExecStart= resets, the next one wins; Environment accumulates, later wins", () => {
    const unit = parseUnitFragment("[Service]\nExecStart=/bin/old --a=1\nEnvironment=A=1 \"B=two words\"\n", "/u");
    const dropIn = parseUnitFragment("[Service]\nExecStart=\nExecStart=/bin/new --a=2\nEnvironment=A=3\nEnvironmentFile=-/etc/default/x\n", "/d");
    const merged = mergeFragments([unit, dropIn]);
    expect(merged.execStart).toBe("/bin/new --a=2");
    expect(new Map(merged.environment)).toEqual(new Map([["A", "3"], ["B", "two words"]]));
    expect(merged.environmentFiles).toEqual([{ path: "/etc/default/x", optional: true }]);
  });

  test("an empty ExecStart= with nothing after it leaves no command", () => {
    expect(mergeFragments([parseUnitFragment("[Service]\nExecStart=/bin/x\n", "/u"), parseUnitFragment("[Service]\nExecStart=\n", "/d")]).execStart).toBeNull();
  });

  test("environment files: comments, export, quotes, continuations", () => {
    expect(parseEnvironmentFile('# c\nexport A=1\nB="x y"\nC=\'z\'\nD=long \\\nvalue\nnot a pair\n')).toEqual([
      ["A", "1"],
      ["B", "x y"],
      ["C", "z"],
      ["D", "long value"],
    ]);
  });
});

describe("expandCommand", () => {
  test("$VAR alone splits into words, undefined $VAR is nothing (kubeadm's $KUBELET_EXTRA_ARGS)", () => {
    const env = new Map([["ARGS", "--a=1 --b=2"]]);
    expect(expandCommand("/usr/bin/kubelet $ARGS $KUBELET_EXTRA_ARGS --c=3", env)).toEqual({ argv: ["/usr/bin/kubelet", "--a=1", "--b=2", "--c=3"], unresolved: [] });
  });

  test("${VAR} inside a word is substituted; undefined is reported and its flag marked unknown", () => {
    const { argv, unresolved } = expandCommand("-/bin/etcd --name=${ETCD_NAME} --x=${DEFINED}", new Map([["DEFINED", "ok"]]));
    expect(argv).toEqual(["/bin/etcd", `--name=${UNRESOLVED}`, "--x=ok"]);
    expect(unresolved).toEqual(["ETCD_NAME"]);
  });

  test("property: never throws, and words without $ or quotes survive unchanged", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (line) => {
        expandCommand(line, new Map());
      }),
    );
    // The first word may not start with an ExecStart prefix character (-, @, +, !, :).
    const plain = fc.array(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9=\/._:-]{0,19}$/), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(plain, (words) => {
        expect(expandCommand(words.join(" "), new Map()).argv).toEqual(words);
      }),
    );
  });
});

/** A temporary node root, removed after its describe block, and a writer of files in it. */
function nodeTree(prefix: string): { root: string; write: (file: string, text: string) => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  return { root, write };
}

describe("discovery of systemd units", () => {
  const { root, write } = nodeTree("kca-systemd-");
  write("etc/systemd/system/kube-apiserver.service", HARDWAY_APISERVER);
  write("etc/systemd/system/kube-apiserver.service.d/10-env.conf", '[Service]\nEnvironment="INTERNAL_IP=10.240.0.10"\n');
  // A lower-precedence copy of the unit is shadowed by /etc.
  write("lib/systemd/system/kube-apiserver.service", "[Service]\nExecStart=/usr/local/bin/kube-apiserver --tls-cert-file=/wrong.pem\n");
  write("etc/systemd/system/etcd.service", "[Service]\nExecStart=/usr/local/bin/etcd --name ${ETCD_NAME} --cert-file=/etc/etcd/kubernetes.pem\n");
  write("lib/systemd/system/kubelet.service", "[Service]\nExecStart=/usr/bin/kubelet\n");
  write("etc/systemd/system/kubelet.service.d/10-kubeadm.conf", '[Service]\nEnvironment="KUBELET_CONFIG_ARGS=--config=/etc/kubelet/cfg.yaml"\nEnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env\nExecStart=\nExecStart=/usr/bin/kubelet $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS\n');
  write("etc/kubelet/cfg.yaml", "kind: KubeletConfiguration\nclusterDomain: corp.local\n");
  write("etc/systemd/system/kube-scheduler.service", "[Service]\nExecStart=/usr/local/bin/kube-scheduler --config=/etc/kubernetes/config/kube-scheduler.yaml\n");
  write("etc/kubernetes/config/kube-scheduler.yaml", "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nclientConnection:\n  kubeconfig: /var/lib/kubernetes/kube-scheduler.kubeconfig\n");
  write("var/lib/kubernetes/kube-scheduler.kubeconfig", "clusters: [{name: k, cluster: {server: 'https://127.0.0.1:6443'}}]\nusers: [{name: u, user: {client-certificate: sched.pem}}]\ncontexts: [{name: c, context: {cluster: k, user: u}}]\ncurrent-context: c\n");
  const ADMIN_KUBECONFIG = "clusters: [{name: k, cluster: {server: 'https://203.0.113.10:6443'}}]\nusers: [{name: admin, user: {client-certificate: admin.pem}}]\ncontexts: [{name: c, context: {cluster: k, user: admin}}]\ncurrent-context: c\n";
  write("root/admin.kubeconfig", ADMIN_KUBECONFIG);
  write("home/ops/admin.kubeconfig", ADMIN_KUBECONFIG);
  write("home/dev/.bashrc", "");
  write("etc/systemd/system/unrelated.service", "[Service]\nExecStart=/usr/sbin/sshd -D\n");
  const discovery = discover(new RootFs(root));
  const byName = (name: string) => discovery.components.find((c) => c.name === name);

  test("components come from units, with drop-ins and environment applied", () => {
    expect(discovery.components.map((c) => `${c.name}:${c.kind}`).sort()).toEqual(["etcd:systemd", "kube-apiserver:systemd", "kube-scheduler:systemd", "kubelet:systemd"]);
    const apiserver = byName("kube-apiserver")!;
    expect(apiserver.source).toBe("/etc/systemd/system/kube-apiserver.service");
    expect(flagValue(apiserver.flags, "--advertise-address")).toBe("10.240.0.10");
    expect(flagValue(apiserver.flags, "--tls-cert-file")).toBe("/var/lib/kubernetes/kubernetes.pem");
    expect(discovery.facts.advertiseAddress).toBe("10.240.0.10");
    expect(discovery.layout).toBe("systemd");
  });

  test("an undefined variable is a problem and its flag is not audited", () => {
    expect(flagValue(byName("etcd")!.flags, "--name")).toBeUndefined();
    expect(flagValue(byName("etcd")!.flags, "--cert-file")).toBe("/etc/etcd/kubernetes.pem");
    expect(discovery.problems).toEqual([expect.objectContaining({ id: "unresolved-variable", component: "etcd", path: "/etc/systemd/system/etcd.service" })]);
  });

  test("hand-built admin kubeconfigs in /root and /home/* are found, as user admin", () => {
    expect(discovery.kubeconfigs.filter((k) => k.user === "admin").map((k) => k.path)).toEqual(["/root/admin.kubeconfig", "/home/ops/admin.kubeconfig"]);
    const refs = resolveReferences(discovery, BUNDLED_RULES, ["kubernetes", "hardway"]);
    expect(refs.filter((r) => r.ref.role === "admin-kubeconfig").map((r) => r.location?.path)).toEqual(["/root/admin.pem", "/home/ops/admin.pem"]);
  });

  test("kube-scheduler --config: its clientConnection.kubeconfig is the scheduler's kubeconfig", () => {
    const kubeconfig = discovery.kubeconfigs.find((k) => k.user === "kube-scheduler");
    expect(kubeconfig).toMatchObject({ path: "/var/lib/kubernetes/kube-scheduler.kubeconfig", flag: "--config" });
    expect(kubeconfig?.credentials.server).toBe("https://127.0.0.1:6443");
    expect(kubeconfig?.toNodePath("sched.pem")).toBe("/var/lib/kubernetes/sched.pem");
  });

  test("the kubelet's --config is followed (an optional EnvironmentFile may be absent)", () => {
    expect(discovery.kubelet?.source).toBe("/etc/kubelet/cfg.yaml");
    expect(discovery.facts.clusterDomain).toBe("corp.local");
  });
});

describe("discovery among a node's many units", () => {
  const { root, write } = nodeTree("kca-systemd-many-");
  // A distribution's units, some with drop-ins of their own and enabled by symlinks.
  for (let i = 0; i < 300; i++) write(`lib/systemd/system/daemon-${i}.service`, `[Service]\nExecStart=/usr/sbin/daemon-${i} --port ${i}\n`);
  for (let i = 0; i < 20; i++) write(`etc/systemd/system/daemon-${i}.service.d/override.conf`, "[Service]\nRestart=always\n");
  fs.mkdirSync(path.join(root, "etc/systemd/system/multi-user.target.wants"), { recursive: true });
  for (let i = 0; i < 30; i++) fs.symlinkSync(`/lib/systemd/system/daemon-${i}.service`, path.join(root, `etc/systemd/system/multi-user.target.wants/daemon-${i}.service`));
  // kube-proxy under a unit name of its own, its flag set by a drop-in in a symlinked directory.
  write("usr/lib/systemd/system/proxy.service", "[Service]\nExecStart=/usr/local/bin/kube-proxy --config=${PROXY_CONFIG}\n");
  write("etc/proxy-dropins/10-config.conf", '[Service]\nEnvironment="PROXY_CONFIG=/var/lib/kube-proxy/kube-proxy-config.yaml"\n');
  fs.mkdirSync(path.join(root, "run/systemd/system"), { recursive: true });
  fs.symlinkSync("/etc/proxy-dropins", path.join(root, "run/systemd/system/proxy.service.d"));
  const discovery = discover(new RootFs(root));

  test("the component is found by the binary its unit runs, with the drop-in a symlinked directory holds", () => {
    expect(discovery.components.map((c) => `${c.name}:${c.source}`)).toEqual(["kube-proxy:/usr/lib/systemd/system/proxy.service"]);
    expect(flagValue(discovery.components[0]!.flags, "--config")).toBe("/var/lib/kube-proxy/kube-proxy-config.yaml");
    expect(discovery.problems).toEqual([]);
  });
});

describe("drop-ins across unit directories", () => {
  const { root, write } = nodeTree("kca-systemd-dropins-");
  write("lib/systemd/system/kube-scheduler.service", "[Service]\nExecStart=/usr/local/bin/kube-scheduler --kubeconfig=${KUBECONFIG} --v=${LEVEL} ${EXTRA}\n");
  // The same drop-in name in a higher directory masks the lower one; names apply in sorted order.
  write("lib/systemd/system/kube-scheduler.service.d/10-kubeconfig.conf", '[Service]\nEnvironment="KUBECONFIG=/wrong.conf"\n');
  write("etc/systemd/system/kube-scheduler.service.d/10-kubeconfig.conf", '[Service]\nEnvironment="KUBECONFIG=/etc/kubernetes/scheduler.conf"\n');
  write("run/systemd/system/kube-scheduler.service.d/20-level.conf", '[Service]\nEnvironment="LEVEL=2" "EXTRA=--bind-address=127.0.0.1"\n');
  write("lib/systemd/system/kube-scheduler.service.d/30-level.conf", '[Service]\nEnvironment="LEVEL=4"\n');
  const discovery = discover(new RootFs(root));

  test("a name in a higher directory masks the same name below, and every name applies in order", () => {
    const scheduler = discovery.components.find((c) => c.name === "kube-scheduler")!;
    expect(flagValue(scheduler.flags, "--kubeconfig")).toBe("/etc/kubernetes/scheduler.conf");
    expect(flagValue(scheduler.flags, "--v")).toBe("4");
    expect(flagValue(scheduler.flags, "--bind-address")).toBe("127.0.0.1");
  });
});

describe("profiles", () => {
  test.each([
    ["kubeadm", "auto", ["kubernetes", "kubeadm"]],
    ["mixed", "auto", ["kubernetes", "kubeadm"]],
    ["systemd", "auto", ["kubernetes", "hardway"]],
    ["unknown", "auto", ["kubernetes"]],
    ["systemd", "kubeadm", ["kubernetes", "kubeadm"]],
  ] as const)("layout %s with --profile %s", (layout, choice, profiles) => {
    expect(profilesFor(layout, choice)).toEqual(profiles);
  });
});

describe("unwrapShell", () => {
  test.each([
    [["/bin/bash", "-c", "GOMAXPROCS=4 exec /usr/bin/etcd --name=a"], ["/usr/bin/etcd", "--name=a"]],
    [["/bin/sh", "-c", "/usr/local/bin/kube-apiserver --v=2"], ["/usr/local/bin/kube-apiserver", "--v=2"]],
    [["/usr/bin/etcd", "-c", "x"], ["/usr/bin/etcd", "-c", "x"]],
    [["/bin/bash", "/opt/start.sh"], ["/bin/bash", "/opt/start.sh"]],
    [["/bin/bash", "-c"], ["/bin/bash", "-c"]],
  ])("%j → %j", (argv, expected) => {
    expect(unwrapShell(argv)).toEqual(expected);
  });
});
