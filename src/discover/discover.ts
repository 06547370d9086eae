import * as path from "node:path";
import type { Component, Facts, Layout, Severity } from "../model.js";
import { isFileProblem, type FileMode, type RootFs } from "../load/root-fs.js";
import { resolveStaticPodPath } from "../resolve/volume-mounts.js";
import { etcdFlagsFromConfigFile } from "./etcd-config.js";
import { deriveFacts } from "./facts.js";
import { flagValue, type FlagMap } from "./flags.js";
import { parseKubeconfig, type KubeconfigCredentials } from "./kubeconfig.js";
import { parseKubeletConfig, type KubeletConfig } from "./kubelet-config.js";
import { CONTROL_PLANE_COMPONENTS, parseStaticPod, type StaticPod } from "./static-pod.js";
import { discoverSystemdComponents } from "./systemd.js";
import { asRecord, asString, ConfigParseError, configText, parseYamlDocument } from "./yaml.js";

export const STATIC_POD_DIR = "/etc/kubernetes/manifests";
export const KUBELET_CONFIG = "/var/lib/kubelet/config.yaml";
/** kubeadm's kubeconfig files and who uses each when no flag says so. */
export const STANDARD_KUBECONFIGS: ReadonlyArray<{ path: string; user: string; flag?: string }> = [
  { path: "/etc/kubernetes/admin.conf", user: "admin.conf" },
  { path: "/etc/kubernetes/super-admin.conf", user: "super-admin.conf" },
  { path: "/etc/kubernetes/controller-manager.conf", user: "kube-controller-manager" },
  { path: "/etc/kubernetes/scheduler.conf", user: "kube-scheduler" },
  // kubeadm's kubelet drop-in passes --kubeconfig=/etc/kubernetes/kubelet.conf.
  { path: "/etc/kubernetes/kubelet.conf", user: "kubelet", flag: "--kubeconfig" },
];
/**
 * Where hand-built clusters leave the administrator's kubeconfig: kubernetes-the-hard-way copies
 * `admin.kubeconfig` to the controller's home directory.
 */
export const ADMIN_KUBECONFIG_NAME = "admin.kubeconfig";
const KUBECONFIG_FLAGS = ["--kubeconfig", "--authentication-kubeconfig", "--authorization-kubeconfig"];

/** A running component and how to see files the way it does. */
export interface DiscoveredComponent extends Component {
  flags: FlagMap;
  /** Map a path the component names to a node path; null when the path is not visible to it. */
  toNodePath: (componentPath: string) => string | null;
  pod?: StaticPod;
}

export interface DiscoveredKubeconfig {
  path: string;
  /** The component that uses it (or the file name for an admin's kubeconfig). */
  user: string;
  /** The flag that names it, when a component's flag does. */
  flag?: string;
  credentials: KubeconfigCredentials;
  fileMode: FileMode;
  /** Map a path inside the kubeconfig (relative paths are relative to it) to a node path. */
  toNodePath: (kubeconfigPath: string) => string | null;
}

export interface DiscoveredKubelet {
  source: string;
  config: KubeletConfig;
  toNodePath: (configPath: string) => string;
}

/** Something found while discovering that the report must mention (an unparsable manifest, …). */
export interface DiscoveryProblem {
  id: "config-invalid" | "file-missing" | "file-unreadable" | "not-mounted" | "unresolved-variable";
  severity: Severity;
  component: string;
  path: string;
  flag: string | null;
  message: string;
}

export interface Discovery {
  layout: Layout;
  components: DiscoveredComponent[];
  kubeconfigs: DiscoveredKubeconfig[];
  kubelet?: DiscoveredKubelet;
  facts: Facts;
  problems: DiscoveryProblem[];
}

function readText(fs: RootFs, nodePath: string): string | null {
  const read = fs.readFile(nodePath);
  return isFileProblem(read) ? null : read.bytes.toString("utf8");
}

const identity = (p: string) => path.posix.normalize(p);

/** Find what runs on the node under the root: static pods, kubeconfigs, the kubelet's config. */
export function discover(fs: RootFs): Discovery {
  const problems: DiscoveryProblem[] = [];
  const components: DiscoveredComponent[] = [];

  for (const name of fs.listDir(STATIC_POD_DIR)) {
    // The kubelet ignores dot files in staticPodPath; we also skip what cannot be a manifest.
    if (name.startsWith(".") || !/\.(ya?ml|json)$/i.test(name)) continue;
    const source = `${STATIC_POD_DIR}/${name}`;
    const read = fs.readFile(source);
    const controlPlane = CONTROL_PLANE_COMPONENTS.some((component) => name.startsWith(component));
    if (isFileProblem(read)) {
      // The kubelet cannot run a control-plane component from a manifest it cannot read.
      problems.push({ id: "file-unreadable", severity: controlPlane ? "critical" : "warning", component: name, path: source, flag: null, message: read.message });
      continue;
    }
    let pod: StaticPod | null;
    try {
      pod = parseStaticPod(configText(read.bytes, source), source);
    } catch (error) {
      if (!(error instanceof ConfigParseError)) throw error;
      problems.push({
        id: "config-invalid",
        severity: controlPlane ? "critical" : "info",
        component: name.replace(/\.(ya?ml|json)$/i, ""),
        path: source,
        flag: null,
        message: `${error.message}; the kubelet cannot start this static pod`,
      });
      continue;
    }
    if (!pod || components.some((c) => c.name === pod.component)) continue;
    const staticPod = pod;
    components.push({
      name: pod.component,
      kind: "static-pod",
      source,
      flags: pod.flags,
      toNodePath: (componentPath) => resolveStaticPodPath(staticPod, componentPath),
      pod,
    });
  }

  const staticPods = components.length;
  for (const unit of discoverSystemdComponents(fs, problems)) {
    // A control-plane component found both ways runs as the static pod; the unit is ignored.
    if (!components.some((c) => c.name === unit.name)) components.push(unit);
  }
  const etcdIndex = components.findIndex((c) => c.name === "etcd");
  if (etcdIndex >= 0) components[etcdIndex] = withEtcdConfigFile(fs, components[etcdIndex] as DiscoveredComponent, problems);
  const kubeconfigs = discoverKubeconfigs(fs, components, problems);
  const kubeletComponent = components.find((c) => c.name === "kubelet");
  const kubeletConfigFlag = kubeletComponent && flagValue(kubeletComponent.flags, "--config");
  const kubelet = discoverKubelet(fs, problems, (kubeletConfigFlag && kubeletComponent.toNodePath(kubeletConfigFlag)) || KUBELET_CONFIG);
  const hostname = readText(fs, "/etc/hostname")?.split(/\r?\n/)[0]?.trim() || undefined;
  const apiserver = components.find((c) => c.name === "kube-apiserver");
  const etcd = components.find((c) => c.name === "etcd");
  const facts = deriveFacts({
    ...(hostname ? { hostname } : {}),
    ...(apiserver ? { apiserverFlags: apiserver.flags, apiserverAnnotations: apiserver.pod?.annotations ?? {} } : {}),
    ...(etcd ? { etcdFlags: etcd.flags } : {}),
    ...(kubelet?.config.clusterDomain ? { kubeletClusterDomain: kubelet.config.clusterDomain } : {}),
  });
  const controlPlaneUnits = components.some((c) => c.kind === "systemd" && (CONTROL_PLANE_COMPONENTS as readonly string[]).includes(c.name));
  const layout: Layout = staticPods > 0 ? (controlPlaneUnits ? "mixed" : "kubeadm") : controlPlaneUnits ? "systemd" : "unknown";
  return { layout, components, kubeconfigs, ...(kubelet ? { kubelet } : {}), facts, problems };
}

/**
 * etcd started with --config-file reads that file alone and ignores its other flags and ETCD_*
 * variables; the component's flags and source become the file's.
 */
function withEtcdConfigFile(fs: RootFs, etcd: DiscoveredComponent, problems: DiscoveryProblem[]): DiscoveredComponent {
  const named = flagValue(etcd.flags, "--config-file");
  if (!named) return etcd;
  const configPath = etcd.toNodePath(named);
  const problem = (id: DiscoveryProblem["id"], message: string): DiscoveredComponent => {
    problems.push({ id, severity: "critical", component: "etcd", path: configPath ?? named, flag: "--config-file", message });
    return { ...etcd, flags: new Map() };
  };
  if (configPath === null) return problem("not-mounted", `etcd --config-file=${named} is not inside any volume mounted into its container`);
  const read = fs.readFile(configPath);
  if (isFileProblem(read)) return problem(read.problem === "missing" ? "file-missing" : "file-unreadable", `${read.message}; etcd does not start without its --config-file`);
  try {
    return { ...etcd, source: configPath, flags: etcdFlagsFromConfigFile(configText(read.bytes, configPath), configPath) };
  } catch (error) {
    if (!(error instanceof ConfigParseError)) throw error;
    return problem("config-invalid", `${error.message}; etcd does not start`);
  }
}

/** Components whose --config file (KubeSchedulerConfiguration, KubeProxyConfiguration) names their kubeconfig. */
const CONFIG_KUBECONFIG_COMPONENTS = ["kube-scheduler", "kube-proxy"];

function discoverKubeconfigs(fs: RootFs, components: DiscoveredComponent[], problems: DiscoveryProblem[]): DiscoveredKubeconfig[] {
  const wanted: Array<{ path: string; user: string; flag?: string; within?: DiscoveredComponent }> = [];
  for (const component of components) {
    const config = CONFIG_KUBECONFIG_COMPONENTS.includes(component.name) ? flagValue(component.flags, "--config") : undefined;
    const configPath = config ? component.toNodePath(config) : null;
    if (configPath && !flagValue(component.flags, "--kubeconfig")) {
      const text = readText(fs, configPath);
      let kubeconfig: string | undefined;
      try {
        kubeconfig = text === null ? undefined : asString(asRecord(asRecord(parseYamlDocument(text, configPath))?.clientConnection)?.kubeconfig);
      } catch (error) {
        if (!(error instanceof ConfigParseError)) throw error;
        problems.push({ id: "config-invalid", severity: "critical", component: component.name, path: configPath, flag: "--config", message: error.message });
      }
      const nodePath = kubeconfig ? component.toNodePath(path.posix.isAbsolute(kubeconfig) ? kubeconfig : path.posix.join(path.posix.dirname(config as string), kubeconfig)) : null;
      // clientConnection.kubeconfig plays the part of --kubeconfig (which would override it); the
      // reference is labelled with the flag the admin will find in the unit or manifest.
      if (nodePath) wanted.push({ path: nodePath, user: component.name, flag: "--config", within: component });
    }
    for (const flag of KUBECONFIG_FLAGS) {
      const value = flagValue(component.flags, flag);
      if (!value) continue;
      const nodePath = component.toNodePath(value);
      if (nodePath === null) {
        problems.push({
          id: "not-mounted",
          severity: "critical",
          component: component.name,
          path: value,
          flag,
          message: `${component.name} ${flag}=${value} is not inside any volume mounted into its container`,
        });
        continue;
      }
      wanted.push({ path: nodePath, user: component.name, flag, within: component });
    }
  }
  const adminKubeconfigs = ["/root", ...fs.listDir("/home").map((name) => `/home/${name}`)].map((home) => ({
    path: `${home}/${ADMIN_KUBECONFIG_NAME}`,
    user: "admin",
  }));
  for (const standard of [...STANDARD_KUBECONFIGS, ...adminKubeconfigs]) {
    if (!wanted.some((w) => w.path === standard.path) && fs.exists(standard.path)) wanted.push(standard);
  }
  const found: DiscoveredKubeconfig[] = [];
  for (const entry of wanted) {
    if (found.some((k) => k.path === entry.path)) continue;
    const read = fs.readFile(entry.path);
    if (isFileProblem(read)) {
      problems.push({
        id: read.problem === "missing" ? "file-missing" : "file-unreadable",
        severity: "critical",
        component: entry.user,
        path: entry.path,
        flag: entry.flag ?? null,
        message: read.message,
      });
      continue;
    }
    let credentials: KubeconfigCredentials;
    try {
      credentials = parseKubeconfig(configText(read.bytes, entry.path), entry.path);
    } catch (error) {
      if (!(error instanceof ConfigParseError)) throw error;
      problems.push({ id: "config-invalid", severity: "critical", component: entry.user, path: entry.path, flag: entry.flag ?? null, message: error.message });
      continue;
    }
    const dir = path.posix.dirname(entry.path);
    const within = entry.within;
    found.push({
      path: entry.path,
      user: entry.user,
      ...(entry.flag ? { flag: entry.flag } : {}),
      credentials,
      fileMode: { mode: read.mode, uid: read.uid, gid: read.gid },
      // client-go resolves relative paths against the kubeconfig's directory; absolute ones are
      // seen from inside the component's container when a static pod uses the file.
      toNodePath: (p) => (path.posix.isAbsolute(p) ? (within ? within.toNodePath(p) : identity(p)) : path.posix.join(dir, p)),
    });
  }
  return found;
}

function discoverKubelet(fs: RootFs, problems: DiscoveryProblem[], source: string): DiscoveredKubelet | undefined {
  const text = readText(fs, source);
  if (text === null) return undefined;
  try {
    const config = parseKubeletConfig(text, source);
    const dir = path.posix.dirname(source);
    // The kubelet resolves relative paths in its config file against the file's directory.
    return { source, config, toNodePath: (p) => (path.posix.isAbsolute(p) ? identity(p) : path.posix.join(dir, p)) };
  } catch (error) {
    if (!(error instanceof ConfigParseError)) throw error;
    problems.push({ id: "config-invalid", severity: "warning", component: "kubelet", path: source, flag: "--config", message: error.message });
    return undefined;
  }
}
