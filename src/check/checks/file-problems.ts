import type { FileProblemKind } from "../../load/root-fs.js";
import type { MaterialLocation } from "../../resolve/references.js";
import { describeReference, discoveryFindings, locatorOf } from "../describe.js";
import type { CheckContext, FindingDraft, LoadResult } from "../types.js";

interface Use {
  location: MaterialLocation | null;
  result: LoadResult;
  label: string;
  component: string;
  flag: string | null;
  role: string | null;
  optional: boolean;
}

/** Uses by context: several checks ask for the same node's uses. */
const usesByContext = new WeakMap<CheckContext, Use[]>();

/** Every referenced certificate, CA and key location with its load result (callers only read it). */
export function usesOf(ctx: CheckContext): Use[] {
  const known = usesByContext.get(ctx);
  if (known) return known;
  const uses: Use[] = [];
  for (const { resolved, result, keyResult } of ctx.references) {
    const { ref } = resolved;
    const role = ref.role ?? null;
    const optional = resolved.optional ?? false;
    uses.push({ component: ref.component, role, optional, location: resolved.location, result, label: describeReference(ref), flag: locatorOf(ref) });
    if (resolved.key && keyResult) {
      const keyName = resolved.key.flag ?? resolved.key.field ?? null;
      const label = keyName ? `${ref.component} ${keyName}` : `${ref.component} (private key)`;
      uses.push({ component: ref.component, role, optional, location: resolved.key.location, result: keyResult, label, flag: keyName });
    }
  }
  usesByContext.set(ctx, uses);
  return uses;
}

/**
 * One finding per file with the given problems, naming every reference to it. A well-known
 * kubeadm file that only optional references name yields nothing when it is missing.
 */
export function fileProblemFindings(ctx: CheckContext, kinds: FileProblemKind[], remediation: string): FindingDraft[] {
  const byPath = new Map<string, Use[]>();
  for (const use of usesOf(ctx)) {
    if (!("problem" in use.result) || !kinds.includes(use.result.problem.problem)) continue;
    const path = use.result.problem.path;
    byPath.set(path, [...(byPath.get(path) ?? []), use]);
  }
  const findings: FindingDraft[] = [];
  for (const [path, uses] of byPath) {
    // A well-known file no flag names may be absent; if it is there, it must still be readable.
    const required = uses.filter((use) => !use.optional || !("problem" in use.result) || use.result.problem.problem !== "missing");
    const first = required[0];
    if (!first || !("problem" in first.result)) continue;
    const labels = [...new Set(required.map((use) => use.label))];
    findings.push({
      severity: "critical",
      component: first.component,
      path,
      flag: first.flag,
      role: first.role,
      message: `${first.result.problem.message}; named by ${labels.join(", ")}`,
      expected: "a readable file",
      actual: first.result.problem.problem,
      remediation,
    });
  }
  const id = kindsId(kinds);
  findings.push(...discoveryFindings(ctx, id, { expected: "a readable file", actual: id, remediation }));
  return findings;
}

function kindsId(kinds: FileProblemKind[]): "file-missing" | "file-unreadable" {
  return kinds.includes("missing") ? "file-missing" : "file-unreadable";
}
