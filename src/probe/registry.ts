import type { CheckKind } from "../check/types.js";
import { probeHandshakeFailed } from "./checks/probe-handshake-failed.js";
import { probeStaleCertificate } from "./checks/probe-stale-certificate.js";
import { probeUnreachable } from "./checks/probe-unreachable.js";
import type { ProbeCheckKind, ProbeResult } from "./types.js";

/**
 * The check kinds of the live probe (--probe), sorted by id. They are not in the offline
 * registry (src/check/registry.ts): they judge probe results, not files. `explain` reads both.
 */
export const PROBE_CHECKS: readonly ProbeCheckKind[] = [probeHandshakeFailed, probeStaleCertificate, probeUnreachable];

export function findProbeCheck(id: string): ProbeCheckKind | undefined {
  return PROBE_CHECKS.find((check) => check.id === id);
}

/**
 * The probe check kinds as offline check kinds over fixed results, so the runner sorts their
 * findings in with the others, stamps ids and citations, and marks the connections they name.
 */
export function probeChecksOver(results: readonly ProbeResult[]): CheckKind[] {
  return PROBE_CHECKS.map(({ evaluate, ...metadata }) => ({ ...metadata, run: () => results.flatMap((result) => evaluate(result)) }));
}
