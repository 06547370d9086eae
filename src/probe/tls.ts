import type * as net from "node:net";
import type * as tls from "node:tls";
import { decodeCertificate } from "../load/certificate.js";
import type { ProbeFailure, ProbeResult, ProbeTarget, ServedCertificate } from "./types.js";

/** tls.connect, or a stand-in in tests (to record what is dialled). */
export type Connect = (options: tls.ConnectionOptions) => tls.TLSSocket;

export interface ProbeOptions {
  /** Bound on the TCP connection and TLS handshake, and again on a TLS 1.3 server's verdict. */
  timeoutMs: number;
  /** Read a node path inside the audited root (the client certificate and key); null if unreadable. */
  readFile: (nodePath: string) => Buffer | null;
  connect?: Connect;
}

/** Network errors that mean nothing answered at that address. */
const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EADDRNOTAVAIL: "address not available on this machine",
  ETIMEDOUT: "connection timed out",
  ENOTFOUND: "name not found",
  EAI_AGAIN: "name lookup failed",
};

/** OpenSSL's words for the verification errors Node reports as codes. */
const VERIFY_ERRORS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "unable to verify the first certificate",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "unable to get local issuer certificate",
  UNABLE_TO_GET_ISSUER_CERT: "unable to get issuer certificate",
  DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed certificate",
  SELF_SIGNED_CERT_IN_CHAIN: "self-signed certificate in certificate chain",
  CERT_HAS_EXPIRED: "certificate has expired",
  CERT_NOT_YET_VALID: "certificate is not yet valid",
  CERT_SIGNATURE_FAILURE: "certificate signature failure",
  INVALID_CA: "invalid CA certificate",
  CERT_UNTRUSTED: "certificate not trusted",
  CERT_REJECTED: "certificate rejected",
  INVALID_PURPOSE: "unsupported certificate purpose (no serverAuth extended key usage)",
};

/** Alerts a server sends about the client's certificate. */
const CLIENT_CERT_ALERT = /alert (bad certificate|unsupported certificate|certificate revoked|certificate expired|certificate unknown|unknown ca|certificate required|access denied)/i;

function pem(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der.toString("base64").replace(/.{64}/g, "$&\n").replace(/\n$/, "")}\n-----END CERTIFICATE-----\n`;
}

/** The TLS error text: OpenSSL's reason with its alert number, or Node's message; never more. */
export function tlsErrorText(error: Error & { code?: string; reason?: string }): string {
  const alert = /SSL alert number (\d+)/.exec(error.message)?.[1];
  if (error.reason) return `${error.reason}${alert ? ` (SSL alert number ${alert})` : ""}`;
  return error.code && !error.message.includes(error.code) ? `${error.message} (${error.code})` : error.message;
}

function served(socket: tls.TLSSocket): ServedCertificate | undefined {
  try {
    const peer = socket.getPeerCertificate(false);
    if (!peer || !peer.raw) return undefined;
    const cert = decodeCertificate(peer.raw);
    return { fingerprintSha256: cert.fingerprintSha256, serial: cert.serial, notAfter: cert.notAfter, spkiHex: cert.spkiHex, subjectCN: cert.subject.cn, issuerCN: cert.issuer.cn };
  } catch {
    return undefined;
  }
}

/** What a probe takes from node:tls and node:net, loaded only when a probe runs: a plain scan never pays for them. */
interface ProbeModules {
  connect: typeof tls.connect;
  createSecureContext: typeof tls.createSecureContext;
  checkServerIdentity: typeof tls.checkServerIdentity;
  isIP: typeof net.isIP;
}

/** The client pair to present, checked to load (a key that does not match is not presented). */
function clientMaterial(tls: ProbeModules, target: ProbeTarget, options: ProbeOptions): { cert?: Buffer; key?: Buffer; problem?: string } {
  if (!target.client) return {};
  const cert = options.readFile(target.client.certPath);
  const key = options.readFile(target.client.keyPath);
  if (!cert || !key) return { problem: `${!cert ? target.client.certPath : target.client.keyPath} could not be read` };
  try {
    tls.createSecureContext({ cert, key });
  } catch (error) {
    // OpenSSL's reason only ("key values mismatch", "unsupported"): never the key itself.
    const reason = (error as { reason?: string }).reason ?? "it does not load";
    return { problem: `the pair ${target.client.certPath} and ${target.client.keyPath} cannot be used (${reason})` };
  }
  return { cert, key };
}

/**
 * Open one TLS connection the way the component's client would, read the served certificate, and
 * see whether each side accepts the other. No application data is sent. With TLS 1.3 the server
 * judges the client certificate after the client's side of the handshake is done, so its verdict
 * is awaited: a session ticket means accepted, an alert rejected.
 */
function probeTarget(tls: ProbeModules, target: ProbeTarget, options: ProbeOptions): Promise<ProbeResult> {
  const material = clientMaterial(tls, target, options);
  const result: ProbeResult = { target, failures: [], clientPresented: material.cert !== undefined };
  if (material.problem) result.clientProblem = material.problem;
  const connect = options.connect ?? tls.connect;
  return new Promise((resolve) => {
    let settled = false;
    let secure = false;
    let tcpConnected = false;
    let timer: NodeJS.Timeout | undefined;
    let socket: tls.TLSSocket | undefined;
    const finish = () => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      socket?.destroy();
      resolve(result);
    };
    const fail = (failure: ProbeFailure) => {
      if (!result.failures.some((f) => f.kind === failure.kind && f.text === failure.text)) result.failures.push(failure);
    };
    const rejection = (text: string): ProbeFailure => ({ kind: CLIENT_CERT_ALERT.test(text) ? "client-rejected" : "handshake", text });
    try {
      socket = connect({
        host: target.host,
        port: target.port,
        ...(tls.isIP(target.host) === 0 ? { servername: target.host } : {}),
        ...(target.verify ? { ca: target.verify.cas.map(pem) } : {}),
        ...(material.cert && material.key ? { cert: material.cert, key: material.key } : {}),
        // Verified below, so that a rejected chain is still read and compared with the file.
        rejectUnauthorized: false,
      });
    } catch (error) {
      fail({ kind: "handshake", text: tlsErrorText(error as Error) });
      finish();
      return;
    }
    const live = socket;
    timer = setTimeout(() => {
      if (!secure) result.unreachable = `no TLS handshake within ${options.timeoutMs} ms (${tcpConnected ? "the TCP connection opened but the server did not answer" : "no TCP connection"})`;
      finish();
    }, options.timeoutMs);
    live.on("connect", () => {
      tcpConnected = true;
    });
    live.on("secureConnect", () => {
      secure = true;
      const cert = served(live);
      if (cert) result.served = cert;
      const protocol = live.getProtocol();
      if (protocol) result.protocol = protocol;
      if (target.verify) {
        const code = live.authorized ? undefined : String(live.authorizationError ?? "UNKNOWN");
        // Node checks the host itself only once the chain verified; it is checked below either way.
        if (code !== undefined && code !== "ERR_TLS_CERT_ALTNAME_INVALID") {
          fail({ kind: "server-untrusted", text: `${VERIFY_ERRORS[code] ?? code.toLowerCase().replace(/_/g, " ")} (${code})` });
        }
        const identity = tls.checkServerIdentity(target.host, live.getPeerCertificate(false));
        if (identity) fail({ kind: "host-mismatch", text: identity.message });
      }
      if (protocol !== "TLSv1.3") {
        finish();
        return;
      }
      // TLS 1.3: wait for the server's verdict on our certificate, as long again as the handshake may take.
      clearTimeout(timer);
      timer = setTimeout(finish, options.timeoutMs);
      live.on("session", finish);
      live.on("data", finish);
    });
    live.on("error", (error: Error & { code?: string; reason?: string }) => {
      if (settled) return;
      const unreachable = error.code ? UNREACHABLE[error.code] : undefined;
      if (unreachable && !secure) {
        result.unreachable = `${unreachable} (${error.code})`;
      } else {
        if (!secure && !result.served) {
          const cert = served(live);
          if (cert) result.served = cert;
        }
        fail(rejection(tlsErrorText(error)));
      }
      finish();
    });
    live.on("close", () => {
      if (settled) return;
      if (!secure) fail({ kind: "handshake", text: "the server closed the connection during the TLS handshake" });
      else fail({ kind: result.clientPresented ? "client-rejected" : "handshake", text: "the server closed the connection right after the handshake" });
      finish();
    });
    live.resume();
  });
}

/** Probe every target at once; each is bounded by the timeout. */
export async function runProbes(targets: readonly ProbeTarget[], options: ProbeOptions): Promise<ProbeResult[]> {
  const [{ connect, createSecureContext, checkServerIdentity }, { isIP }] = await Promise.all([import("node:tls"), import("node:net")]);
  const modules: ProbeModules = { connect, createSecureContext, checkServerIdentity, isIP };
  return Promise.all(targets.map((target) => probeTarget(modules, target, options)));
}
