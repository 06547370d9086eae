import Table from "cli-table3";
import { dump } from "js-yaml";
import { CHECKS, findCheck } from "../check/registry.js";
import { findProbeCheck, PROBE_CHECKS } from "../probe/registry.js";
import type { OutputFormat } from "../report/render.js";
import type { RoleMatch, RoleRule, RuleSet, TrustEdge } from "../rules/types.js";
import { UsageError } from "./options.js";

function selector(m: RoleMatch): string {
  return m.path ?? [m.component, m.flag, m.kubeconfig && m.kubeconfig !== "*" ? m.kubeconfig : m.kubeconfig ? "every kubeconfig" : undefined, m.field].filter(Boolean).join(" ");
}

function selectors(role: RoleRule): string {
  return role.match.map(selector).join("\n");
}

/** `kube-cert-audit rules`: the roles and the flag map in force, as a table or as data. */
export function renderRules(rules: RuleSet, format: OutputFormat): string {
  const data = { roles: rules.roles.map(({ source: _source, ...role }) => role), edges: rules.edges, settings: rules.settings, references: rules.references };
  if (format === "json") return JSON.stringify(data, null, 2) + "\n";
  if (format === "yaml") return dump(data, { noRefs: true, lineWidth: -1 });
  const table = new Table({
    head: ["Role", "Referenced by", "CN", "O", "SANs", "EKU", "Issuer"],
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [24, 44, 26, 24, 34, 14, 14],
  });
  for (const role of rules.roles) {
    table.push([
      `${role.id}\n(${role.profile})`,
      selectors(role),
      role.cn ? `${role.cn.anyOf.join(" | ")}\n[${role.cn.severity}]` : "-",
      role.o ? `${role.o.anyOf.map((set) => set.join(",") || "(none)").join(" | ")}\n[${role.o.severity}]` : "-",
      role.sans ? [...(role.sans.dns ?? []), ...(role.sans.ip ?? [])].join(", ") : "-",
      role.isCA ? "CA" : (role.extKeyUsage ?? []).join(", ") || "-",
      role.issuer ?? "-",
    ]);
  }
  const edges = new Table({ head: ["Connection", "Client presents / trusts", "Server presents / trusts"], style: { head: [], border: [] }, wordWrap: true, colWidths: [34, 56, 56] });
  const end = (e: TrustEdge["client"]) => [e.cert ? `presents ${selector(e.cert)}` : "", e.trusts ? `trusts ${selector(e.trusts)}` : ""].filter(Boolean).join("\n") || "-";
  for (const edge of rules.edges) edges.push([`${edge.id}\n${edge.title}`, end(edge.client), end(edge.server)]);
  const settings = new Table({ head: ["Setting", "Component", "Flag or field", "Severity"], style: { head: [], border: [] }, wordWrap: true, colWidths: [34, 26, 40, 10] });
  for (const s of rules.settings) settings.push([`${s.id}\n${s.title}`, s.component, s.flag ?? s.field ?? "-", s.severity]);
  return [
    "Certificate roles",
    table.toString(),
    "",
    "Connections (trust edges)",
    edges.toString(),
    "",
    "Security settings",
    settings.toString(),
    "",
    "Run 'kube-cert-audit explain ID' for a role's, connection's or setting's citation and fix, 'kube-cert-audit rules -o yaml' for the full data.",
    "",
  ].join("\n");
}

/** `kube-cert-audit explain ID`: a check kind (of the file audit or the live probe) or a role, in words. */
export function explain(id: string, rules: RuleSet): string {
  const check = findCheck(id) ?? findProbeCheck(id);
  if (check) {
    return [
      `${check.id}: ${check.title}`,
      ...(findProbeCheck(id) ? ["Runs only with --probe (a live TLS connection to the component)."] : []),
      "",
      `Checks:      ${check.description}`,
      "",
      check.explanation,
      "",
      `Fix:         ${check.remediation}`,
      `Source:      ${check.citation}`,
      "",
    ].join("\n");
  }
  const role = rules.roles.find((candidate) => candidate.id === id);
  if (role) {
    return (
      [
        `${role.id}: ${role.title}`,
        `Profile:     ${role.profile}   (defined in ${role.source})`,
        `Found via:   ${selectors(role).split("\n").join("; ")}`,
        role.issuer ? `Issuer:      ${role.issuer}` : "",
        role.cn ? `CN:          ${role.cn.anyOf.join(" or ")} [${role.cn.severity}]${role.cn.why ? ` — ${role.cn.why}` : ""}` : "",
        role.o ? `O:           ${role.o.anyOf.map((set) => set.join(", ") || "(none)").join(" or ")} [${role.o.severity}]${role.o.why ? ` — ${role.o.why}` : ""}` : "",
        role.sans ? `SANs:        ${[...(role.sans.dns ?? []), ...(role.sans.ip ?? [])].join(", ")} [${role.sans.severity}]` : "",
        role.extKeyUsage ? `EKU:         ${role.extKeyUsage.join(", ")}` : "",
        role.renew ? `Renew:       ${role.renew}` : "",
        role.regenerate ? `Regenerate:  ${role.regenerate}` : "",
        role.restart ? `Restart:     ${role.restart}` : "",
        role.notes ? `Notes:       ${role.notes}` : "",
        `Source:      ${role.citation}`,
      ]
        .filter(Boolean)
        .join("\n") + "\n"
    );
  }
  const edge = rules.edges.find((candidate) => candidate.id === id);
  if (edge) {
    const side = (name: string, e: TrustEdge["client"]) =>
      [`${name}: ${e.component}`, e.cert ? `  presents ${selector(e.cert)}` : "", e.trusts ? `  trusts   ${selector(e.trusts)}` : "", e.dials ? `  dials    the hosts of ${selector(e.dials)}` : "", e.dialsFacts ? `  dials    ${e.dialsFacts.join(", ")}` : ""].filter(Boolean);
    return [`${edge.id}: ${edge.title}`, "", ...side("Client", edge.client), ...side("Server", edge.server), "", `When broken: ${edge.symptom}`, ...(edge.remedy ? [`Fix:         ${edge.remedy}`] : []), `Source:      ${edge.citation}`, ""].join("\n");
  }
  const setting = rules.settings.find((candidate) => candidate.id === id);
  if (setting) {
    return [`${setting.id}: ${setting.title}`, `Where:       ${setting.component} ${setting.flag ?? setting.field} (${Object.entries(setting.condition).map(([k, v]) => (v === true ? k : `${k} ${v}`)).join("")}) [${setting.severity}]`, "", setting.why, "", `Fix:         ${setting.remediation}`, `Source:      ${setting.citation}`, ""].join("\n");
  }
  const ids = [...CHECKS.map((c) => c.id), ...PROBE_CHECKS.map((c) => c.id), ...rules.roles.map((r) => r.id), ...rules.edges.map((e) => e.id), ...rules.settings.map((s) => s.id)];
  throw new UsageError(`no check, role, connection or setting '${id}'. Known: ${ids.join(", ")}`);
}
