import { urlHosts } from "../../discover/facts.js";
import { flagValue } from "../../discover/flags.js";
import { signedBy } from "../../load/certificate.js";
import type { CertReference } from "../../model.js";
import { selectorMatches } from "../../resolve/references.js";
import type { EdgeEnd, RoleMatch, TrustEdge } from "../../rules/types.js";
import { describeCA, describeName, describeReference, locatorOf } from "../describe.js";
import { coversHost, missingRequiredSans } from "../sans.js";
import { expandTemplate, matchesPattern } from "../templates.js";
import type { AuditedCertificate, CheckContext, CheckKind, FindingDraft } from "../types.js";

/** The certificates and references one selector of an edge end picks. */
interface Side {
  refs: CertReference[];
  certificates: AuditedCertificate[];
  /** The file, for messages. */
  path: string | null;
}

/** The references and certificates an edge end's selector picks on this node. */
export function pick(ctx: CheckContext, selector: RoleMatch | undefined, all: boolean): Side {
  const side: Side = { refs: [], certificates: [], path: null };
  if (!selector) return side;
  for (const loaded of ctx.references) {
    const { resolved } = loaded;
    if (!resolved.location || !selectorMatches(selector, resolved)) continue;
    const atLocation = ctx.certificatesAt(resolved.location);
    const found = all ? atLocation : atLocation.slice(0, 1);
    if (found.length === 0) continue;
    side.refs.push(resolved.ref);
    side.path ??= resolved.location.path;
    for (const certificate of found) if (!side.certificates.includes(certificate)) side.certificates.push(certificate);
  }
  return side;
}

/** Where a client's dialed hosts are written: a kubeconfig's `server`, or a URL-list flag. */
type DialSource =
  | { kind: "kubeconfig"; path: string; server: string | null }
  | { kind: "flag"; component: string; flag: string; value: string | undefined; source: string | undefined };

function dialSource(ctx: CheckContext, dials: RoleMatch | undefined): DialSource | undefined {
  if (!dials) return undefined;
  const kubeconfig = ctx.endpoints.kubeconfigs.find((k) => (dials.kubeconfig ? matchesPattern(dials.kubeconfig, k.path) : k.user === dials.component && (dials.flag === undefined || k.flag === dials.flag)));
  if (kubeconfig) return { kind: "kubeconfig", path: kubeconfig.path, server: kubeconfig.server };
  if (dials.kubeconfig || !dials.component || !dials.flag) return undefined;
  const flags = ctx.endpoints.flags[dials.component];
  return { kind: "flag", component: dials.component, flag: dials.flag, value: flags && flagValue(flags, dials.flag), source: ctx.endpoints.sources[dials.component] };
}

/** The hosts a client dials: from a URL-list flag, a kubeconfig's server, or fact templates. */
function dialedHosts(ctx: CheckContext, end: EdgeEnd): string[] {
  const source = dialSource(ctx, end.dials);
  const urls = source?.kind === "kubeconfig" ? source.server : source?.value;
  const hosts = [...urlHosts(urls ?? undefined), ...(end.dialsFacts ?? []).flatMap((template) => expandTemplate(template, ctx.facts).values)];
  return [...new Set(hosts)];
}

const names = (side: Side) => side.refs.map((ref) => `${describeReference(ref)} (${side.path})`).filter((v, i, a) => a.indexOf(v) === i).join(", ");

/** The end to change when the client dials a stray host: its kubeconfig's `server` or its URL flag. */
function dialerAnchor(ctx: CheckContext, edge: TrustEdge): Side | undefined {
  const source = dialSource(ctx, edge.client.dials);
  if (source?.kind === "kubeconfig") {
    return { refs: [{ component: edge.client.component, field: "server", source: source.path, purpose: "client" }], certificates: [], path: source.path };
  }
  if (source?.kind === "flag" && source.source) {
    return { refs: [{ component: source.component, flag: source.flag, source: source.source, purpose: "client" }], certificates: [], path: source.source };
  }
  return undefined;
}

/** One direction of an edge: does `presenter`'s certificate verify against `verifier`'s CA bundle? */
function trustProblem(presenter: Side, verifier: Side, presenterName: string, verifierName: string, ctx: CheckContext): string | null {
  const cert = presenter.certificates[0];
  if (!cert || verifier.certificates.length === 0) return null;
  if (verifier.certificates.some((ca) => signedBy(cert.cert, ca.cert))) return null;
  const actual = ctx.issuersOf(cert)[0];
  const signer = actual ? `it is signed by ${describeCA(actual)}` : `its issuer is ${describeName(cert.cert.issuer)}, which no loaded CA verifies`;
  return `${verifierName} trusts only ${verifier.certificates.map(describeCA).join("; ")} (${names(verifier)}), which did not sign the certificate ${presenterName} presents (${names(presenter)}); ${signer}`;
}

function usageProblem(side: Side, usage: "clientAuth" | "serverAuth", who: string): string | null {
  // A certificate whose role states its usages is reported once by ext-key-usage-missing, not per connection.
  if (side.certificates[0]?.roles.some((role) => role.extKeyUsage !== undefined)) return null;
  const eku = side.certificates[0]?.cert.extKeyUsage;
  if (!eku || eku.includes(usage) || eku.includes("anyExtendedKeyUsage")) return null;
  return `the certificate ${who} presents (${names(side)}) lacks extended key usage ${usage} (has ${eku.join(", ") || "none"})`;
}

/**
 * How to mend one untrusted direction. When the certificate came from the CA its role requires
 * (as the node agrees on it), or from a CA its own side trusts, the verifier is the odd one out
 * and should trust that CA; otherwise the certificate came from the wrong CA and is re-issued
 * (with its role's command if known).
 */
function trustFix(presenter: Side, verifier: Side, presenterTrusts: Side, ctx: CheckContext): Fix {
  const certificate = presenter.certificates[0]!;
  const signer = ctx.issuersOf(certificate)[0];
  const trustFlags = verifier.refs.map(describeReference).join(" and ");
  const required = certificate.roles[0]?.issuer;
  // The signer is right if it is the CA the node agrees on for the certificate's role; with no
  // role to go by, if the presenter's own side trusts it (and it is no stray CA of any role).
  const strays = new Set(ctx.rules.roles.flatMap((role) => ctx.caConsensus(role.id)?.outliers.flatMap((g) => g.certificates) ?? []).map((c) => c.cert.fingerprintSha256));
  const signerIsRight =
    signer !== undefined &&
    (required !== undefined
      ? ctx.caCertificates(required).includes(signer)
      : !strays.has(signer.cert.fingerprintSha256) && presenterTrusts.certificates.some((ca) => ca.cert.fingerprintSha256 === signer.cert.fingerprintSha256));
  if (signer && signerIsRight) {
    // Name a CA file, not a kubeconfig that happens to embed the same CA.
    const caFile = ctx.certificates.find((c) => c.location.kind === "file" && c.cert.fingerprintSha256 === signer.cert.fingerprintSha256)?.path;
    if (!caFile) {
      // The CA exists on this node only inside a kubeconfig (typically the old CA during a rotation).
      return {
        at: verifier,
        text: `Add the CA that signed ${presenter.path} (${describeName(signer.cert.subject)}, on this node only in ${signer.path} certificate-authority-data: base64-decode it into a file) to the bundle ${trustFlags} names, or re-issue ${presenter.path} from the CA ${trustFlags} names.`,
      };
    }
    const steps = verifier.refs.map((ref) =>
      ref.field?.startsWith("certificate-authority")
        ? `set certificate-authority-data in ${ref.source} to the base64 of ${caFile}`
        : `point ${describeReference(ref)} at ${caFile}`,
    );
    const restart = [...new Set(verifier.refs.map((ref) => ref.component))].filter((component) => ctx.endpoints.flags[component] !== undefined || component === "kubelet");
    return {
      at: verifier,
      text: `${capitalise(steps.join(" and "))} (the CA that signed ${presenter.path})${restart.length > 0 ? `; then restart ${restart.join(" and ")}` : ""}.`,
    };
  }
  const role = certificate.roles[0];
  const command = role?.regenerate ?? role?.renew;
  return {
    at: presenter,
    text:
      role && command
        ? `Re-issue ${presenter.path} from the CA its role ${role.id} requires (${role.issuer}): ${command}`
        : `Re-issue ${presenter.path} from the CA ${trustFlags} names (${verifier.path}).`,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A fix, and the end of the connection it changes (the finding is anchored there). */
interface Fix {
  at: Side;
  text: string;
}

export const trustEdgeBroken: CheckKind = {
  id: "trust-edge-broken",
  title: "The two ends of a TLS connection do not trust each other",
  description:
    "For each control-plane connection (rules/edges.yaml): the client's certificate verifies against the CA the server trusts, the server's certificate against the CA the client trusts and carries the host the client dials, and both have the extended key usage for their direction.",
  citation: "reference: trust graph of a kubeadm control plane (kubeadm cmd/kubeadm/app/phases/controlplane/manifests.go, phases/etcd/local.go, phases/kubeconfig/kubeconfig.go); Go crypto/tls",
  explanation:
    "Every TLS connection has four certificate ends: the client's certificate, the CA file the server verifies it with, the server's certificate, and the CA file the client verifies that with. Each certificate can look perfect on its own and the connection still fail, because the two ends were configured with different CAs (an old CA left after a rotation, a kubeconfig copied from another cluster) or the server's certificate lacks the name the client dials. This check predicts those failures — 'tls: bad certificate', 'x509: certificate signed by unknown authority', 'x509: certificate is valid for …, not …' — from the files alone, before anything restarts. A CA vouches for a certificate only as Go's verifier accepts it: the CA's subject is the certificate's issuer name and the CA's key verifies its signature. A CA that merely has the right name (an old 'kubernetes' CA after a rotation) does not.",
  remediation: "Make both ends use the same CA: point the trusting side's CA flag at a bundle that holds the CA that signed the other side's certificate, or re-issue that certificate from the CA the other side trusts; add missing names to the server certificate.",
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const edge of ctx.rules.edges) {
      const finding = checkEdge(edge, ctx);
      if (finding) findings.push(finding);
    }
    return findings;
  },
};

function checkEdge(edge: TrustEdge, ctx: CheckContext): FindingDraft | null {
  const clientCert = pick(ctx, edge.client.cert, false);
  const clientTrusts = pick(ctx, edge.client.trusts, true);
  const serverCert = pick(ctx, edge.server.cert, false);
  const serverTrusts = pick(ctx, edge.server.trusts, true);
  const client = edge.client.component;
  const server = edge.server.component;
  const problems: string[] = [];
  const fixes: Fix[] = [];

  const clientSide = trustProblem(clientCert, serverTrusts, client, server, ctx);
  if (clientSide) {
    problems.push(clientSide);
    fixes.push(trustFix(clientCert, serverTrusts, clientTrusts, ctx));
  }
  const serverSide = trustProblem(serverCert, clientTrusts, server, client, ctx);
  if (serverSide) {
    problems.push(serverSide);
    fixes.push(trustFix(serverCert, clientTrusts, serverTrusts, ctx));
  }
  const served = serverCert.certificates[0];
  if (served) {
    const missing = dialedHosts(ctx, edge.client).filter((host) => !coversHost(served, host));
    if (missing.length > 0) {
      problems.push(`${client} dials ${missing.join(", ")}, which the certificate ${server} presents (${names(serverCert)}) does not carry as a SAN`);
      const role = served.roles[0];
      const dialer = dialerAnchor(ctx, edge);
      // A certificate that already has every name its role requires is right: the client dials a
      // stray name. A role that requires no names (hand-built clusters) says nothing either way:
      // the clients are the evidence, so the certificate is what to change.
      if (dialer && role?.sans && missingRequiredSans(served, role, ctx.facts).length === 0) {
        const carried = [...served.cert.sans.dns, ...served.cert.sans.ip].join(", ");
        fixes.push({ at: dialer, text: `Make ${client} dial a name the certificate carries (${carried}): change ${dialer.refs[0] ? locatorOf(dialer.refs[0]) : "it"} in ${dialer.path}; or add ${missing.join(", ")} to the certificate's SANs${role.regenerate ? `: ${role.regenerate}` : ""}.` });
      } else {
        fixes.push({ at: serverCert, text: `Re-issue ${serverCert.path} with SAN ${missing.join(", ")}${role?.regenerate ? `: ${role.regenerate}` : ""}.` });
      }
    }
  }
  for (const [side, usage, who] of [
    [clientCert, "clientAuth", client],
    [serverCert, "serverAuth", server],
  ] as const) {
    const problem = side.refs.length > 0 ? usageProblem(side, usage, who) : null;
    if (problem) {
      problems.push(problem);
      fixes.push({ at: side, text: `Re-issue ${side.path} with extendedKeyUsage ${usage}.` });
    }
  }
  // When both ends are the same files (etcd peers), each problem would be found twice.
  const unique = <T>(items: T[], key: (item: T) => string) => items.filter((item, i) => items.findIndex((other) => key(other) === key(item)) === i);
  problems.splice(0, problems.length, ...unique(problems, (p) => p));
  fixes.splice(0, fixes.length, ...unique(fixes, (f) => f.text));
  const first = fixes[0];
  if (!first) return null;
  // Anchor the finding where the first fix is made: the file to re-issue or the flag to repoint.
  const anchor = first.at.refs[0];
  return {
    severity: "critical",
    component: anchor?.component ?? client,
    path: first.at.path ?? "/",
    flag: anchor ? locatorOf(anchor) : null,
    role: anchor?.role ?? null,
    message: `${edge.title}: ${problems.join("; ")}. Effect: ${edge.symptom}.`,
    expected: client === server ? `${client} members trust each other's certificates` : `${client} and ${server} trust each other's certificates`,
    actual: problems.length === 1 ? "one end is not trusted" : `${problems.length} problems on this connection`,
    remediation: edge.remedy ?? fixes.map((fix) => fix.text).join("\n"),
    citation: edge.citation,
    connection: edge.id,
    // The certificate to re-issue, when the fix is one, carries the finding's severity as its status.
    // (A CA bundle to repoint is no fault of the CA in it.)
    ...(first.at.certificates[0] && !first.at.certificates[0].trustedAsCA ? { certificate: first.at.certificates[0] } : {}),
  };
}
