import { beforeAll } from "vitest";
import { frontProxyCaShared } from "../../src/check/checks/front-proxy-ca-shared.js";
import type { DecodedCertificate } from "../../src/load/certificate.js";
import type { Finding } from "../../src/model.js";
import { caWithKey } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { caBundle, type RefSpec } from "../helpers/context.js";

const CA = "/etc/kubernetes/pki/ca.crt";
const FRONT_PROXY_CA = "/etc/kubernetes/pki/front-proxy-ca.crt";

// Each CA its own key: "the same CA" means the same certificate (fingerprint), never the same name.
let kubeCA: DecodedCertificate;
let oldKubeCA: DecodedCertificate;
let frontProxyCA: DecodedCertificate;
/** A separate front-proxy CA that happens to carry the cluster CA's name. */
let frontProxyCANamedKubernetes: DecodedCertificate;
beforeAll(async () => {
  const caCert = async (cn: string, slot: number) => (await caWithKey(cn, slot)).cert;
  [kubeCA, oldKubeCA, frontProxyCA, frontProxyCANamedKubernetes] = [await caCert("kubernetes", 0), await caCert("kubernetes", 1), await caCert("front-proxy-ca", 2), await caCert("kubernetes", 3)];
});

const bundle = (component: string, flag: string, role: string, path: string, certs: DecodedCertificate[]): RefSpec =>
  caBundle({ component, flag, purpose: "verify-clients", role }, path, certs);
const clientCA = (certs: DecodedCertificate[], path = CA) => bundle("kube-apiserver", "--client-ca-file", "ca", path, certs);
const requestheaderCA = (certs: DecodedCertificate[], path = FRONT_PROXY_CA) => bundle("kube-apiserver", "--requestheader-client-ca-file", "front-proxy-ca", path, certs);
/** kube-apiserver's --client-ca-file and --requestheader-client-ca-file (in kubeadm's manifest order), then `extra`. */
const apiserver = (clientCAs: () => DecodedCertificate[], requestheader?: () => RefSpec, extra: () => RefSpec[] = () => []) => () => ({
  refs: [clientCA(clientCAs()), ...(requestheader ? [requestheader()] : []), ...extra()],
});

function shared(ca: DecodedCertificate, requestheaderPath: string, clientCAPath: string, roleId: string | null = "front-proxy-ca"): Partial<Finding> {
  return {
    id: "front-proxy-ca-shared",
    severity: "warning",
    component: "kube-apiserver",
    path: requestheaderPath,
    flag: "--requestheader-client-ca-file",
    role: roleId,
    message: `--requestheader-client-ca-file (${requestheaderPath}) and --client-ca-file (${clientCAPath}) share the CA ${ca.subject.cn}: client certificates it signs can also act as the front proxy`,
    expected: "a CA used only for the front proxy",
    actual: `the same CA as --client-ca-file (SHA-256 ${ca.fingerprintSha256.slice(0, 11)}…)`,
    remediation: frontProxyCaShared.remediation,
    citation: frontProxyCaShared.citation,
  };
}

const passes: PassCase[] = [
  { name: "kubeadm: ca.crt and front-proxy-ca.crt are distinct CAs", spec: apiserver(() => [kubeCA], () => requestheaderCA([frontProxyCA])) },
  {
    name: "boundary: distinct CAs with the same subject CN=kubernetes (fingerprints decide, not names)",
    spec: apiserver(() => [kubeCA], () => requestheaderCA([frontProxyCANamedKubernetes])),
  },
  { name: "bundles with no CA in common (client CA in rotation: old and new)", spec: apiserver(() => [oldKubeCA, kubeCA], () => requestheaderCA([frontProxyCA])) },
  { name: "no --requestheader-client-ca-file", spec: apiserver(() => [kubeCA]) },
  {
    name: "only kube-apiserver's flags count: kube-controller-manager --requestheader-client-ca-file naming the client CA is not this check's",
    spec: apiserver(
      () => [kubeCA],
      () => requestheaderCA([frontProxyCA]),
      () => [bundle("kube-controller-manager", "--requestheader-client-ca-file", "front-proxy-ca", "/etc/kubernetes/pki/kcm-requestheader.crt", [kubeCA])],
    ),
  },
];

const fails: FailCase[] = [
  {
    name: "warning: the same CA in both flags (front-proxy-ca.crt is a copy of ca.crt)",
    spec: apiserver(() => [kubeCA], () => requestheaderCA([kubeCA])),
    findings: () => [shared(kubeCA, FRONT_PROXY_CA, CA)],
  },
  {
    name: "warning: the --requestheader-client-ca-file bundle (front-proxy-ca, kubernetes) shares one CA of two with --client-ca-file",
    spec: apiserver(() => [kubeCA], () => requestheaderCA([frontProxyCA, kubeCA])),
    findings: () => [shared(kubeCA, FRONT_PROXY_CA, CA)],
  },
  {
    name: "warning: --client-ca-file in rotation (old, new) and --requestheader-client-ca-file names the old CA",
    spec: apiserver(() => [oldKubeCA, kubeCA], () => requestheaderCA([oldKubeCA])),
    findings: () => [shared(oldKubeCA, FRONT_PROXY_CA, CA)],
  },
  {
    // The file's first reference is --client-ca-file (role ca): the role comes from the requestheader reference.
    name: "warning: both flags name the very same file (ca.crt); the finding, at --requestheader-client-ca-file, carries that flag's role",
    spec: apiserver(() => [kubeCA], () => requestheaderCA([kubeCA], CA)),
    findings: () => [shared(kubeCA, CA, CA, "front-proxy-ca")],
  },
];

checkTable(frontProxyCaShared, { passes, fails });
