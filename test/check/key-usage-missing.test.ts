import { keyUsageMissing } from "../../src/check/checks/key-usage-missing.js";
import type { CertSpec } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { withCert, type KubeadmRole } from "../helpers/context.js";

const withKU = (roleId: KubeadmRole, keyUsage: string[] | null, spec: CertSpec = {}) => withCert(roleId, { cn: roleId, keyUsage, ...spec });

const passes: PassCase[] = [
  { name: "apiserver with digitalSignature, keyEncipherment (kubeadm's)", spec: withKU("apiserver", ["digitalSignature", "keyEncipherment"]) },
  { name: "apiserver without a key usage extension (every usage allowed)", spec: withKU("apiserver", null) },
  { name: "kubelet-client with digitalSignature only (ECDSA key: keyEncipherment not needed)", spec: withKU("kubelet-client", ["digitalSignature"]) },
  { name: "apiserver-etcd-client without a key usage extension", spec: withKU("apiserver-etcd-client", null) },
  { name: "kubelet-serving has no keyUsage rule: keyEncipherment alone is not reported", spec: withKU("kubelet-serving", ["keyEncipherment"]) },
  { name: "ca with keyCertSign, cRLSign, digitalSignature", spec: withKU("ca", ["digitalSignature", "keyCertSign", "cRLSign"], { ca: true, eku: null }) },
  // A CA's missing keyCertSign is reported once, by ca-not-ca (critical), not again here.
  { name: "ca whose key usage lacks keyCertSign is ca-not-ca's to report", spec: withKU("ca", ["digitalSignature", "cRLSign"], { ca: true, eku: null }) },
  { name: "ca without a key usage extension", spec: withKU("ca", null, { ca: true, eku: null }) },
];

const fails: FailCase[] = [
  {
    name: "apiserver with keyEncipherment but no digitalSignature → warning",
    spec: withKU("apiserver", ["keyEncipherment"]),
    findings: [
      {
        id: "key-usage-missing",
        severity: "warning",
        role: "apiserver",
        component: "kube-apiserver",
        flag: "--tls-cert-file",
        path: "/etc/kubernetes/pki/apiserver.crt",
        expected: "digitalSignature",
        actual: "keyEncipherment",
      },
    ],
  },
  {
    name: "kubelet-client with only keyCertSign → warning",
    spec: withKU("kubelet-client", ["keyCertSign"]),
    findings: [{ id: "key-usage-missing", severity: "warning", role: "kubelet-client", component: "kubelet", expected: "digitalSignature", actual: "keyCertSign" }],
  },
  {
    name: "apiserver-etcd-client with an empty key usage extension → warning, actual (none)",
    spec: withKU("apiserver-etcd-client", []),
    findings: [{ id: "key-usage-missing", severity: "warning", role: "apiserver-etcd-client", expected: "digitalSignature", actual: "(none)" }],
  },
];

checkTable(keyUsageMissing, { passes, fails });
