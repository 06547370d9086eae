import type { Facts } from "../model.js";
import { flagValue, type FlagMap } from "./flags.js";
import { firstServiceIP } from "../ip.js";
import { RecentlyUsed } from "../cache.js";

/**
 * Hosts by URL list: every edge of every node asks for the same few server lists (kubeadm's
 * --etcd-servers is the same on every node of a fleet), and WHATWG URL parsing costs microseconds.
 */
const hostsByList = new RecentlyUsed<string, readonly string[]>(256);

/** Hosts of a comma-separated URL list such as --etcd-servers; IPv6 brackets removed. */
export function urlHosts(list: string | undefined): string[] {
  const key = list ?? "";
  const hosts = hostsByList.obtain(key, () => {
    const found: string[] = [];
    for (const item of key.split(",")) {
      try {
        const host = new URL(item.trim()).hostname.replace(/^\[(.*)\]$/, "$1");
        if (host && !found.includes(host)) found.push(host);
      } catch {
        // not a URL: nothing to learn from it
      }
    }
    return found;
  });
  // A copy: callers may add to the list they get.
  return [...hosts];
}

export interface FactInputs {
  hostname?: string;
  apiserverFlags?: FlagMap;
  apiserverAnnotations?: Record<string, string>;
  etcdFlags?: FlagMap;
  kubeletClusterDomain?: string;
}

const ADVERTISE_ANNOTATION = "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint";

/**
 * Read the node facts the SAN and CN templates need from what was discovered. kubeadm stores no
 * InitConfiguration on the node, so these come from the manifests (reference §2, "Where an
 * auditor can find per-node values").
 */
/** kube-apiserver's service range when the flag is not given (kubeoptions.DefaultServiceIPCIDR). */
export const DEFAULT_SERVICE_CLUSTER_IP_RANGE = "10.0.0.0/24";

export function deriveFacts(inputs: FactInputs): Facts {
  const facts: Facts = {};
  if (inputs.hostname) facts.hostname = inputs.hostname;
  const etcdName = inputs.etcdFlags ? flagValue(inputs.etcdFlags, "--name") : undefined;
  // kubeadm's node name defaults to the lower-cased hostname and is etcd's --name.
  const nodeName = etcdName ?? inputs.hostname?.toLowerCase();
  if (nodeName) facts.nodeName = nodeName;
  const apiserver = inputs.apiserverFlags;
  const advertise =
    (apiserver && flagValue(apiserver, "--advertise-address")) ??
    inputs.apiserverAnnotations?.[ADVERTISE_ANNOTATION]?.replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
  if (advertise) facts.advertiseAddress = advertise;
  // Without --service-cluster-ip-range the API server falls back to 10.0.0.0/24 (a deprecated
  // default it logs a warning about), so the `kubernetes` Service is 10.0.0.1.
  const serviceRange = apiserver ? (flagValue(apiserver, "--service-cluster-ip-range") ?? DEFAULT_SERVICE_CLUSTER_IP_RANGE) : undefined;
  const serviceIP = firstServiceIP(serviceRange);
  if (serviceIP) facts.serviceIP = serviceIP;
  const issuerDomain = apiserver && flagValue(apiserver, "--service-account-issuer")?.match(/kubernetes\.default\.svc\.([^/:]+)/)?.[1];
  facts.clusterDomain = inputs.kubeletClusterDomain ?? issuerDomain ?? "cluster.local";
  const etcdHosts = urlHosts(apiserver && flagValue(apiserver, "--etcd-servers"));
  if (etcdHosts.length > 0) facts.etcdServerHosts = etcdHosts;
  return facts;
}
