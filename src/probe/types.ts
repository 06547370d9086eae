import type { CheckKind, FindingDraft } from "../check/types.js";

/**
 * One serving endpoint the configuration names, and everything needed to talk to it the way the
 * component's real client does. Plain data: no key material (the client key is named by its node
 * path and read only by the network stage, right before the connection).
 */
export interface ProbeTarget {
  /** The component that serves here: kube-apiserver, etcd or kubelet. */
  component: string;
  /** What this endpoint is, for messages: "client port", "peer port", "secure port", "port". */
  endpoint: string;
  /** Address dialled (an IP or a name exactly as the configuration gives it, no brackets). */
  host: string;
  port: number;
  /** https://host:port, for messages. */
  url: string;
  /** Where the address comes from: the file and the flag or field ("--listen-client-urls"). */
  addressFrom: { source: string; flag: string };
  /** The serving certificate the component's configuration names, as loaded from disk. */
  onDisk?: OnDiskCertificate;
  /** The client certificate and key to present (node paths inside the root). */
  client?: { described: string; certPath: string; keyPath: string };
  /** The CA bundle the component's client verifies this server with; absent: no verification. */
  verify?: { described: string; path: string; cas: Buffer[] };
  /** The rules/edges.yaml connection the probe plays the client of. */
  connection?: { id: string; title: string; client: string; server: string; citation: string };
  /** How to make the component load its files again. */
  restart: string;
}

export interface OnDiskCertificate {
  path: string;
  /** The flag or field naming it ("--cert-file", "tlsCertFile"). */
  flag: string;
  fingerprintSha256: string;
  serial: string;
  notAfter: Date;
  spkiHex: string;
  subjectCN: string | null;
  role?: string;
}

/** The certificate an endpoint presented. */
export interface ServedCertificate {
  fingerprintSha256: string;
  serial: string;
  notAfter: Date;
  spkiHex: string;
  subjectCN: string | null;
  issuerCN: string | null;
}

/** What went wrong in a handshake, and whose side said so. */
export interface ProbeFailure {
  kind:
    | "server-untrusted" // the served chain does not verify against the client's CA bundle
    | "host-mismatch" // the served certificate does not carry the host dialled
    | "client-rejected" // the server refused the client certificate presented
    | "handshake"; // any other TLS failure (protocol, cipher, not TLS at all)
  text: string;
}

/** The outcome of probing one target. */
export interface ProbeResult {
  target: ProbeTarget;
  /** Set when nothing answered: refused, unreachable, or no handshake within the timeout. */
  unreachable?: string;
  served?: ServedCertificate;
  /** TLS protocol negotiated, when the handshake completed. */
  protocol?: string;
  failures: ProbeFailure[];
  /** True when the configured client certificate was presented. */
  clientPresented: boolean;
  /** Why a configured client certificate could not be presented (unreadable, bad key). */
  clientProblem?: string;
}

/**
 * A kind of probe check: metadata like an offline check kind (`kube-cert-audit explain ID`), and a
 * pure function of one probe result. It runs only with --probe, never in the offline audit.
 */
export interface ProbeCheckKind extends Omit<CheckKind, "run"> {
  evaluate(result: ProbeResult): FindingDraft[];
}
