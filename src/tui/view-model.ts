/**
 * What each screen of the terminal UI shows, as plain rows of text: a pure function of the report
 * (the same model as the JSON output) and the rules' metadata. Nothing here reads files or the
 * terminal; the ink components only draw these rows.
 */
import { CHECKS } from "../check/registry.js";
import { SEVERITY_ORDER, type CertificateRecord, type Finding, type Layout, type Report, type Severity } from "../model.js";
import type { RuleSet } from "../rules/types.js";

export type Status = Severity | "ok";

/** Where a row leads when it is opened. */
export type ScreenRef =
  | { kind: "overview" }
  | { kind: "component"; name: string }
  /** Position in report.certificates: a kubeconfig holds two certificates at the same path. */
  | { kind: "certificate"; index: number }
  | { kind: "finding"; index: number }
  | { kind: "findings" }
  | { kind: "guided"; step: number };

export interface Row {
  text: string;
  /** Colour and filter class: a status, or a heading. */
  tone?: Status | "heading" | "muted";
  /** Selectable rows open this screen. */
  target?: ScreenRef;
  /** A detail line of the selectable row above it: hidden with it by a filter. */
  detail?: boolean;
}

export interface Screen {
  /** Short name for the breadcrumb. */
  title: string;
  rows: Row[];
}

export interface TuiModel {
  report: Report;
  rules: RuleSet;
}

const rank = (status: Status) => (status === "ok" ? -1 : SEVERITY_ORDER.indexOf(status));
export const worst = (statuses: Iterable<Status>): Status => [...statuses].reduce<Status>((a, b) => (rank(b) > rank(a) ? b : a), "ok");


const LAYOUTS: Record<Layout, string> = {
  kubeadm: "kubeadm (static pod manifests)",
  systemd: "hand-built (systemd units)",
  mixed: "mixed (kubeadm static pods and systemd units)",
  unknown: "unknown (no control-plane manifest or unit found)",
};

/** Cut a line to `width` columns, ending in an ellipsis when something was cut. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join("")}…`;
}

/** Wrap a paragraph at word boundaries to `width` columns; words longer than a line are split. */
export function wrap(text: string, width: number, indent = ""): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = indent;
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      let rest = word;
      while (rest.length > 0) {
        const room = width - line.length - (line.trim() ? 1 : 0);
        if (rest.length <= room) {
          line += (line.trim() ? " " : "") + rest;
          rest = "";
        } else if (line.trim() && rest.length <= width - indent.length) {
          lines.push(line);
          line = indent;
        } else {
          const cut = Math.max(1, room);
          line += (line.trim() ? " " : "") + rest.slice(0, cut);
          rest = rest.slice(cut);
          lines.push(line);
          line = indent;
        }
      }
    }
    lines.push(line);
  }
  return lines;
}

const pad = (text: string, width: number) => truncate(text, width).padEnd(width);
const badge = (status: Status) => pad(status.toUpperCase(), 9);
const paragraph = (text: string, width: number, indent = "  ", tone?: Row["tone"]): Row[] => wrap(text, width, indent).map((line) => ({ text: line, ...(tone ? { tone } : {}) }));
/** A remediation step that is a shell command (to copy), not a sentence. */
const looksLikeCommand = (step: string) => /^(openssl|kubeadm|kubectl|mv|cp|rm|systemctl|chmod|chown|base64|cat) /.test(step);

/**
 * A command wrapped the way a shell reads it: breaks only between words, each line but the last
 * ending in " \\", so it can be copied from the screen as it is. A word longer than a line stays
 * whole (the row is then cut at the edge: the report and `-o json` have it in full).
 */
function commandLines(command: string, width: number): Row[] {
  const lines: string[] = [];
  let line = "  $";
  for (const word of command.split(" ")) {
    if (line.length + 1 + word.length + 2 > width && line.trim() !== "$") {
      lines.push(`${line} \\`);
      line = "     ";
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines.map((text) => ({ text: truncate(text, width), tone: "ok" as const }));
}

const heading = (text: string, width: number): Row => ({ text: truncate(text, width), tone: "heading" });
const blank: Row = { text: "" };

/** The components a person thinks in: the running ones, then kubeconfig users and well-known clients. */
export function componentNames(report: Report): string[] {
  const names = new Set<string>();
  for (const c of report.components) if (c.kind !== "kubeconfig") names.add(c.name);
  for (const cert of report.certificates) for (const ref of cert.references) names.add(ref.component);
  for (const finding of report.findings) if (finding.component !== "") names.add(finding.component);
  return [...names];
}

function certificatesOf(report: Report, component: string): CertificateRecord[] {
  return report.certificates.filter((c) => c.references.some((r) => r.component === component));
}

const findingsOf = (report: Report, component: string) => report.findings.filter((f) => f.component === component);

/** A finding belongs to a certificate when it names its file and one of the flags or fields naming it. */
export function findingsOnCertificate(report: Report, cert: CertificateRecord): Finding[] {
  const locators = new Set(cert.references.flatMap((r) => [r.flag, r.field].filter((x): x is string => x !== undefined)));
  return report.findings.filter((f) => f.path === cert.path && (f.flag === null || locators.has(f.flag) || [...locators].some((l) => f.flag?.includes(l))));
}

/** A certificate's status: the worst of the report's status and every finding that names it. */
export function certificateStatus(report: Report, cert: CertificateRecord): Status {
  return worst([cert.status, ...findingsOnCertificate(report, cert).map((f) => f.severity === "info" ? "ok" : f.severity)]);
}

export function componentStatus(report: Report, component: string): Status {
  return worst([...certificatesOf(report, component).map((c) => certificateStatus(report, c)), ...findingsOf(report, component).map((f) => f.severity)]);
}

/** "1 finding", "2 findings". */
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** Expiry date and days left; negative once expired. */
const expiry = (c: CertificateRecord) => `${c.notAfter.slice(0, 10)} (${c.daysRemaining}d)`;
const dn = (name: { cn: string | null; o: string[] }) => [name.cn !== null ? `CN=${name.cn}` : "", ...name.o.map((o) => `O=${o}`)].filter(Boolean).join(", ") || "(empty)";
const sansOf = (c: CertificateRecord) => [...c.sans.dns, ...c.sans.ip].join(", ") || "-";

function findingRow(report: Report, finding: Finding, width: number): Row {
  const index = report.findings.indexOf(finding);
  const where = [finding.component, finding.flag].filter(Boolean).join(" ");
  return { text: truncate(`${badge(finding.severity)}${pad(finding.id, 22)} ${where}  ${finding.path}`, width), tone: finding.severity, target: { kind: "finding", index } };
}

function certificateRows(report: Report, cert: CertificateRecord, width: number, component?: string): Row[] {
  const refs = cert.references.filter((r) => component === undefined || r.component === component);
  const use = refs.map((r) => r.flag && r.field ? `${r.flag} → ${r.field}` : (r.flag ?? r.field ?? r.purpose)).join(", ") || cert.references[0]?.purpose || "";
  const purpose = cert.isCA ? "CA" : (refs[0]?.purpose ?? "");
  const status = certificateStatus(report, cert);
  // The path keeps its end (the file name) when it has to be shortened.
  const shownPath = cert.path.length > 40 ? `…${cert.path.slice(-39)}` : cert.path;
  return [
    { text: truncate(`${badge(status)}${pad(purpose, 8)} ${pad(shownPath, 40)} ${expiry(cert)}`, width), tone: status, target: { kind: "certificate", index: report.certificates.indexOf(cert) } },
    { text: truncate(`          ${use}`, width), tone: "muted", detail: true },
    { text: truncate(`          ${dn(cert.subject)} · issuer ${dn(cert.issuer)}`, width), tone: "muted", detail: true },
    { text: truncate(`          SANs: ${sansOf(cert)}`, width), tone: "muted", detail: true },
  ];
}

function connectionRows(report: Report, width: number, component?: string): Row[] {
  return report.connections
    .filter((c) => component === undefined || c.client === component || c.server === component)
    .map((c): Row => {
      const finding = report.findings.findIndex((f) => f.connection === c.id);
      const label = { ok: "TRUSTED", partial: "ONE END", broken: "BROKEN" }[c.status];
      return {
        // Rows that open nothing are indented like the selectable ones around them.
        text: truncate(`${finding >= 0 ? "" : "  "}${pad(label, 9)}${c.title}`, width),
        tone: c.status === "broken" ? "critical" : c.status === "ok" ? "ok" : "muted",
        ...(finding >= 0 ? { target: { kind: "finding", index: finding } } : {}),
      };
    });
}

function overview({ report }: TuiModel, width: number): Screen {
  const { node, summary } = report;
  const f = node.facts;
  const facts = [
    `node name ${f.nodeName ?? "unknown"}`,
    `advertise address ${f.advertiseAddress ?? "unknown"}`,
    `service IP ${f.serviceIP ?? "unknown"}`,
    `cluster domain ${f.clusterDomain ?? "unknown"}`,
  ].join(" · ");
  const s = summary.bySeverity;
  const rows: Row[] = [
    ...paragraph(`Node ${node.hostname ?? "(no /etc/hostname)"} under ${node.root}, evaluated at ${report.evaluatedAt}`, width, ""),
    ...paragraph(`Layout: ${LAYOUTS[node.layout]}; rules: ${node.profiles.join(" + ")}`, width, ""),
    ...paragraph(`Facts: ${facts}`, width, ""),
    {
      text: truncate(`Findings: ${s.critical} critical, ${s.warning} warning, ${s.info} info · ${count(summary.certificates, "certificate")}, ${s.ok} without problems`, width),
      tone: s.critical > 0 ? "critical" : s.warning > 0 ? "warning" : "ok",
    },
    blank,
    heading("Components (Enter opens one)", width),
    ...componentNames(report).map((name): Row => {
      const status = componentStatus(report, name);
      const certs = certificatesOf(report, name).length;
      const findings = findingsOf(report, name).length;
      return { text: truncate(`${badge(status)}${pad(name, 28)} ${count(certs, "certificate")}, ${count(findings, "finding")}`, width), tone: status, target: { kind: "component", name } };
    }),
    blank,
    heading("More", width),
    { text: `All findings (${report.findings.length})`, target: { kind: "findings" }, tone: worst(report.findings.map((f) => f.severity)) },
    { text: "Guided health check: CAs, serving, client certificates, connections (g)", target: { kind: "guided", step: 0 } },
  ];
  return { title: "Overview", rows };
}

function component({ report }: TuiModel, name: string, width: number): Screen {
  const sources = report.components.filter((c) => c.name === name).map((c) => `${c.kind} ${c.source}`);
  const certs = certificatesOf(report, name);
  const connections = connectionRows(report, width, name);
  const findings = findingsOf(report, name);
  return {
    title: name,
    rows: [
      ...paragraph(`${name}${sources.length > 0 ? `: ${sources.join("; ")}` : ""}`, width, ""),
      blank,
      heading(`Certificates (${certs.length}): status, purpose, path, expiry (days left); use, names, SANs`, width),
      ...(certs.length > 0 ? certs.flatMap((c) => certificateRows(report, c, width, name)) : [{ text: "  none", tone: "muted" as const }]),
      blank,
      heading(`Connections (${connections.length}): TRUSTED both ends here trust each other, ONE END only one end is here`, width),
      ...(connections.length > 0 ? connections : [{ text: "  none on this node", tone: "muted" as const }]),
      blank,
      heading(`Findings (${findings.length})`, width),
      ...(findings.length > 0 ? findings.map((f) => findingRow(report, f, width)) : [{ text: "  none", tone: "muted" as const }]),
    ],
  };
}

const KEY_USAGE_LABELS: Record<string, string> = {
  digitalSignature: "Digital Signature",
  nonRepudiation: "Non Repudiation",
  keyEncipherment: "Key Encipherment",
  dataEncipherment: "Data Encipherment",
  keyAgreement: "Key Agreement",
  keyCertSign: "Certificate Sign",
  cRLSign: "CRL Sign",
  encipherOnly: "Encipher Only",
  decipherOnly: "Decipher Only",
  serverAuth: "TLS Web Server Authentication",
  clientAuth: "TLS Web Client Authentication",
};
const usages = (names: string[]) => names.map((n) => KEY_USAGE_LABELS[n] ?? n).join(", ") || "(none)";

/** The check kinds that judge a single certificate, in the order an expert reads them. */
const CERTIFICATE_CHECKS = [
  "cert-expired", "cert-not-yet-valid", "cert-expiring", "issuer-mismatch", "ca-not-ca", "ca-outlived", "cn-mismatch", "o-mismatch",
  "san-missing", "key-usage-missing", "ext-key-usage-missing", "key-mismatch", "weak-key", "weak-signature", "file-permissions", "trust-edge-broken",
];

function certificate(model: TuiModel, index: number, width: number): Screen {
  const { report, rules } = model;
  const cert = report.certificates[index];
  if (!cert) return { title: "certificate", rows: [{ text: `No certificate ${index} in this report.`, tone: "muted" }] };
  const findings = findingsOnCertificate(report, cert);
  const line = (label: string, value: string): Row[] => wrap(`${label}: ${value}`, width, "    ").map((text, i) => ({ text: i === 0 ? `    ${text.trimStart()}` : text }));
  const roleTitle = (id: string) => rules.roles.find((r) => r.id === id)?.title ?? "";
  return {
    title: cert.path.split("/").pop() ?? cert.path,
    rows: [
      { text: truncate(`Certificate: ${cert.path}${cert.index > 0 ? ` (certificate ${cert.index + 1} in the file)` : ""}`, width), tone: cert.status },
      ...(cert.resolvedPath ? line("Symlink to", cert.resolvedPath) : []),
      ...line("Subject", dn(cert.subject)),
      ...line("Issuer", `${dn(cert.issuer)}${cert.selfSigned ? " (self-signed)" : ""}`),
      ...line("Serial Number", cert.serial),
      { text: "    Validity" },
      { text: `        Not Before: ${cert.notBefore}` },
      { text: `        Not After : ${cert.notAfter}  (${cert.daysRemaining < 0 ? `expired ${-cert.daysRemaining} days ago` : `${cert.daysRemaining} days left`})`, tone: cert.daysRemaining < 0 ? "critical" : undefined },
      ...line("Public Key Algorithm", `${cert.keyAlgorithm}${cert.keySize ? ` (${cert.keySize} bit)` : ""}`),
      ...line("Signature Algorithm", cert.signatureAlgorithm),
      ...line("X509v3 Key Usage", usages(cert.keyUsage)),
      ...line("X509v3 Extended Key Usage", usages(cert.extKeyUsage)),
      ...line("X509v3 Subject Alternative Name", [...cert.sans.dns.map((d) => `DNS:${d}`), ...cert.sans.ip.map((i) => `IP Address:${i}`)].join(", ") || "(none)"),
      ...line("X509v3 Basic Constraints", cert.isCA ? "CA:TRUE" : "CA:FALSE"),
      ...line("SHA256 Fingerprint", cert.fingerprintSha256),
      ...(cert.roles.length > 0 ? line("Roles", cert.roles.map((id) => `${id} (${roleTitle(id)})`).join("; ")) : line("Roles", "none: no rule names what this certificate must be")),
      blank,
      heading(`Referenced by (${cert.references.length})`, width),
      ...cert.references.flatMap((r) => wrap(`${r.component} ${[r.flag, r.field].filter(Boolean).join(" → ")} as ${r.purpose}, in ${r.source}`, width, "  ").map((text) => ({ text }))),
      blank,
      heading("Checks on this certificate (Enter on a failed one explains it)", width),
      ...findings.map((f) => findingRow(report, f, width)),
      ...CERTIFICATE_CHECKS.filter((id) => !findings.some((f) => f.id === id)).map((id): Row => ({ text: truncate(`${pad("PASS", 9)}${id}`, width), tone: "ok" })),
    ],
  };
}

function finding(model: TuiModel, index: number, width: number): Screen {
  const f = model.report.findings[index];
  if (!f) return { title: "finding", rows: [{ text: `No finding ${index} in this report.`, tone: "muted" }] };
  const check = CHECKS.find((c) => c.id === f.id);
  const cert = model.report.certificates.find((c) => c.path === f.path && findingsOnCertificate(model.report, c).includes(f));
  return {
    title: f.id,
    rows: [
      { text: truncate(`${f.severity.toUpperCase()} ${f.id}${check ? ` — ${check.title}` : ""}`, width), tone: f.severity },
      ...paragraph(`Where: ${[f.component, f.flag].filter(Boolean).join(" ")} in ${f.path}${f.role ? ` (role ${f.role})` : ""}`, width, ""),
      blank,
      heading("What is wrong", width),
      ...paragraph(f.message, width),
      ...(f.expected !== null ? paragraph(`Expected: ${f.expected}`, width) : []),
      ...(f.actual !== null ? paragraph(`Actual:   ${f.actual}`, width) : []),
      blank,
      heading("How to fix it", width),
      ...f.remediation.split("\n").flatMap((step) => (looksLikeCommand(step) ? commandLines(step, width) : paragraph(step, width, "  ", "ok"))),
      blank,
      ...(check
        ? [heading("What this check verifies", width), ...paragraph(check.description, width), blank, heading("Why it matters", width), ...paragraph(check.explanation, width), blank]
        : []),
      ...paragraph(`Source: ${f.citation}`, width, "", "muted"),
      ...paragraph(`More: kube-cert-audit explain ${f.id}${f.role ? ` · kube-cert-audit explain ${f.role}` : ""}`, width, "", "muted"),
      ...(cert ? [blank, { text: truncate(`Open the certificate ${cert.path}`, width), target: { kind: "certificate", index: model.report.certificates.indexOf(cert) } as ScreenRef }] : []),
    ],
  };
}

function allFindings({ report }: TuiModel, width: number): Screen {
  return {
    title: "Findings",
    rows: report.findings.length > 0 ? report.findings.map((f) => findingRow(report, f, width)) : [{ text: "No findings: every check passed.", tone: "ok" }],
  };
}

/** The health check in the order an expert walks it, one step per screen. */
export const GUIDED_STEPS: ReadonlyArray<{ title: string; advice: string; select: (c: CertificateRecord) => boolean } | { title: string; advice: string; connections: true }> = [
  {
    title: "Certificate authorities",
    advice:
      "Start with the CAs: everything else is judged against them. Each should be a self-signed CA certificate that is far from expiry, and every flag that expects a given CA (cluster, etcd, front proxy) should name the same one.",
    select: (c) => c.isCA,
  },
  {
    title: "Serving certificates",
    advice:
      "Next, what each server presents: it must chain to the CA its clients trust, carry every name and IP they dial (Service IP, node name, advertise address, load balancer) and have serverAuth.",
    select: (c) => !c.isCA && c.references.some((r) => r.purpose === "serving" || r.purpose === "peer"),
  },
  {
    title: "Client certificates",
    advice:
      "Then the clients: the CN and O are the identity the API server authorizes (system:node:<name> in system:nodes, system:kube-controller-manager, …), they need clientAuth and must chain to the CA the server trusts.",
    select: (c) => !c.isCA && c.references.some((r) => r.purpose === "client") && !c.references.some((r) => r.purpose === "serving" || r.purpose === "peer"),
  },
  {
    title: "Connections",
    advice:
      "Last, each connection as a whole: both ends must trust each other. A certificate can be perfect on its own and the connection still fail because the other side trusts another CA.",
    connections: true,
  },
];

function guided(model: TuiModel, step: number, width: number): Screen {
  const index = Math.max(0, Math.min(GUIDED_STEPS.length - 1, step));
  const s = GUIDED_STEPS[index] as (typeof GUIDED_STEPS)[number];
  const { report } = model;
  const rows = "connections" in s ? connectionRows(report, width) : report.certificates.filter(s.select).flatMap((c) => certificateRows(report, c, width));
  return {
    title: `Step ${index + 1}/${GUIDED_STEPS.length}`,
    rows: [
      { text: `Step ${index + 1} of ${GUIDED_STEPS.length}: ${s.title}`, tone: "heading" },
      ...paragraph(s.advice, width, ""),
      { text: index < GUIDED_STEPS.length - 1 ? "n: next step · p: previous step · Enter: open" : "p: previous step · Esc: back to the overview · Enter: open", tone: "muted" },
      blank,
      ...(rows.length > 0 ? rows : [{ text: "  nothing of this kind on this node", tone: "muted" as const }]),
    ],
  };
}

export function screenFor(model: TuiModel, ref: ScreenRef, width: number): Screen {
  switch (ref.kind) {
    case "overview":
      return overview(model, width);
    case "component":
      return component(model, ref.name, width);
    case "certificate":
      return certificate(model, ref.index, width);
    case "finding":
      return finding(model, ref.index, width);
    case "findings":
      return allFindings(model, width);
    case "guided":
      return guided(model, ref.step, width);
  }
}
