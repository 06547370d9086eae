import { normalizeIP } from "../ip.js";
import type { Facts } from "../model.js";
import type { RoleRule } from "../rules/types.js";
import { expandTemplate } from "./templates.js";
import type { AuditedCertificate } from "./types.js";

/**
 * Does the certificate carry `host` as a SAN, the way Go's verifier matches it: IPs by value,
 * DNS names case-insensitively, a wildcard covering exactly one leading label (RFC 6125).
 */
export function coversHost(certificate: AuditedCertificate, host: string): boolean {
  const ip = normalizeIP(host);
  if (ip !== null) return certificate.cert.sans.ip.some((san) => (normalizeIP(san) ?? san) === ip);
  const name = host.toLowerCase();
  const dot = name.indexOf(".");
  return certificate.cert.sans.dns.some((san) => {
    const lower = san.toLowerCase();
    return lower === name || (dot > 0 && lower === `*${name.slice(dot)}`);
  });
}

/** The names and addresses a role requires (templates expanded over the facts) that the certificate lacks. */
export function missingRequiredSans(certificate: AuditedCertificate, role: RoleRule, facts: Facts): string[] {
  if (!role.sans) return [];
  const required = [...(role.sans.dns ?? []), ...(role.sans.ip ?? [])].flatMap((template) => expandTemplate(template, facts).values);
  return [...new Set(required)].filter((value) => !coversHost(certificate, value));
}
