import * as path from "node:path";
import type { StaticPod } from "../discover/static-pod.js";

interface HostMount {
  mountPath: string;
  hostPath: string;
  subPath?: string;
}

/** A pod's mounts that have a hostPath volume, mount paths normalized: worked out once per pod, as every path of the pod goes through them. */
const hostMountsByPod = new WeakMap<object, HostMount[]>();

function hostMountsOf(pod: Pick<StaticPod, "mounts" | "hostPaths">): HostMount[] {
  let mounts = hostMountsByPod.get(pod);
  if (!mounts) {
    mounts = [];
    for (const mount of pod.mounts) {
      const hostPath = pod.hostPaths.get(mount.name);
      if (hostPath === undefined) continue;
      const mountPath = path.posix.normalize(mount.mountPath).replace(/(.)\/$/, "$1");
      mounts.push(mount.subPath ? { mountPath, hostPath, subPath: mount.subPath } : { mountPath, hostPath });
    }
    hostMountsByPod.set(pod, mounts);
  }
  return mounts;
}

/**
 * Map a path as a static pod's container sees it to the node path it comes from, through the
 * container's volumeMounts and the pod's hostPath volumes. The longest mountPath wins, as in the
 * container runtime. Returns null when no mount covers the path: the file does not exist inside
 * the container, whatever is on the node at that path.
 */
export function resolveStaticPodPath(pod: Pick<StaticPod, "mounts" | "hostPaths">, containerPath: string): string | null {
  const normalized = path.posix.normalize(containerPath);
  let best: HostMount | undefined;
  for (const mount of hostMountsOf(pod)) {
    const { mountPath } = mount;
    const covers = normalized === mountPath || normalized.startsWith(mountPath === "/" ? "/" : mountPath + "/");
    if (covers && (!best || mountPath.length > best.mountPath.length)) best = mount;
  }
  if (!best) return null;
  const rest = normalized.slice(best.mountPath.length);
  return path.posix.join(best.hostPath, best.subPath ?? "", rest);
}
