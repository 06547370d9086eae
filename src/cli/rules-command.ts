import Table from "cli-table3";
import { dump } from "js-yaml";
import { CHECKS, findCheck } from "../check/registry.js";
import type { OutputFormat } from "../report/render.js";
import type { RoleRule, RuleSet } from "../rules/types.js";
import { UsageError } from "./options.js";

function selectors(role: RoleRule): string {
  return role.match
    .map((m) => m.path ?? [m.component, m.flag, m.kubeconfig && m.kubeconfig !== "*" ? m.kubeconfig : m.kubeconfig ? "every kubeconfig" : undefined, m.field].filter(Boolean).join(" "))
    .join("\n");
}

/** `kube-cert-audit rules`: the roles and the flag map in force, as a table or as data. */
export function renderRules(rules: RuleSet, format: OutputFormat): string {
  const data = { roles: rules.roles.map(({ source: _source, ...role }) => role), references: rules.references };
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
  return `${table.toString()}\n\nRun 'kube-cert-audit explain ROLE' for a role's citation and fix, 'kube-cert-audit rules -o yaml' for the full data.\n`;
}

/** `kube-cert-audit explain ID`: a check kind or a role, in words. */
export function explain(id: string, rules: RuleSet): string {
  const check = findCheck(id);
  if (check) {
    return [
      `${check.id}: ${check.title}`,
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
  const ids = [...CHECKS.map((c) => c.id), ...rules.roles.map((r) => r.id)];
  throw new UsageError(`no check or role '${id}'. Known: ${ids.join(", ")}`);
}
