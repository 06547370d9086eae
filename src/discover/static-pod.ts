import * as path from "node:path";
import { asArray, asRecord, asString, ConfigParseError, parseYamlDocument } from "./yaml.js";
import { parseFlags, type FlagMap } from "./flags.js";

export interface VolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
}

export interface StaticPod {
  /** Component name: the container's binary ("kube-apiserver", "etcd", …). */
  component: string;
  podName: string;
  flags: FlagMap;
  mounts: VolumeMount[];
  /** hostPath volumes by name. */
  hostPaths: Map<string, string>;
  annotations: Record<string, string>;
}

/** The control-plane components we audit, by the binary their container runs. */
export const CONTROL_PLANE_COMPONENTS = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd"] as const;

/**
 * Parse a static pod manifest. Returns null for a pod that runs none of the control-plane
 * components (kube-vip, haproxy, …); throws ConfigParseError on a file that is not a Pod.
 */
export function parseStaticPod(text: string, source: string): StaticPod | null {
  const doc = asRecord(parseYamlDocument(text, source));
  if (!doc) throw new ConfigParseError(`${source} is not a Pod manifest (no top-level mapping)`);
  if (asString(doc.kind) !== undefined && doc.kind !== "Pod") {
    // The kubelet refuses anything but a Pod in its manifest directory ("invalid pod").
    const named = CONTROL_PLANE_COMPONENTS.find((name) => path.posix.basename(source).startsWith(name));
    if (named) throw new ConfigParseError(`${source} is a ${asString(doc.kind)}, not a Pod: the kubelet does not run ${named} from it`);
    return null;
  }
  const spec = asRecord(doc.spec);
  const metadata = asRecord(doc.metadata) ?? {};
  if (!spec) throw new ConfigParseError(`${source} has no spec`);
  for (const item of asArray(spec.containers)) {
    const container = asRecord(item);
    if (!container) continue;
    const argv = [...asArray(container.command), ...asArray(container.args)].map((value) => asString(value) ?? "");
    const component = componentOf(argv, asString(container.name));
    if (!component) continue;
    const mounts: VolumeMount[] = [];
    for (const mountItem of asArray(container.volumeMounts)) {
      const mount = asRecord(mountItem);
      const name = asString(mount?.name);
      const mountPath = asString(mount?.mountPath);
      if (!name || !mountPath) continue;
      const subPath = asString(mount?.subPath);
      mounts.push(subPath ? { name, mountPath, subPath } : { name, mountPath });
    }
    const hostPaths = new Map<string, string>();
    for (const volumeItem of asArray(spec.volumes)) {
      const volume = asRecord(volumeItem);
      const name = asString(volume?.name);
      const hostPath = asString(asRecord(volume?.hostPath)?.path);
      if (name && hostPath) hostPaths.set(name, hostPath);
    }
    const annotations: Record<string, string> = {};
    for (const [key, value] of Object.entries(asRecord(metadata.annotations) ?? {})) {
      const text = asString(value);
      if (text !== undefined) annotations[key] = text;
    }
    return { component, podName: asString(metadata.name) ?? component, flags: parseFlags(argv), mounts, hostPaths, annotations };
  }
  return null;
}

function componentOf(argv: string[], containerName: string | undefined): string | undefined {
  const binary = argv[0] ? path.posix.basename(argv[0]) : undefined;
  return CONTROL_PLANE_COMPONENTS.find((name) => name === binary) ?? CONTROL_PLANE_COMPONENTS.find((name) => name === containerName);
}
