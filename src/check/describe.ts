import { formatDuration, intervalToDuration } from "date-fns";
import type { CertReference, DistinguishedName, Severity } from "../model.js";
import type { DiscoveryProblem } from "../discover/discover.js";
import type { RoleRule } from "../rules/types.js";
import type { AuditedCertificate, CheckContext, FindingDraft } from "./types.js";

/**
 * What locates a reference in its source file, for a finding's `flag`: the kubeconfig or config
 * field when there is one (it says which part of the file), else the command-line flag.
 */
export function locatorOf(ref: Pick<CertReference, "flag" | "field">): string | null {
  return ref.field ?? ref.flag ?? null;
}

/** "kube-apiserver --etcd-certfile", "admin.conf client-certificate-data", "kubelet tlsCertFile". */
export function describeReference(ref: CertReference): string {
  const locator = ref.flag && ref.field ? `${ref.flag} → ${ref.field}` : (ref.flag ?? ref.field);
  return locator ? `${ref.component} ${locator}` : ref.component;
}

export function describeName(name: DistinguishedName): string {
  const parts = [name.cn !== null ? `CN=${name.cn}` : null, ...name.o.map((o) => `O=${o}`)].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : "(empty)";
}

/** A short, unambiguous label for a CA certificate: its CN, file and fingerprint prefix. */
export function describeCA(ca: AuditedCertificate): string {
  const index = ca.index > 0 ? ` #${ca.index + 1}` : "";
  return `${describeName(ca.cert.subject)} in ${ca.path}${index} (SHA-256 ${ca.cert.fingerprintSha256.slice(0, 11)}…)`;
}

/**
 * The fields every certificate finding shares, taken from the reference the finding is about
 * (by default the certificate's first reference).
 */
export function aboutCertificate(
  certificate: AuditedCertificate,
  role: RoleRule | undefined,
  severity: Severity,
  rest: Pick<FindingDraft, "message" | "expected" | "actual" | "remediation">,
  primary: CertReference | undefined = certificate.references.find((ref) => role !== undefined && ref.role === role.id) ?? certificate.references[0],
): FindingDraft {
  const others = certificate.references.filter((ref) => ref !== primary).length;
  const usedBy = others > 0 ? ` (also used by ${others} more reference${others > 1 ? "s" : ""})` : "";
  return {
    severity,
    component: primary?.component ?? "unknown",
    path: certificate.path,
    flag: primary ? locatorOf(primary) : null,
    role: role?.id ?? primary?.role ?? certificate.roles[0]?.id ?? null,
    ...rest,
    message: rest.message + usedBy,
    ...(role ? { citation: role.citation } : {}),
    certificate,
  };
}

/** The command that fixes a certificate, and the restart that makes the component use it. */
export function renewAdvice(role: RoleRule | undefined, how: "renew" | "regenerate", fallback: string): string {
  const command = (how === "regenerate" ? role?.regenerate : undefined) ?? role?.renew;
  const steps = [command ?? fallback];
  if (role?.restart) steps.push(`Then restart ${role.restart}`);
  return steps.join("\n");
}

/** Severity no higher than the cap. */
export function capSeverity(severity: Severity, cap: Severity | undefined): Severity {
  const order: Severity[] = ["info", "warning", "critical"];
  if (!cap) return severity;
  return order[Math.min(order.indexOf(severity), order.indexOf(cap))] as Severity;
}

/**
 * A word of a suggested shell command: as it is when plainly safe (paths, names), else in single
 * quotes. Paths and names come from the audited tree and certificates, and a command an admin
 * pastes must not run what a hostile CN or file name smuggles in.
 */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : singleQuoted(value);
}

/** A shell argument that is always quoted: in double quotes when nothing in it is special there. */
function shellQuoted(value: string): string {
  return /^[^"$`\\!\u0000-\u001f\u007f]*$/.test(value) ? `"${value}"` : singleQuoted(value);
}

function singleQuoted(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * printf text for openssl's -extfile: the lines in one format string when it holds nothing printf
 * or the shell would read (quote, backslash, %), else each line as a quoted argument of '%s\n'.
 */
function printfLines(lines: readonly string[]): string {
  return lines.every((line) => /^[^'\\%\u0000-\u001f\u007f]*$/.test(line))
    ? `printf '${lines.join("\\n")}'`
    : `printf '%s\\n' ${lines.map(singleQuoted).join(" ")}`;
}

/** What the re-issued certificate must say, when a check knows better than the certificate. */
export interface ReissueSubject {
  cn?: string;
  o?: string[];
}

/**
 * How to replace a certificate: the role's commands where they fit this node (kubeadm's on a
 * kubeadm node), a CA rotation for CAs, or else the openssl sequence that re-issues it from the
 * CA its role requires, with the subject and usages it must have, and puts it back where it is
 * used (a file, or a kubeconfig's client-certificate-data).
 */
export function reissueAdvice(certificate: AuditedCertificate, ctx: CheckContext, how: "renew" | "regenerate" = "renew", subject: ReissueSubject = {}): string {
  const role = certificate.roles[0];
  const commandsFit = role !== undefined && (role.commandsProfile === undefined || ctx.profiles.includes(role.commandsProfile));
  if (role?.renew && commandsFit) return renewAdvice(role, how, role.renew);
  if (certificate.trustedAsCA || certificate.cert.basicConstraints?.ca) {
    return "Rotate the CA: https://kubernetes.io/docs/tasks/tls/manual-rotation-of-ca-certificates/";
  }
  return opensslReissue(certificate, ctx, subject, commandsFit ? role?.restart : undefined);
}

function opensslReissue(certificate: AuditedCertificate, ctx: CheckContext, subject: ReissueSubject, roleRestart: string | undefined): string {
  const role = certificate.roles[0];
  const referenceOf = (path: string) => ctx.references.find((r) => r.resolved.location?.path === path && r.resolved.key);
  const own = referenceOf(certificate.path);
  const kubeconfig = certificate.location.kind === "embedded" ? certificate.location.path : undefined;
  // The CA the role requires (the node's agreed one); else the one that signed it.
  const ca = (role?.issuer && role.issuer !== "self" && role.issuer !== "bundled" ? ctx.caCertificates(role.issuer) : []).find((c) => c.location.kind === "file") ?? ctx.issuersOf(certificate).find((c) => c.location.kind === "file");
  const caPath = ca?.path ?? "CA.crt";
  // The CA's key as a flag pairs it (--cluster-signing-key-file), else by naming convention:
  // kubeadm's ca.crt/ca.key, cfssl's ca.pem/ca-key.pem.
  const caKey = referenceOf(caPath)?.resolved.key?.location?.path ?? (caPath.endsWith(".pem") ? caPath.replace(/\.pem$/, "-key.pem") : caPath.replace(/\.crt$/, ".key"));
  const cn = subject.cn ?? certificate.cert.subject.cn;
  const o = subject.o ?? certificate.cert.subject.o;
  const subj = [cn !== null ? `/CN=${cn}` : "", ...o.map((value) => `/O=${value}`)].join("");
  const { sans } = certificate.cert;
  const eku = role?.extKeyUsage ?? certificate.cert.extKeyUsage ?? [];
  const ext = [
    sans.dns.length + sans.ip.length > 0 ? `subjectAltName=${[...sans.dns.map((d) => `DNS:${d}`), ...sans.ip.map((i) => `IP:${i}`)].join(",")}` : "",
    eku.length > 0 ? `extendedKeyUsage=${eku.join(",")}` : "",
    "keyUsage=critical,digitalSignature,keyEncipherment",
  ].filter(Boolean);
  const steps: string[] = [];
  let keyPath = own?.resolved.key?.location?.kind === "file" ? own.resolved.key.location.path : "KEY.pem";
  const out = kubeconfig ? "/tmp/reissue.crt" : certificate.path;
  if (kubeconfig) {
    // The key is embedded too: take it out for openssl, and put the new certificate back in.
    keyPath = "/tmp/reissue.key";
    steps.push(`kubectl config view --kubeconfig ${shellWord(kubeconfig)} --raw -o jsonpath='{.users[0].user.client-key-data}' | base64 -d > ${keyPath}`);
  }
  steps.push(
    `openssl req -new -key ${shellWord(keyPath)} -subj ${shellQuoted(subj)} -out /tmp/reissue.csr`,
    `openssl x509 -req -in /tmp/reissue.csr -CA ${shellWord(caPath)} -CAkey ${shellWord(caKey)} -CAcreateserial -days 365 -extfile <(${printfLines(ext)}) -out ${shellWord(out)}`,
  );
  if (kubeconfig) {
    steps.push(
      `kubectl config set-credentials "$(kubectl config view --kubeconfig ${shellWord(kubeconfig)} -o jsonpath='{.users[0].name}')" --kubeconfig ${shellWord(kubeconfig)} --client-certificate=${out} --client-key=${keyPath} --embed-certs=true && rm ${keyPath}`,
    );
  }
  const components = [...new Set(certificate.references.map((r) => r.component))].filter((c) => ctx.endpoints.flags[c] !== undefined);
  steps.push(
    roleRestart
      ? `Then restart ${roleRestart}`
      : components.length > 0 && !ctx.profiles.includes("kubeadm")
        ? `Then restart ${components.join(" and ")}: systemctl restart ${components.join(" ")}`
        : "Then restart every component that uses it.",
  );
  return steps.join("\n");
}

/**
 * The time between two instants in its two largest units, never rounded up ("11 days 14 hours",
 * "1 year 2 months"): an admin deciding whether to renew tonight needs the real figure.
 */
export function humanDuration(from: Date, to: Date): string {
  const [start, end] = from.getTime() <= to.getTime() ? [from, to] : [to, from];
  const duration = intervalToDuration({ start, end });
  const units = (["years", "months", "days", "hours", "minutes", "seconds"] as const).filter((unit) => (duration[unit] ?? 0) > 0);
  return formatDuration(duration, { format: units.slice(0, 2) }) || "0 seconds";
}

/** Findings for the problems discovery recorded under one check's id (a manifest that does not parse, …). */
export function discoveryFindings(
  ctx: CheckContext,
  id: DiscoveryProblem["id"],
  rest: Pick<FindingDraft, "expected" | "actual" | "remediation">,
): FindingDraft[] {
  return ctx.discoveryProblems.filter((problem) => problem.id === id).map(({ id: _id, ...problem }) => ({ ...problem, role: null, ...rest }));
}
