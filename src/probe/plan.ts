import { flagValue } from "../discover/flags.js";
import { selectorMatches } from "../resolve/references.js";
import type { RoleMatch, TrustEdge } from "../rules/types.js";
import { describeReference } from "../check/describe.js";
import { pick } from "../check/checks/trust-edge-broken.js";
import type { AuditedCertificate, CheckContext, LoadedReference } from "../check/types.js";
import type { OnDiskCertificate, ProbeTarget } from "./types.js";

/** Where the kubelet serves (10250 unless its config's `port` or its `--port` says otherwise). */
export interface KubeletEndpoint {
  /** `address` of the KubeletConfiguration or `--address`; absent or unspecified: all addresses. */
  address?: string;
  port: number;
  /** The file that sets the port (the kubelet config, or the unit with --port). */
  source: string;
  /** "port" (config field), "--port" (flag), or "default port" when neither is set. */
  setting: string;
}

export const KUBELET_DEFAULT_PORT = 10250;
export const APISERVER_DEFAULT_PORT = 6443;

/** One kind of serving endpoint: who serves, which certificate it serves, whether clients present one. */
interface EndpointSpec {
  component: string;
  endpoint: string;
  /** The selectors that name the certificate served here (an edge's server.cert matches one). */
  served: RoleMatch[];
  /** The probe presents the client certificate of the connection it plays (etcd, kubelet). */
  presentClient: boolean;
  /** The CA bundle to verify with when no connection's client has one here. */
  fallbackTrust?: RoleMatch;
}

const ETCD_CLIENT: EndpointSpec = { component: "etcd", endpoint: "client port", served: [{ component: "etcd", flag: "--cert-file" }], presentClient: true };
const ETCD_PEER: EndpointSpec = { component: "etcd", endpoint: "peer port", served: [{ component: "etcd", flag: "--peer-cert-file" }], presentClient: true };
// The API server's handshake needs no client certificate; authentication comes after it. Its
// clients verify it with their kubeconfig's CA; without one here, the cluster CA of --client-ca-file.
const APISERVER: EndpointSpec = {
  component: "kube-apiserver",
  endpoint: "secure port",
  served: [{ component: "kube-apiserver", flag: "--tls-cert-file" }],
  presentClient: false,
  fallbackTrust: { component: "kube-apiserver", flag: "--client-ca-file" },
};
const KUBELET: EndpointSpec = {
  component: "kubelet",
  endpoint: "port",
  served: [
    { component: "kubelet", field: "tlsCertFile" },
    { component: "kubelet", flag: "--tls-cert-file" },
    // serverTLSBootstrap: the rotated pair no flag names.
    { path: "/var/lib/kubelet/pki/kubelet-server-current.pem" },
  ],
  presentClient: true,
};

/** An address to dial for a listen address: all addresses (0.0.0.0, ::) are reached on loopback. */
export function dialHost(listenHost: string): string {
  if (listenHost === "" || listenHost === "0.0.0.0") return "127.0.0.1";
  if (listenHost === "::" || listenHost === "[::]") return "::1";
  return listenHost.replace(/^\[(.*)\]$/, "$1");
}

function url(host: string, port: number): string {
  // Only an IPv6 address has colons in it, and a URL brackets it.
  return `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** host:port of each https URL in a comma-separated list (etcd's --listen-*-urls); others are skipped. */
export function httpsEndpoints(list: string | undefined): Array<{ host: string; port: number }> {
  const out: Array<{ host: string; port: number }> = [];
  for (const item of (list ?? "").split(",")) {
    let parsed: URL;
    try {
      parsed = new URL(item.trim());
    } catch {
      continue;
    }
    if (parsed.protocol !== "https:") continue;
    out.push({ host: dialHost(parsed.hostname), port: parsed.port ? Number(parsed.port) : 443 });
  }
  return out;
}

const sameSelector = (a: RoleMatch, b: RoleMatch) =>
  a.component === b.component && a.flag === b.flag && a.field === b.field && a.kubeconfig === b.kubeconfig && a.path === b.path;

/** The loaded references a selector picks on this node. */
function referencesFor(ctx: CheckContext, selector: RoleMatch | undefined): LoadedReference[] {
  if (!selector) return [];
  return ctx.references.filter((loaded) => loaded.resolved.location !== null && selectorMatches(selector, loaded.resolved));
}

/** The first certificate of the file a reference names, when it loaded. */
function certificateAt(ctx: CheckContext, loaded: LoadedReference): AuditedCertificate | undefined {
  const location = loaded.resolved.location;
  if (!location) return undefined;
  return ctx.certificatesAt(location)[0];
}

function onDiskCertificate(ctx: CheckContext, spec: EndpointSpec): OnDiskCertificate | undefined {
  for (const selector of spec.served) {
    for (const loaded of referencesFor(ctx, selector)) {
      const certificate = certificateAt(ctx, loaded);
      if (!certificate || loaded.resolved.location?.kind !== "file") continue;
      const { ref } = loaded.resolved;
      const role = ref.role ?? certificate.roles[0]?.id;
      return {
        path: certificate.path,
        flag: ref.field ?? ref.flag ?? "(well-known path)",
        fingerprintSha256: certificate.cert.fingerprintSha256,
        serial: certificate.cert.serial,
        notAfter: certificate.cert.notAfter,
        spkiHex: certificate.cert.spkiHex,
        subjectCN: certificate.cert.subject.cn,
        ...(role ? { role } : {}),
      };
    }
  }
  return undefined;
}

/** The client pair an edge's client presents, when both are files on this node. */
function clientPair(ctx: CheckContext, edge: TrustEdge): ProbeTarget["client"] | undefined {
  for (const loaded of referencesFor(ctx, edge.client.cert)) {
    const { location, key, ref } = loaded.resolved;
    if (location?.kind !== "file" || key?.location?.kind !== "file" || !certificateAt(ctx, loaded)) continue;
    return { described: describeReference(ref), certPath: location.path, keyPath: key.location.path };
  }
  return undefined;
}

function trustBundle(ctx: CheckContext, selector: RoleMatch | undefined): ProbeTarget["verify"] | undefined {
  const side = pick(ctx, selector, true);
  const ref = side.refs[0];
  if (!ref || side.certificates.length === 0 || side.path === null) return undefined;
  return { described: describeReference(ref), path: side.path, cas: side.certificates.map((c) => c.cert.der) };
}

/**
 * The connection the probe plays the client of: among the edges whose server presents this
 * endpoint's certificate (in rules/edges.yaml order), the first whose client's files are here —
 * its certificate (when the endpoint gets one) and its CA bundle — else the first partly here.
 */
function connectionFor(ctx: CheckContext, spec: EndpointSpec) {
  const candidates = ctx.rules.edges
    .filter((edge) => edge.server.cert !== undefined && spec.served.some((selector) => sameSelector(selector, edge.server.cert as RoleMatch)))
    .map((edge) => ({ edge, client: spec.presentClient ? clientPair(ctx, edge) : undefined, verify: trustBundle(ctx, edge.client.trusts) }));
  const complete = candidates.find((c) => (!spec.presentClient || c.client) && c.verify);
  return complete ?? candidates.find((c) => c.client || c.verify);
}

function restartAdvice(ctx: CheckContext, component: string, onDisk: OnDiskCertificate | undefined, source: string): string {
  const role = onDisk?.role ? ctx.role(onDisk.role) : undefined;
  if (role?.restart) return role.restart;
  if (component === "kubelet") return "the kubelet: systemctl restart kubelet";
  if (source.startsWith("/etc/kubernetes/manifests/")) {
    return `${component}: move ${source} out of that directory and back after 20 seconds (the kubelet then recreates the pod with the new files)`;
  }
  const unit = /\/([^/]+)\.service(?:\.d\/[^/]+)?$/.exec(source)?.[1];
  return unit ? `${component}: systemctl restart ${unit}` : `${component}`;
}

function target(ctx: CheckContext, spec: EndpointSpec, host: string, port: number, addressFrom: ProbeTarget["addressFrom"], componentSource: string): ProbeTarget {
  const onDisk = onDiskCertificate(ctx, spec);
  const chosen = connectionFor(ctx, spec);
  const edge = chosen?.edge;
  const verify = chosen?.verify ?? (spec.fallbackTrust ? trustBundle(ctx, spec.fallbackTrust) : undefined);
  return {
    component: spec.component,
    endpoint: spec.endpoint,
    host,
    port,
    url: url(host, port),
    addressFrom,
    ...(onDisk ? { onDisk } : {}),
    ...(chosen?.client ? { client: chosen.client } : {}),
    ...(verify ? { verify } : {}),
    ...(edge ? { connection: { id: edge.id, title: edge.title, client: edge.client.component, server: edge.server.component, citation: edge.citation } } : {}),
    restart: restartAdvice(ctx, spec.component, onDisk, componentSource),
  };
}

/**
 * What `--probe` contacts, from the configuration alone: kube-apiserver on its advertise address
 * and on 127.0.0.1 at --secure-port; etcd on every https URL of --listen-client-urls and
 * --listen-peer-urls; the kubelet on its port. Nothing else is ever dialled. Pure: no I/O.
 */
export function planProbes(ctx: CheckContext, kubelet?: KubeletEndpoint): ProbeTarget[] {
  const targets: ProbeTarget[] = [];
  const add = (next: ProbeTarget) => {
    if (!targets.some((t) => t.host === next.host && t.port === next.port)) targets.push(next);
  };
  const apiserver = ctx.endpoints.flags["kube-apiserver"];
  if (apiserver) {
    const source = ctx.endpoints.sources["kube-apiserver"] ?? "kube-apiserver";
    const portText = flagValue(apiserver, "--secure-port");
    const port = portText === undefined ? APISERVER_DEFAULT_PORT : Number(portText);
    if (Number.isInteger(port) && port > 0 && port < 65536) {
      const advertise = flagValue(apiserver, "--advertise-address") ?? ctx.facts.advertiseAddress;
      if (advertise) add(target(ctx, APISERVER, dialHost(advertise), port, { source, flag: "--advertise-address" }, source));
      add(target(ctx, APISERVER, "127.0.0.1", port, { source, flag: "--secure-port" }, source));
    }
  }
  const etcd = ctx.endpoints.flags.etcd;
  if (etcd) {
    const source = ctx.endpoints.sources.etcd ?? "etcd";
    for (const [flag, spec] of [
      ["--listen-client-urls", ETCD_CLIENT],
      ["--listen-peer-urls", ETCD_PEER],
    ] as const) {
      for (const { host, port } of httpsEndpoints(flagValue(etcd, flag))) add(target(ctx, spec, host, port, { source, flag }, source));
    }
  }
  if (kubelet && kubelet.port > 0) {
    add(target(ctx, KUBELET, dialHost(kubelet.address ?? ""), kubelet.port, { source: kubelet.source, flag: kubelet.setting }, kubelet.source));
  }
  return targets;
}
