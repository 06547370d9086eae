import type { FileMode } from "../../load/root-fs.js";
import type { Severity } from "../../model.js";
import { locatorOf, shellWord } from "../describe.js";
import type { CheckContext, CheckKind, FindingDraft } from "../types.js";
import { compareText } from "../../order.js";

type Kind = "key" | "kubeconfig" | "certificate";

interface Candidate {
  path: string;
  kind: Kind;
  fileMode: FileMode;
  component: string;
  flag: string | null;
}

const octal = (mode: number) => mode.toString(8).padStart(4, "0");

/** Every file whose mode matters, with the strictest kind it holds (a PEM with a key is a key). */
function candidates(ctx: CheckContext): Candidate[] {
  const byPath = new Map<string, Candidate>();
  const add = (candidate: Candidate) => {
    const existing = byPath.get(candidate.path);
    if (!existing || (existing.kind === "certificate" && candidate.kind !== "certificate")) byPath.set(candidate.path, candidate);
  };
  for (const { resolved, result, keyResult } of ctx.references) {
    const { ref } = resolved;
    if (resolved.location?.kind === "file" && "material" in result && result.fileMode) {
      const holdsKey = result.material.privateKeys.length > 0;
      add({ path: resolved.location.path, kind: holdsKey ? "key" : "certificate", fileMode: result.fileMode, component: ref.component, flag: locatorOf(ref) });
    }
    if (resolved.key?.location?.kind === "file" && keyResult && "material" in keyResult && keyResult.fileMode) {
      add({ path: resolved.key.location.path, kind: "key", fileMode: keyResult.fileMode, component: ref.component, flag: locatorOf(resolved.key) });
    }
  }
  for (const kubeconfig of ctx.endpoints.kubeconfigs) {
    if (kubeconfig.fileMode) add({ path: kubeconfig.path, kind: "kubeconfig", fileMode: kubeconfig.fileMode, component: kubeconfig.user, flag: kubeconfig.flag ?? null });
  }
  return [...byPath.values()].sort((a, b) => compareText(a.path, b.path));
}

export const filePermissions: CheckKind = {
  id: "file-permissions",
  title: "Key, kubeconfig or certificate file is too open or not owned by root",
  description:
    "Private keys and kubeconfigs are mode 0600 or stricter, certificates 0644 or stricter; when the audit runs as root, all of them are owned by root.",
  citation: "CIS Kubernetes Benchmark 1.1.x (1.1.13–1.1.21: kubeconfigs and PKI keys 600, certificates 644, owned by root:root); client-go keyutil writes keys 0600",
  explanation:
    "Whoever can read a private key or a kubeconfig with an embedded key can act as that component: admin.conf grants cluster-admin, ca.key lets anyone mint any identity. A key or kubeconfig readable by every local user is critical; one open to its group, or a certificate others can modify, is a warning. Ownership is checked only when the auditor runs as root, where owners are meaningful.",
  remediation: "chmod 600 the keys and kubeconfigs, chmod 644 the certificates, chown root:root all of them.",
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const c of candidates(ctx)) {
      const mode = c.fileMode.mode;
      const wanted = c.kind === "certificate" ? 0o644 : 0o600;
      const extra = mode & ~wanted & 0o777;
      if (extra !== 0) {
        const readableByOthers = (mode & 0o004) !== 0;
        const severity: Severity = c.kind !== "certificate" && readableByOthers ? "critical" : "warning";
        const what = c.kind === "key" ? "private key" : c.kind;
        findings.push({
          severity,
          component: c.component,
          path: c.path,
          flag: c.flag,
          role: null,
          message: `${what} ${c.path} is mode ${octal(mode)}${c.kind !== "certificate" && readableByOthers ? ": every local user can read it" : ""}`,
          expected: `${octal(wanted)} or stricter`,
          actual: octal(mode),
          remediation: `chmod ${wanted.toString(8)} ${shellWord(c.path)}`,
        });
      }
      if (ctx.checkOwnership && (c.fileMode.uid !== 0 || c.fileMode.gid !== 0)) {
        findings.push({
          severity: "warning",
          component: c.component,
          path: c.path,
          flag: c.flag,
          role: null,
          message: `${c.path} is owned by uid ${c.fileMode.uid}, gid ${c.fileMode.gid}, not root`,
          expected: "root:root",
          actual: `${c.fileMode.uid}:${c.fileMode.gid}`,
          remediation: `chown root:root ${shellWord(c.path)}`,
        });
      }
    }
    return findings;
  },
};
