import { beforeAll } from "vitest";
import { filePermissions } from "../../src/check/checks/file-permissions.js";
import type { Endpoints, LoadResult } from "../../src/check/types.js";
import type { DecodedCertificate } from "../../src/load/certificate.js";
import type { FileMode } from "../../src/load/root-fs.js";
import type { Finding } from "../../src/model.js";
import { caWithKey, makeCert, testKey, type TestKey } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { material, type RefSpec } from "../helpers/context.js";

const CA = "/etc/kubernetes/pki/ca.crt";
const APISERVER = "/etc/kubernetes/pki/apiserver.crt";
const APISERVER_KEY = "/etc/kubernetes/pki/apiserver.key";
const SA_KEY = "/etc/kubernetes/pki/sa.key";
const SA_PUB = "/etc/kubernetes/pki/sa.pub";
const KUBELET_PEM = "/var/lib/kubelet/pki/kubelet-client-current.pem";
const ADMIN_CONF = "/etc/kubernetes/admin.conf";
const KCM_CONF = "/etc/kubernetes/controller-manager.conf";
const KUBELET_CONF = "/etc/kubernetes/kubelet.conf";

const root = (mode: number): FileMode => ({ mode, uid: 0, gid: 0 });

interface Pki {
  ca: DecodedCertificate;
  apiserver: DecodedCertificate;
  kubeletClient: DecodedCertificate;
  leafKey: TestKey;
}

async function pki(): Promise<Pki> {
  const ca = await caWithKey("kubernetes", 0);
  const leafKey = await testKey({ kind: "ec" }, 1);
  return {
    ca: ca.cert,
    apiserver: (await makeCert({ cn: "kube-apiserver", eku: ["serverAuth"], key: leafKey, issuer: ca })).cert,
    kubeletClient: (await makeCert({ cn: "system:node:cp-1", o: ["system:nodes"], key: leafKey, issuer: ca })).cert,
    leafKey,
  };
}

/** The certificates and key the files below hold (each case gives the files their modes). */
let p: Pki;
beforeAll(async () => {
  p = await pki();
});

const certs = (list: DecodedCertificate[], fileMode: FileMode): LoadResult => ({ material: material({ certificates: list }), fileMode });

/** kube-apiserver --tls-cert-file and its --tls-private-key-file, each file with its own mode. */
const servingPair = (certMode: FileMode, keyMode: FileMode): RefSpec => ({
  component: "kube-apiserver",
  flag: "--tls-cert-file",
  path: APISERVER,
  purpose: "serving",
  role: "apiserver",
  result: certs([p.apiserver], certMode),
  key: { path: APISERVER_KEY, flag: "--tls-private-key-file", result: { material: material({ privateKeys: [p.leafKey.fingerprint] }), fileMode: keyMode } },
});
/** A node with only kube-apiserver's serving pair, both files owned by root. */
const servingModes = (certMode: number, keyMode: number) => () => ({ refs: [servingPair(root(certMode), root(keyMode))] });
/** A node with only these kubeconfigs. */
const kubeconfigsOnly = (...kubeconfigs: Endpoints["kubeconfigs"]) => () => ({ refs: [], endpoints: { kubeconfigs } });
const clientCAs = (fileMode: FileMode): RefSpec[] => [
  { component: "kube-apiserver", flag: "--client-ca-file", path: CA, kind: "ca-bundle", purpose: "verify-clients", role: "ca", result: certs([p.ca], fileMode) },
  { component: "kube-controller-manager", flag: "--client-ca-file", path: CA, kind: "ca-bundle", purpose: "verify-clients", role: "ca", result: certs([p.ca], fileMode) },
  { component: "kubelet", field: "authentication.x509.clientCAFile", path: CA, kind: "ca-bundle", purpose: "verify-clients", role: "ca", result: certs([p.ca], fileMode) },
];
/** kubelet.conf's client-certificate: the PEM the kubelet rotates holds the certificate and its key. */
const kubeletClientPem = (fileMode: FileMode, withKeyReference: boolean): RefSpec => ({
  component: "kubelet",
  field: "client-certificate",
  path: KUBELET_PEM,
  kubeconfig: KUBELET_CONF,
  role: "kubelet-client",
  result: { material: material({ certificates: [p.kubeletClient], privateKeys: [p.leafKey.fingerprint] }), fileMode },
  ...(withKeyReference
    ? { key: { path: KUBELET_PEM, field: "client-key", result: { material: material({ certificates: [p.kubeletClient], privateKeys: [p.leafKey.fingerprint] }), fileMode } } }
    : {}),
});
const saKey = (fileMode: FileMode): RefSpec => ({
  component: "kube-controller-manager",
  flag: "--service-account-private-key-file",
  path: SA_KEY,
  kind: "private-key",
  purpose: "sa-private-key",
  result: { material: material({ privateKeys: [p.leafKey.fingerprint] }), fileMode },
});
const saPub = (fileMode: FileMode): RefSpec => ({
  component: "kube-apiserver",
  flag: "--service-account-key-file",
  path: SA_PUB,
  kind: "public-key",
  purpose: "sa-public-key",
  result: { material: material({ publicKeys: [p.leafKey.fingerprint] }), fileMode },
});
const adminConf = (fileMode: FileMode): Endpoints["kubeconfigs"][number] => ({ path: ADMIN_CONF, user: "admin.conf", server: "https://192.168.56.10:6443", fileMode });
const kcmConf = (fileMode: FileMode): Endpoints["kubeconfigs"][number] => ({ path: KCM_CONF, user: "kube-controller-manager", flag: "--kubeconfig", server: "https://192.168.56.10:6443", fileMode });

/** Modes CIS asks for: private keys and kubeconfigs 0600, certificates 0644. */
const WANTED = { "private key": "0600", kubeconfig: "0600", certificate: "0644" } as const;
/** A finding about the file `path` that `component` names by `flag` (a file has no role). */
const aboutFile = (f: { component: string; path: string; flag: string | null }) => ({ id: "file-permissions", component: f.component, path: f.path, flag: f.flag, role: null, citation: filePermissions.citation });
const tooOpen = (f: { severity: Finding["severity"]; component: string; path: string; flag: string | null; what: keyof typeof WANTED; mode: string }): Partial<Finding> => ({
  ...aboutFile(f),
  severity: f.severity,
  message: `${f.what} ${f.path} is mode ${f.mode}${f.severity === "critical" ? ": every local user can read it" : ""}`,
  expected: `${WANTED[f.what]} or stricter`,
  actual: f.mode,
  remediation: `chmod ${WANTED[f.what].slice(1)} ${f.path}`,
});
/** kube-apiserver's --tls-private-key-file, or its --tls-cert-file (a certificate is never worse than a warning), too open. */
const servingKeyTooOpen = (severity: Finding["severity"], mode: string) =>
  tooOpen({ severity, component: "kube-apiserver", path: APISERVER_KEY, flag: "--tls-private-key-file", what: "private key", mode });
const adminConfTooOpen = (severity: Finding["severity"], mode: string) => tooOpen({ severity, component: "admin.conf", path: ADMIN_CONF, flag: null, what: "kubeconfig", mode });
const kubeletPemTooOpen = () => tooOpen({ severity: "critical", component: "kubelet", path: KUBELET_PEM, flag: "client-certificate", what: "private key", mode: "0644" });
const servingCertTooOpen = (mode: string) => tooOpen({ severity: "warning", component: "kube-apiserver", path: APISERVER, flag: "--tls-cert-file", what: "certificate", mode });
const notRoot = (f: { component: string; path: string; flag: string | null; uid: number; gid: number }): Partial<Finding> => ({
  ...aboutFile(f),
  severity: "warning",
  message: `${f.path} is owned by uid ${f.uid}, gid ${f.gid}, not root`,
  expected: "root:root",
  actual: `${f.uid}:${f.gid}`,
  remediation: `chown root:root ${f.path}`,
});

const passes: PassCase[] = [
  { name: "key 0600, certificate 0644 (kubeadm)", spec: servingModes(0o644, 0o600) },
  { name: "key 0400 (stricter than 0600)", spec: servingModes(0o644, 0o400) },
  { name: "certificate 0444 and 0600 (stricter than 0644)", spec: () => ({ refs: [servingPair(root(0o444), root(0o600)), ...clientCAs(root(0o600))] }) },
  { name: "kubeconfig 0600", spec: kubeconfigsOnly(adminConf(root(0o600))) },
  { name: "service-account public key 0644 (judged as a certificate-like public file)", spec: () => ({ refs: [saPub(root(0o644))] }) },
  { name: "boundary: files owned by uid 1000 when ownership is not checked (auditing a copy, not as root)", spec: () => ({ refs: [servingPair({ mode: 0o644, uid: 1000, gid: 1000 }, { mode: 0o600, uid: 1000, gid: 1000 })] }) },
  { name: "ownership checked and every file root:root", spec: () => ({ refs: [servingPair(root(0o644), root(0o600))], endpoints: { kubeconfigs: [adminConf(root(0o600))] }, checkOwnership: true }) },
  {
    name: "no file mode known (the loader reported none, or the file could not be read): nothing to judge",
    spec: () => ({
      refs: [
        { component: "kube-apiserver", flag: "--tls-cert-file", path: APISERVER, role: "apiserver", certs: [p.apiserver] },
        { component: "kube-apiserver", flag: "--client-ca-file", path: CA, kind: "ca-bundle", result: { problem: { problem: "unreadable", path: CA, message: "permission denied" } } },
      ],
      endpoints: { kubeconfigs: [{ path: ADMIN_CONF, user: "admin.conf", server: null }] },
    }),
  },
];

const fails: FailCase[] = [
  { name: "warning: key 0640 (readable by its group)", spec: servingModes(0o644, 0o640), findings: [servingKeyTooOpen("warning", "0640")] },
  { name: "critical: key 0644 (readable by every local user)", spec: servingModes(0o644, 0o644), findings: [servingKeyTooOpen("critical", "0644")] },
  { name: "critical: boundary: key 0604 (others can read, the group cannot)", spec: servingModes(0o644, 0o604), findings: [servingKeyTooOpen("critical", "0604")] },
  {
    name: "critical: a private-key reference (sa.key) 0644",
    spec: () => ({ refs: [saKey(root(0o644))] }),
    findings: [tooOpen({ severity: "critical", component: "kube-controller-manager", path: SA_KEY, flag: "--service-account-private-key-file", what: "private key", mode: "0644" })],
  },
  { name: "warning: certificate 0664 (its group can modify it)", spec: servingModes(0o664, 0o600), findings: [servingCertTooOpen("0664")] },
  { name: "warning: boundary: certificate 0666 (everyone can modify it) is still a warning, never critical", spec: servingModes(0o666, 0o600), findings: [servingCertTooOpen("0666")] },
  { name: "critical: kubeconfig 0644 (admin.conf: cluster-admin for every local user)", spec: kubeconfigsOnly(adminConf(root(0o644))), findings: [adminConfTooOpen("critical", "0644")] },
  {
    name: "warning: kubeconfig 0640 named by a flag (kube-controller-manager --kubeconfig)",
    spec: kubeconfigsOnly(kcmConf(root(0o640))),
    findings: [tooOpen({ severity: "warning", component: "kube-controller-manager", path: KCM_CONF, flag: "--kubeconfig", what: "kubeconfig", mode: "0640" })],
  },
  {
    name: "critical: kubelet-client-current.pem (certificate and key in one PEM) 0644 is judged as a key",
    spec: () => ({ refs: [kubeletClientPem(root(0o644), false)] }),
    findings: [kubeletPemTooOpen()],
  },
  {
    name: "critical: the same PEM named as client-certificate and client-key: one finding, as a key",
    spec: () => ({ refs: [kubeletClientPem(root(0o644), true)] }),
    findings: [kubeletPemTooOpen()],
  },
  {
    name: "warning: one finding per file although three references name ca.crt (0664), at the first reference",
    spec: () => ({ refs: clientCAs(root(0o664)) }),
    findings: [tooOpen({ severity: "warning", component: "kube-apiserver", path: CA, flag: "--client-ca-file", what: "certificate", mode: "0664" })],
  },
  {
    name: "warning: ownership checked: a key and a kubeconfig owned by uid 1000",
    spec: () => ({
      refs: [servingPair(root(0o644), { mode: 0o600, uid: 1000, gid: 0 })],
      endpoints: { kubeconfigs: [adminConf({ mode: 0o600, uid: 1000, gid: 1000 })] },
      checkOwnership: true,
    }),
    findings: [
      notRoot({ component: "admin.conf", path: ADMIN_CONF, flag: null, uid: 1000, gid: 1000 }),
      notRoot({ component: "kube-apiserver", path: APISERVER_KEY, flag: "--tls-private-key-file", uid: 1000, gid: 0 }),
    ],
  },
  {
    name: "warning: ownership checked: group not root (uid 0, gid 1000)",
    spec: () => ({ refs: [servingPair({ mode: 0o644, uid: 0, gid: 1000 }, root(0o600))], checkOwnership: true }),
    findings: [notRoot({ component: "kube-apiserver", path: APISERVER, flag: "--tls-cert-file", uid: 0, gid: 1000 })],
  },
  {
    name: "several files, worst first: a critical kubeconfig, a critical key, a warning certificate",
    spec: () => ({ refs: [servingPair(root(0o664), root(0o644))], endpoints: { kubeconfigs: [adminConf(root(0o604))] } }),
    findings: [
      adminConfTooOpen("critical", "0604"),
      servingKeyTooOpen("critical", "0644"),
      servingCertTooOpen("0664"),
    ],
  },
];

checkTable(filePermissions, { passes, fails });
