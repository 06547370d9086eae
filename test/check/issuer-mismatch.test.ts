import { expect } from "vitest";
import { issuerMismatch } from "../../src/check/checks/issuer-mismatch.js";
import { decodeCertificate, type DecodedCertificate } from "../../src/load/certificate.js";
import { makeCA, makeCert, testKey } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { kubeadmRef, type RefSpec } from "../helpers/context.js";

// Key slots: each CA and leaf gets its own key so that a signature can only verify with the CA that made it.
const KUBE_CA_KEY = 0;
const ETCD_CA_KEY = 1;
const OTHER_CLUSTER_CA_KEY = 2;
const OLD_ETCD_CA_KEY = 3;
const LEAF_KEY = 4;
const KUBELET_CA_KEY = 5;
const ROGUE_CA_KEY = 6;

const CA_PATH = "/etc/kubernetes/pki/ca.crt";
const OTHER_CA_PATH = "/etc/kubernetes/pki/other-cluster-ca.crt";
const ETCD_CLIENT_PATH = "/etc/kubernetes/pki/apiserver-etcd-client.crt";
const KUBELET_CLIENT_PATH = "/etc/kubernetes/pki/apiserver-kubelet-client.crt";
const KUBELET_SERVING_PATH = "/var/lib/kubelet/pki/kubelet.crt";

type Issuer = { cert: DecodedCertificate; key: Awaited<ReturnType<typeof testKey>> };

async function ca(cn: string, slot: number): Promise<Issuer> {
  return makeCA(cn, { key: await testKey({ kind: "ec" }, slot) });
}
async function leaf(cn: string, issuer: Issuer, extra: Parameters<typeof makeCert>[0] = {}): Promise<DecodedCertificate> {
  return (await makeCert({ cn, key: await testKey({ kind: "ec" }, LEAF_KEY), issuer, ...extra })).cert;
}

const kubeCA = () => ca("kubernetes", KUBE_CA_KEY);
const etcdCA = () => ca("etcd-ca", ETCD_CA_KEY);
/** Another cluster's root CA: same CN "kubernetes", different key. */
const otherClusterCA = () => ca("kubernetes", OTHER_CLUSTER_CA_KEY);
const oldEtcdCA = () => ca("etcd-ca", OLD_ETCD_CA_KEY);

/** kube-apiserver --client-ca-file (CA_PATH) holding `certs`. */
const clientCA = (certs: DecodedCertificate[]): RefSpec => kubeadmRef("ca", { certs });
/** kube-apiserver --etcd-cafile (etcd/ca.crt) holding `certs`. */
const etcdCAFile = (certs: DecodedCertificate[]): RefSpec => kubeadmRef("etcd-ca", { certs });
const etcdTrustedCA = (path: string, certs: DecodedCertificate[]): RefSpec => ({
  component: "etcd",
  flag: "--trusted-ca-file",
  path,
  kind: "ca-bundle",
  purpose: "verify-clients",
  role: "etcd-ca",
  certs,
});
/** A CA bundle no role claims (kube-apiserver --kubelet-certificate-authority pointing at a foreign CA). */
const foreignBundle = (certs: DecodedCertificate[]): RefSpec => ({
  component: "kube-apiserver",
  flag: "--kubelet-certificate-authority",
  path: OTHER_CA_PATH,
  kind: "ca-bundle",
  purpose: "verify-server",
  certs,
});
/** kube-apiserver --etcd-certfile (ETCD_CLIENT_PATH) holding `cert`. */
const etcdClient = (cert: DecodedCertificate): RefSpec => kubeadmRef("apiserver-etcd-client", { certs: [cert] });
/** kube-apiserver --kubelet-client-certificate (KUBELET_CLIENT_PATH) holding `cert`. */
const kubeletClient = (cert: DecodedCertificate): RefSpec => kubeadmRef("apiserver-kubelet-client", { certs: [cert] });
/** kubelet tlsCertFile (KUBELET_SERVING_PATH) holding `certs`. */
const kubeletServing = (certs: DecodedCertificate[]): RefSpec => kubeadmRef("kubelet-serving", { certs });

/** The same certificate with one bit of its signature flipped: still parses, no longer verifies. */
function corruptSignature(cert: DecodedCertificate): DecodedCertificate {
  const der = Buffer.from(cert.der);
  der[der.length - 1] = (der[der.length - 1] as number) ^ 0x01;
  return decodeCertificate(der);
}

const passes: PassCase[] = [
  {
    name: "apiserver-etcd-client signed by the etcd CA",
    spec: async () => {
      const etcd = await etcdCA();
      return { refs: [clientCA([(await kubeCA()).cert]), etcdCAFile([etcd.cert]), etcdClient(await leaf("kube-apiserver-etcd-client", etcd))] };
    },
  },
  {
    name: "etcd CA bundle in rotation (old, new) and the leaf verifies against the second CA",
    spec: async () => {
      const next = await etcdCA();
      return { refs: [etcdCAFile([(await oldEtcdCA()).cert, next.cert]), etcdClient(await leaf("kube-apiserver-etcd-client", next))] };
    },
  },
  {
    name: "etcd CA bundle in rotation (old, new) and the leaf still verifies against the first CA",
    spec: async () => {
      const old = await oldEtcdCA();
      return { refs: [etcdCAFile([old.cert, (await etcdCA()).cert]), etcdClient(await leaf("kube-apiserver-etcd-client", old))] };
    },
  },
  {
    name: "the issuing etcd CA comes from another reference of the etcd-ca role (etcd --trusted-ca-file)",
    spec: async () => {
      const etcd = await etcdCA();
      return {
        refs: [
          etcdCAFile([(await oldEtcdCA()).cert]),
          etcdTrustedCA("/etc/kubernetes/pki/etcd/ca-new.crt", [etcd.cert]),
          etcdClient(await leaf("kube-apiserver-etcd-client", etcd)),
        ],
      };
    },
  },
  {
    name: "no CA of the issuing role (etcd-ca) is loaded: nothing to verify against",
    spec: async () => {
      const kube = await kubeCA();
      return { refs: [clientCA([kube.cert]), etcdClient(await leaf("kube-apiserver-etcd-client", kube))] };
    },
  },
  {
    name: "apiserver-kubelet-client signed by our CN=kubernetes CA while another cluster's CN=kubernetes CA is also loaded",
    spec: async () => {
      const kube = await kubeCA();
      return {
        refs: [clientCA([kube.cert]), foreignBundle([(await otherClusterCA()).cert]), kubeletClient(await leaf("kube-apiserver-kubelet-client", kube))],
      };
    },
  },
  {
    name: "bundled: kubelet.crt holds the leaf and the kubelet's own CA that signed it",
    spec: async () => {
      const kubeletCA = await ca("cp-1-ca@1768470900", KUBELET_CA_KEY);
      return { refs: [kubeletServing([await leaf("cp-1@1768470900", kubeletCA, { dns: ["cp-1"], eku: ["serverAuth"] }), kubeletCA.cert])] };
    },
  },
  {
    name: "bundled: kubelet.crt holds one self-signed certificate",
    spec: async () => {
      const self = await makeCert({ cn: "cp-1@1768470900", dns: ["cp-1"], eku: ["serverAuth"], key: await testKey({ kind: "ec" }, LEAF_KEY) });
      return { refs: [kubeletServing([self.cert])] };
    },
  },
  {
    name: "bundled: serverTLSBootstrap certificate signed by the cluster CA, no CA in the file",
    spec: async () => {
      const kube = await kubeCA();
      return { refs: [clientCA([kube.cert]), kubeletServing([await leaf("system:node:cp-1", kube, { o: ["system:nodes"], eku: ["serverAuth"] })])] };
    },
  },
  {
    name: "self-signed cluster CA whose self-signature verifies",
    spec: async () => ({ refs: [clientCA([(await kubeCA()).cert])] }),
  },
];

const fails: FailCase[] = [
  {
    name: "critical: apiserver-etcd-client signed by the kubernetes CA (role ca), which the message names",
    spec: async () => {
      const kube = await kubeCA();
      return { refs: [clientCA([kube.cert]), etcdCAFile([(await etcdCA()).cert]), etcdClient(await leaf("kube-apiserver-etcd-client", kube))] };
    },
    findings: [
      {
        id: "issuer-mismatch",
        severity: "critical",
        component: "kube-apiserver",
        path: ETCD_CLIENT_PATH,
        flag: "--etcd-certfile",
        role: "apiserver-etcd-client",
        expected: "signed by etcd-ca: CN=etcd-ca",
        actual: `signed by CN=kubernetes (${CA_PATH})`,
        message: expect.stringMatching(new RegExp(`not signed by the etcd-ca CA .*; it is signed by CN=kubernetes in ${CA_PATH.replace(/\./g, "\\.")}`)),
      },
    ],
  },
  {
    name: "critical: two CAs with CN=kubernetes, the leaf is signed by the other cluster's one (signature decides, not names)",
    spec: async () => {
      const other = await otherClusterCA();
      return {
        refs: [clientCA([(await kubeCA()).cert]), foreignBundle([other.cert]), kubeletClient(await leaf("kube-apiserver-kubelet-client", other))],
      };
    },
    findings: [
      {
        id: "issuer-mismatch",
        severity: "critical",
        component: "kube-apiserver",
        path: KUBELET_CLIENT_PATH,
        flag: "--kubelet-client-certificate",
        role: "apiserver-kubelet-client",
        expected: "signed by ca: CN=kubernetes",
        actual: `signed by CN=kubernetes (${OTHER_CA_PATH})`,
        message: expect.stringContaining(`it is signed by CN=kubernetes in ${OTHER_CA_PATH}`),
      },
    ],
  },
  {
    name: "critical: leaf's issuer field says CN=kubernetes but only another key signed it and that CA is not loaded",
    spec: async () => {
      const other = await otherClusterCA();
      return { refs: [clientCA([(await kubeCA()).cert]), kubeletClient(await leaf("kube-apiserver-kubelet-client", other))] };
    },
    findings: [
      {
        id: "issuer-mismatch",
        severity: "critical",
        path: KUBELET_CLIENT_PATH,
        flag: "--kubelet-client-certificate",
        role: "apiserver-kubelet-client",
        actual: "issuer CN=kubernetes (unverified)",
        message: expect.stringContaining("no loaded CA verifies it"),
      },
    ],
  },
  {
    name: "critical: leaf signed by the old etcd CA after the bundle was cut over to the new CA only",
    spec: async () => {
      const old = await oldEtcdCA();
      return { refs: [etcdCAFile([(await etcdCA()).cert]), etcdClient(await leaf("kube-apiserver-etcd-client", old))] };
    },
    findings: [{ id: "issuer-mismatch", severity: "critical", path: ETCD_CLIENT_PATH, flag: "--etcd-certfile", role: "apiserver-etcd-client" }],
  },
  {
    name: "warning: bundled kubelet.crt whose bundled CA did not sign the leaf and no loaded CA verifies it",
    spec: async () => {
      const kubeletCA = await ca("cp-1-ca@1768470900", KUBELET_CA_KEY);
      const rogue = await ca("rogue-ca", ROGUE_CA_KEY);
      return { refs: [clientCA([(await kubeCA()).cert]), kubeletServing([await leaf("cp-1@1768470900", rogue, { eku: ["serverAuth"] }), kubeletCA.cert])] };
    },
    findings: [
      {
        id: "issuer-mismatch",
        severity: "warning",
        component: "kubelet",
        path: KUBELET_SERVING_PATH,
        flag: "tlsCertFile",
        role: "kubelet-serving",
        actual: "issuer CN=rogue-ca",
      },
    ],
  },
  {
    name: "critical: self-signed cluster CA whose signature is corrupt",
    spec: async () => ({ refs: [clientCA([corruptSignature((await kubeCA()).cert)])] }),
    findings: [
      {
        id: "issuer-mismatch",
        severity: "critical",
        component: "kube-apiserver",
        path: CA_PATH,
        flag: "--client-ca-file",
        role: "ca",
        actual: "signature does not verify",
      },
    ],
  },
];

checkTable(issuerMismatch, { passes, fails });
