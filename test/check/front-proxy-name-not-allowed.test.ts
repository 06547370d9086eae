import { frontProxyNameNotAllowed } from "../../src/check/checks/front-proxy-name-not-allowed.js";
import type { DecodedCertificate } from "../../src/load/certificate.js";
import type { Finding } from "../../src/model.js";
import { caWithKey, makeCert, testKey } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { role, type ContextSpec, type RefSpec } from "../helpers/context.js";

const FRONT_PROXY_CLIENT = "/etc/kubernetes/pki/front-proxy-client.crt";
const KUBELET_CLIENT = "/etc/kubernetes/pki/apiserver-kubelet-client.crt";

const frontProxyCA = () => caWithKey("front-proxy-ca", 0);
const clientCert = async (cn: string) => (await makeCert({ cn, eku: ["clientAuth"], key: await testKey({ kind: "ec" }, 1), issuer: await frontProxyCA() })).cert;

const proxyClient = (certs: DecodedCertificate[]): RefSpec => ({
  component: "kube-apiserver",
  flag: "--proxy-client-cert-file",
  path: FRONT_PROXY_CLIENT,
  role: "front-proxy-client",
  certs,
});

/**
 * kube-apiserver's --proxy-client-cert-file holding a certificate with CN `cn` (then `more().chain`),
 * `more().refs`, and kube-apiserver running with `apiserver` as its arguments (undefined: no
 * kube-apiserver on this node).
 */
const node =
  (cn: string, apiserver?: string[], more: () => Promise<{ chain?: DecodedCertificate[]; refs?: RefSpec[] }> = async () => ({})) =>
  async (): Promise<ContextSpec> => {
    const { chain = [], refs = [] } = await more();
    return {
      refs: [proxyClient([await clientCert(cn), ...chain]), ...refs],
      ...(apiserver ? { endpoints: { flags: { "kube-apiserver": apiserver } } } : {}),
    };
  };
const allowedNames = (...lists: string[]) => lists.map((list) => `--requestheader-allowed-names=${list}`);

const notAllowed = (cn: string, names: string): Partial<Finding> => ({
  id: "front-proxy-name-not-allowed",
  severity: "critical",
  component: "kube-apiserver",
  path: FRONT_PROXY_CLIENT,
  flag: "--proxy-client-cert-file",
  role: "front-proxy-client",
  message: `the front-proxy client certificate's CN '${cn}' is not in --requestheader-allowed-names (${names}); extension API servers reject every proxied request`,
  expected: `CN in ${names}`,
  actual: cn,
  remediation: frontProxyNameNotAllowed.remediation,
  citation: role("front-proxy-client").citation,
});

const passes: PassCase[] = [
  { name: "kubeadm: CN front-proxy-client, --requestheader-allowed-names=front-proxy-client", spec: node("front-proxy-client", allowedNames("front-proxy-client")) },
  { name: "the CN is one of several names (spaces around commas are ignored)", spec: node("front-proxy-client", allowedNames("aggregator, front-proxy-client")) },
  { name: "empty list (--requestheader-allowed-names=): any CN signed by the requestheader CA is allowed", spec: node("aggregator", allowedNames("")) },
  { name: "absent list: any CN is allowed", spec: node("aggregator", ["--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt"]) },
  { name: "no kube-apiserver flags on this node: nothing to compare with", spec: node("aggregator") },
  {
    name: "the chain behind the client certificate in the same file (CN front-proxy-ca) is not the presented certificate",
    spec: node("front-proxy-client", allowedNames("front-proxy-client"), async () => ({ chain: [(await frontProxyCA()).cert] })),
  },
  {
    name: "certificates of other flags are not judged (--kubelet-client-certificate, CN kube-apiserver-kubelet-client)",
    spec: node("front-proxy-client", allowedNames("front-proxy-client"), async () => ({
      refs: [{ component: "kube-apiserver", flag: "--kubelet-client-certificate", path: KUBELET_CLIENT, role: "apiserver-kubelet-client", certs: [await clientCert("kube-apiserver-kubelet-client")] }],
    })),
  },
];

const fails: FailCase[] = [
  {
    name: "critical: CN aggregator not in --requestheader-allowed-names=front-proxy-client",
    spec: node("aggregator", allowedNames("front-proxy-client")),
    findings: [notAllowed("aggregator", "front-proxy-client")],
  },
  {
    name: "critical: CN in none of several names, listed in the message",
    spec: node("front-proxy-client", allowedNames("aggregator,metrics-proxy")),
    findings: [notAllowed("front-proxy-client", "aggregator, metrics-proxy")],
  },
  {
    name: "critical: boundary: names compare exactly (Front-Proxy-Client is not front-proxy-client)",
    spec: node("Front-Proxy-Client", allowedNames("front-proxy-client")),
    findings: [notAllowed("Front-Proxy-Client", "front-proxy-client")],
  },
  {
    name: "critical: boundary: pflag keeps the last --requestheader-allowed-names",
    spec: node("front-proxy-client", allowedNames("front-proxy-client", "aggregator")),
    findings: [notAllowed("front-proxy-client", "aggregator")],
  },
];

checkTable(frontProxyNameNotAllowed, { passes, fails });
