import * as path from "node:path";
import type { StaticPod } from "../discover/static-pod.js";

/**
 * Map a path as a static pod's container sees it to the node path it comes from, through the
 * container's volumeMounts and the pod's hostPath volumes. The longest mountPath wins, as in the
 * container runtime. Returns null when no mount covers the path: the file does not exist inside
 * the container, whatever is on the node at that path.
 */
export function resolveStaticPodPath(pod: Pick<StaticPod, "mounts" | "hostPaths">, containerPath: string): string | null {
  const normalized = path.posix.normalize(containerPath);
  let best: { mountPath: string; hostPath: string; subPath?: string } | undefined;
  for (const mount of pod.mounts) {
    const mountPath = path.posix.normalize(mount.mountPath).replace(/(.)\/$/, "$1");
    const covers = normalized === mountPath || normalized.startsWith(mountPath === "/" ? "/" : mountPath + "/");
    const hostPath = pod.hostPaths.get(mount.name);
    if (!covers || hostPath === undefined) continue;
    if (!best || mountPath.length > best.mountPath.length) {
      best = mount.subPath ? { mountPath, hostPath, subPath: mount.subPath } : { mountPath, hostPath };
    }
  }
  if (!best) return null;
  const rest = normalized.slice(best.mountPath.length);
  return path.posix.join(best.hostPath, best.subPath ?? "", rest);
}
