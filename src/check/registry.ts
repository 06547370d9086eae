import type { CheckKind } from "./types.js";
import { caInconsistent } from "./checks/ca-inconsistent.js";
import { caNotCa } from "./checks/ca-not-ca.js";
import { caOutlived } from "./checks/ca-outlived.js";
import { certExpired } from "./checks/cert-expired.js";
import { certExpiring } from "./checks/cert-expiring.js";
import { certNotYetValid } from "./checks/cert-not-yet-valid.js";
import { cnMismatch } from "./checks/cn-mismatch.js";
import { configInvalid } from "./checks/config-invalid.js";
import { extKeyUsageMissing } from "./checks/ext-key-usage-missing.js";
import { factUnknown } from "./checks/fact-unknown.js";
import { fileInvalid } from "./checks/file-invalid.js";
import { fileMissing } from "./checks/file-missing.js";
import { filePermissions } from "./checks/file-permissions.js";
import { fileUnreadable } from "./checks/file-unreadable.js";
import { frontProxyCaShared } from "./checks/front-proxy-ca-shared.js";
import { frontProxyNameNotAllowed } from "./checks/front-proxy-name-not-allowed.js";
import { insecureSetting } from "./checks/insecure-setting.js";
import { issuerMismatch } from "./checks/issuer-mismatch.js";
import { keyMismatch } from "./checks/key-mismatch.js";
import { keyUsageMissing } from "./checks/key-usage-missing.js";
import { notMounted } from "./checks/not-mounted.js";
import { oMismatch } from "./checks/o-mismatch.js";
import { sanMissing } from "./checks/san-missing.js";
import { trustEdgeBroken } from "./checks/trust-edge-broken.js";
import { unresolvedVariable } from "./checks/unresolved-variable.js";
import { weakKey } from "./checks/weak-key.js";
import { weakSignature } from "./checks/weak-signature.js";

/** Every check kind, sorted by id; a test keeps this list in step with the checks/ folder. */
export const CHECKS: readonly CheckKind[] = [
  caInconsistent,
  caNotCa,
  caOutlived,
  certExpired,
  certExpiring,
  certNotYetValid,
  cnMismatch,
  configInvalid,
  extKeyUsageMissing,
  factUnknown,
  fileInvalid,
  fileMissing,
  filePermissions,
  fileUnreadable,
  frontProxyCaShared,
  frontProxyNameNotAllowed,
  insecureSetting,
  issuerMismatch,
  keyMismatch,
  keyUsageMissing,
  notMounted,
  oMismatch,
  sanMissing,
  trustEdgeBroken,
  unresolvedVariable,
  weakKey,
  weakSignature,
];

export function findCheck(id: string): CheckKind | undefined {
  return CHECKS.find((check) => check.id === id);
}
