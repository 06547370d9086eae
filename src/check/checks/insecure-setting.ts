import { KUBELET_CONFIG } from "../../discover/discover.js";
import { urlHosts } from "../../discover/facts.js";
import { flagValue } from "../../discover/flags.js";
import type { Severity } from "../../model.js";
import type { SecuritySetting } from "../../rules/types.js";
import type { CheckContext, CheckKind, FindingDraft } from "../types.js";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** The current value of a setting's flag or field, or undefined; null when its component is not here. */
function valueOf(setting: SecuritySetting, ctx: CheckContext): string | undefined | null {
  if (setting.field !== undefined) {
    const fields = ctx.endpoints.kubeletFields;
    return fields === undefined ? null : fields[setting.field];
  }
  const flags = ctx.endpoints.flags[setting.component];
  return flags === undefined ? null : flagValue(flags, setting.flag as string);
}

/** Go's strconv.ParseBool spellings (pflag boolean flags accept all of them) read as true/false. */
function normalize(value: string): string {
  if (["1", "t", "true"].includes(value.toLowerCase())) return "true";
  if (["0", "f", "false"].includes(value.toLowerCase())) return "false";
  return value.toLowerCase();
}

/** False when the setting is about TLS listeners and the component has none (see onlyOverTls). */
function servesTls(setting: SecuritySetting, ctx: CheckContext): boolean {
  if (!setting.onlyOverTls) return true;
  const flags = ctx.endpoints.flags[setting.component];
  const urls = (flags && flagValue(flags, setting.onlyOverTls.flag)) ?? setting.onlyOverTls.default;
  return urls.split(",").some((url) => url.trim().toLowerCase().startsWith("https://"));
}

/** Why the setting is a problem here (and how bad), or null when it is fine. */
function evaluate(setting: SecuritySetting, value: string | undefined): { actual: string; severity: Severity } | null {
  const c = setting.condition;
  const is = (expected: string) => value !== undefined && normalize(value) === normalize(expected);
  const shown = value === undefined ? "not set" : value === "" ? "set, empty" : value;
  const hit = { actual: shown, severity: setting.severity };
  // An empty value (--flag=) leaves a string flag unset.
  if (c.present) return value !== undefined && value !== "" ? hit : null;
  if (c.absent) return value === undefined || value === "" ? hit : null;
  if (c.equals !== undefined) return is(c.equals) ? hit : null;
  if (c["not-equals"] !== undefined) return value !== undefined && !is(c["not-equals"]) ? hit : null;
  if (c["missing-or-not"] !== undefined) return !is(c["missing-or-not"]) ? hit : null;
  if (c.contains !== undefined) return value?.split(",").some((item) => item.trim() === c.contains) ? hit : null;
  if (c["http-url"]) {
    const plain = (value ?? "").split(",").filter((url) => url.trim().toLowerCase().startsWith("http://"));
    if (plain.length === 0) return null;
    // Plain HTTP on loopback only is reachable by local processes: worth a warning, not an alarm.
    const remote = urlHosts(plain.join(",")).some((host) => !LOOPBACK.test(host));
    return { actual: plain.join(","), severity: remote ? setting.severity : "warning" };
  }
  return null;
}

export const insecureSetting: CheckKind = {
  id: "insecure-setting",
  title: "A security setting around certificates is unsafe",
  description:
    "The flags and kubelet config fields in rules/settings.yaml: no static password or token files, no insecure port, no AlwaysAllow, etcd requiring client and peer certificates over TLS, a kubelet that authenticates clients by certificate.",
  citation: "CIS Kubernetes Benchmark (sections 1.2, 2 and 4.2); each finding cites its own item",
  explanation:
    "Certificates protect a control plane only if the components insist on them. A static token file, an open insecure port, etcd without --client-cert-auth or a kubelet accepting anonymous requests each let someone in without any certificate, however healthy the PKI is. Each row of rules/settings.yaml names the flag or field, the condition, why it matters and the fix.",
  remediation: "Change the flag in the component's manifest (or the field in /var/lib/kubelet/config.yaml) as the finding says, then restart the component.",
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const setting of ctx.rules.settings) {
      const value = valueOf(setting, ctx);
      if (value === null || !servesTls(setting, ctx)) continue;
      const problem = evaluate(setting, value);
      if (!problem) continue;
      const flags = ctx.endpoints.flags[setting.component];
      const softened = setting.softenedBy && flags && flagValue(flags, setting.softenedBy.flag) ? setting.softenedBy : undefined;
      const source = setting.field !== undefined ? KUBELET_CONFIG : (ctx.endpoints.sources[setting.component] ?? setting.component);
      findings.push({
        severity: softened?.severity ?? problem.severity,
        component: setting.component,
        path: source,
        flag: setting.flag ?? setting.field ?? null,
        role: null,
        message: `${setting.title} (${setting.id}): ${setting.why}${softened ? ` ${softened.why}` : ""}`,
        expected: describeCondition(setting),
        actual: problem.actual,
        remediation: setting.remediation,
        citation: setting.citation,
      });
    }
    return findings;
  },
};

function describeCondition(setting: SecuritySetting): string {
  const c = setting.condition;
  const name = setting.flag ?? setting.field;
  if (c.present) return `${name} not set`;
  if (c.absent) return `${name} set`;
  if (c.equals !== undefined) return `${name} not ${c.equals}`;
  if (c["not-equals"] !== undefined || c["missing-or-not"] !== undefined) return `${name}=${c["not-equals"] ?? c["missing-or-not"]}`;
  if (c.contains !== undefined) return `${name} without ${c.contains}`;
  return `${name} with https:// URLs only`;
}
