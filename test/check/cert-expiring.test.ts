import { certExpiring } from "../../src/check/checks/cert-expiring.js";
import { DAY, SECOND, at, makeCA, makeCert, type CertSpec } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { kubeadmRef, type ContextSpec, type KubeadmRole } from "../helpers/context.js";

/** The certificate of each role used here (validity set by each case). */
const CERT = {
  apiserver: { cn: "kube-apiserver", eku: ["serverAuth"] },
  "scheduler.conf": { cn: "system:kube-scheduler" },
  "kubelet-serving": { cn: "cp-1@1767225600", eku: ["serverAuth"] },
} satisfies Partial<Record<KubeadmRole, CertSpec>>;
type RoleId = keyof typeof CERT;

/** A certificate of `role` whose notAfter is AT + `left` (notBefore a year earlier). */
const leaving =
  (role: RoleId, left: number, extra: Partial<ContextSpec> = {}) =>
  async (): Promise<ContextSpec> => {
    const cert = (await makeCert({ ...CERT[role], notBefore: at(left - 365 * DAY), notAfter: at(left) })).cert;
    return { refs: [kubeadmRef(role, { certs: [cert] })], ...extra };
  };

const window = (days: number, left: number) => ({ expected: `more than ${days} days of validity left`, actual: `notAfter ${at(left).toISOString()}` });
const warning = (role: string | null, days: number, left: number) => ({ id: "cert-expiring", severity: "warning" as const, role, ...window(days, left) });
const critical = (role: string | null, days: number, left: number) => ({ id: "cert-expiring", severity: "critical" as const, role, ...window(days, left) });

const passes: PassCase[] = [
  { name: "30 days + 1 s before notAfter → nothing (default windows)", spec: leaving("apiserver", 30 * DAY + SECOND) },
  { name: "a year left", spec: leaving("apiserver", 365 * DAY) },
  { name: "one second past notAfter: expired, not also expiring", spec: leaving("apiserver", -SECOND) },
  { name: "expired a month ago: not expiring", spec: leaving("kubelet-serving", -30 * DAY) },
  {
    name: "not yet valid but ending within 10 days: left to cert-not-yet-valid",
    spec: async () => ({
      refs: [kubeadmRef("apiserver", { certs: [(await makeCert({ ...CERT.apiserver, notBefore: at(SECOND), notAfter: at(10 * DAY) })).cert] })],
    }),
  },
  { name: "custom windows (warn 60, critical 14): 60 days + 1 s → nothing", spec: leaving("apiserver", 60 * DAY + SECOND, { warnWithinDays: 60, criticalWithinDays: 14 }) },
  { name: "custom windows (warn 10, critical 3): 20 days → nothing (would warn by default)", spec: leaving("apiserver", 20 * DAY, { warnWithinDays: 10, criticalWithinDays: 3 }) },
];

const fails: FailCase[] = [
  // notAfter itself is still valid (RFC 5280, Go), so the last instant is expiring, not expired.
  { name: "at = notAfter exactly: zero time left → critical", spec: leaving("apiserver", 0), findings: [critical("apiserver", 7, 0)] },
  {
    name: "exactly 30 days before notAfter → warning",
    spec: leaving("apiserver", 30 * DAY),
    findings: [{ ...warning("apiserver", 30, 30 * DAY), component: "kube-apiserver", flag: "--tls-cert-file", path: "/etc/kubernetes/pki/apiserver.crt" }],
  },
  { name: "30 days - 1 s → warning", spec: leaving("apiserver", 30 * DAY - SECOND), findings: [warning("apiserver", 30, 30 * DAY - SECOND)] },
  { name: "7 days + 1 s → warning (not yet critical)", spec: leaving("apiserver", 7 * DAY + SECOND), findings: [warning("apiserver", 30, 7 * DAY + SECOND)] },
  { name: "exactly 7 days → critical", spec: leaving("apiserver", 7 * DAY), findings: [critical("apiserver", 7, 7 * DAY)] },
  {
    name: "one second before notAfter → critical (scheduler.conf)",
    spec: leaving("scheduler.conf", SECOND),
    findings: [{ ...critical("scheduler.conf", 7, SECOND), component: "kube-scheduler", path: "/etc/kubernetes/scheduler.conf" }],
  },
  {
    name: "kubelet-serving (expirySeverity: warning) with 1 day left → capped to warning, window still the critical one",
    spec: leaving("kubelet-serving", DAY),
    findings: [{ ...warning("kubelet-serving", 7, DAY), component: "kubelet", flag: "tlsCertFile" }],
  },
  { name: "kubelet-serving with 20 days left → warning", spec: leaving("kubelet-serving", 20 * DAY), findings: [warning("kubelet-serving", 30, 20 * DAY)] },
  {
    name: "chain member of kubelet-serving with 2 days left → inherits the warning cap, shown without a role",
    spec: async () => {
      const root = await makeCA("kubernetes", { notBefore: at(-363 * DAY), notAfter: at(2 * DAY) });
      const leaf = (await makeCert({ ...CERT["kubelet-serving"], issuer: root })).cert;
      return { refs: [kubeadmRef("kubelet-serving", { certs: [leaf, root.cert] })] };
    },
    findings: [{ ...warning(null, 7, 2 * DAY), component: "kubelet", path: "/var/lib/kubelet/pki/kubelet.crt" }],
  },
  {
    name: "custom windows (warn 60, critical 14): exactly 60 days → warning",
    spec: leaving("apiserver", 60 * DAY, { warnWithinDays: 60, criticalWithinDays: 14 }),
    findings: [warning("apiserver", 60, 60 * DAY)],
  },
  {
    name: "custom windows (warn 60, critical 14): 45 days → warning (nothing by default)",
    spec: leaving("apiserver", 45 * DAY, { warnWithinDays: 60, criticalWithinDays: 14 }),
    findings: [warning("apiserver", 60, 45 * DAY)],
  },
  {
    name: "custom windows (warn 60, critical 14): 14 days + 1 s → warning",
    spec: leaving("apiserver", 14 * DAY + SECOND, { warnWithinDays: 60, criticalWithinDays: 14 }),
    findings: [warning("apiserver", 60, 14 * DAY + SECOND)],
  },
  {
    name: "custom windows (warn 60, critical 14): exactly 14 days → critical",
    spec: leaving("apiserver", 14 * DAY, { warnWithinDays: 60, criticalWithinDays: 14 }),
    findings: [critical("apiserver", 14, 14 * DAY)],
  },
  {
    name: "custom windows (warn 60, critical 14): 10 days → critical (only a warning by default)",
    spec: leaving("apiserver", 10 * DAY, { warnWithinDays: 60, criticalWithinDays: 14 }),
    findings: [critical("apiserver", 14, 10 * DAY)],
  },
  {
    name: "critical window 0 days: one second left is only a warning",
    spec: leaving("apiserver", SECOND, { warnWithinDays: 30, criticalWithinDays: 0 }),
    findings: [warning("apiserver", 30, SECOND)],
  },
];

checkTable(certExpiring, { passes, fails });
