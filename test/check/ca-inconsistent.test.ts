import { expect } from "vitest";
import { caInconsistent } from "../../src/check/checks/ca-inconsistent.js";
import type { DecodedCertificate } from "../../src/load/certificate.js";
import { makeCA, testKey } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { fileProblem, type RefSpec } from "../helpers/context.js";

const ETCD_CA = "/etc/kubernetes/pki/etcd/ca.crt";
const OLD_ETCD_CA = "/etc/kubernetes/pki/etcd/ca-old.crt";
const ETCD_CA_COPY = "/etc/kubernetes/pki/etcd/ca-copy.crt";
const CA = "/etc/kubernetes/pki/ca.crt";
const SIGNING_CA = "/etc/kubernetes/pki/signing-ca.crt";
const FRONT_PROXY_CA = "/etc/kubernetes/pki/front-proxy-ca.crt";

const key = (slot: number) => testKey({ kind: "ec" }, slot);
const etcdCA = async () => (await makeCA("etcd-ca", { key: await key(0) })).cert;
const oldEtcdCA = async () => (await makeCA("etcd-ca", { key: await key(1) })).cert;
const kubeCA = async () => makeCA("kubernetes", { key: await key(2) });
const otherKubeCA = async () => makeCA("kubernetes", { key: await key(3) });
const frontProxyCA = async (slot: number) => (await makeCA("front-proxy-ca", { key: await key(slot) })).cert;

const bundle = (component: string, flag: string, role: string, path: string, certs: DecodedCertificate[], purpose: RefSpec["purpose"] = "verify-clients"): RefSpec => ({
  component,
  flag,
  path,
  kind: "ca-bundle",
  purpose,
  role,
  certs,
});
const etcdTrusted = (path: string, certs: DecodedCertificate[]) => bundle("etcd", "--trusted-ca-file", "etcd-ca", path, certs);
const etcdPeerTrusted = (path: string, certs: DecodedCertificate[]) => bundle("etcd", "--peer-trusted-ca-file", "etcd-ca", path, certs, "verify-peers");
const apiserverEtcdCA = (path: string, certs: DecodedCertificate[]) => bundle("kube-apiserver", "--etcd-cafile", "etcd-ca", path, certs, "verify-server");
const signingCert = (path: string, certs: DecodedCertificate[], keyFingerprint: Awaited<ReturnType<typeof key>>["fingerprint"]): RefSpec => ({
  component: "kube-controller-manager",
  flag: "--cluster-signing-cert-file",
  path,
  kind: "certificate",
  purpose: "signing",
  role: "ca",
  certs,
  key: { path: path.replace(/\.crt$/, ".key"), flag: "--cluster-signing-key-file", privateKeys: [keyFingerprint] },
});

const passes: PassCase[] = [
  {
    name: "etcd --trusted-ca-file, --peer-trusted-ca-file and kube-apiserver --etcd-cafile all name etcd/ca.crt",
    spec: async () => {
      const ca = await etcdCA();
      return { refs: [etcdTrusted(ETCD_CA, [ca]), etcdPeerTrusted(ETCD_CA, [ca]), apiserverEtcdCA(ETCD_CA, [ca])] };
    },
  },
  {
    name: "all three name the same etcd CA in different files with identical content",
    spec: async () => {
      const ca = await etcdCA();
      return { refs: [etcdTrusted(ETCD_CA, [ca]), etcdPeerTrusted(ETCD_CA_COPY, [ca]), apiserverEtcdCA("/etc/kubernetes/pki/etcd-ca-for-apiserver.crt", [ca])] };
    },
  },
  {
    name: "rotation in progress: etcd trusts the bundle (old, new), the others name only the new CA",
    spec: async () => {
      const [old, next] = [await oldEtcdCA(), await etcdCA()];
      return { refs: [etcdTrusted(OLD_ETCD_CA, [old, next]), etcdPeerTrusted(ETCD_CA, [next]), apiserverEtcdCA(ETCD_CA, [next])] };
    },
  },
  {
    name: "rotation in progress: two references name the bundle (old, new), one names only the old CA",
    spec: async () => {
      const [old, next] = [await oldEtcdCA(), await etcdCA()];
      return { refs: [etcdTrusted(OLD_ETCD_CA, [old, next]), etcdPeerTrusted(OLD_ETCD_CA, [old, next]), apiserverEtcdCA(ETCD_CA_COPY, [old])] };
    },
  },
  {
    name: "different CA roles naming different CAs are not compared with each other (ca vs front-proxy-ca vs etcd-ca)",
    spec: async () => ({
      refs: [
        bundle("kube-apiserver", "--client-ca-file", "ca", CA, [(await kubeCA()).cert]),
        bundle("kube-apiserver", "--requestheader-client-ca-file", "front-proxy-ca", FRONT_PROXY_CA, [await frontProxyCA(4)]),
        apiserverEtcdCA(ETCD_CA, [await etcdCA()]),
      ],
    }),
  },
  {
    name: "--cluster-signing-cert-file names the same CA as --client-ca-file; a chain behind it in the file does not count",
    spec: async () => {
      const ca = await kubeCA();
      return {
        refs: [
          bundle("kube-apiserver", "--client-ca-file", "ca", CA, [ca.cert]),
          bundle("kube-controller-manager", "--client-ca-file", "ca", CA, [ca.cert]),
          signingCert(SIGNING_CA, [ca.cert, (await otherKubeCA()).cert], ca.key.fingerprint),
        ],
      };
    },
  },
  {
    name: "a single reference to a CA role has nothing to disagree with",
    spec: async () => ({ refs: [etcdTrusted(OLD_ETCD_CA, [await oldEtcdCA()])] }),
  },
  {
    name: "an unreadable CA file is left to the file checks",
    spec: async () => ({
      refs: [
        etcdTrusted(ETCD_CA, [await etcdCA()]),
        { ...etcdPeerTrusted(OLD_ETCD_CA, []), result: fileProblem("unreadable", OLD_ETCD_CA, "permission denied") },
      ],
    }),
  },
];

const fails: FailCase[] = [
  {
    name: "critical: etcd --trusted-ca-file names the old etcd CA while --peer-trusted-ca-file and kube-apiserver --etcd-cafile name the current one",
    spec: async () => {
      const [old, current] = [await oldEtcdCA(), await etcdCA()];
      return { refs: [etcdTrusted(OLD_ETCD_CA, [old]), etcdPeerTrusted(ETCD_CA, [current]), apiserverEtcdCA(ETCD_CA, [current])] };
    },
    findings: [
      {
        id: "ca-inconsistent",
        severity: "critical",
        component: "etcd",
        path: OLD_ETCD_CA,
        flag: "--trusted-ca-file",
        role: "etcd-ca",
        message: expect.stringMatching(
          /^etcd --trusted-ca-file \(\/etc\/kubernetes\/pki\/etcd\/ca-old\.crt\) names a different etcd-ca CA than .*etcd --peer-trusted-ca-file \(\/etc\/kubernetes\/pki\/etcd\/ca\.crt\).*kube-apiserver --etcd-cafile \(\/etc\/kubernetes\/pki\/etcd\/ca\.crt\)/,
        ),
        expected: expect.stringContaining(`the same etcd-ca CA as ${ETCD_CA} `),
        actual: expect.stringContaining(OLD_ETCD_CA),
      },
    ],
  },
  {
    name: "critical: kube-apiserver --etcd-cafile is the odd one out, in a file of the same name pattern but another CA",
    spec: async () => {
      const [old, current] = [await oldEtcdCA(), await etcdCA()];
      return { refs: [etcdTrusted(ETCD_CA, [current]), etcdPeerTrusted(ETCD_CA, [current]), apiserverEtcdCA(ETCD_CA_COPY, [old])] };
    },
    findings: [{ id: "ca-inconsistent", severity: "critical", component: "kube-apiserver", path: ETCD_CA_COPY, flag: "--etcd-cafile", role: "etcd-ca" }],
  },
  {
    name: "critical: kube-controller-manager --cluster-signing-cert-file (certificate, role ca) names another CA than --client-ca-file",
    spec: async () => {
      const [ca, other] = [await kubeCA(), await otherKubeCA()];
      return {
        refs: [
          bundle("kube-apiserver", "--client-ca-file", "ca", CA, [ca.cert]),
          bundle("kube-controller-manager", "--client-ca-file", "ca", CA, [ca.cert]),
          signingCert(SIGNING_CA, [other.cert], other.key.fingerprint),
        ],
      };
    },
    findings: [
      {
        id: "ca-inconsistent",
        severity: "critical",
        component: "kube-controller-manager",
        path: SIGNING_CA,
        flag: "--cluster-signing-cert-file",
        role: "ca",
        message: expect.stringContaining("kube-apiserver --client-ca-file (/etc/kubernetes/pki/ca.crt)"),
      },
    ],
  },
  {
    name: "critical: front-proxy CA of kube-controller-manager differs from the one kube-apiserver and kube-scheduler name",
    spec: async () => {
      const [current, other] = [await frontProxyCA(4), await frontProxyCA(5)];
      return {
        refs: [
          bundle("kube-apiserver", "--requestheader-client-ca-file", "front-proxy-ca", FRONT_PROXY_CA, [current]),
          bundle("kube-scheduler", "--requestheader-client-ca-file", "front-proxy-ca", FRONT_PROXY_CA, [current]),
          bundle("kube-controller-manager", "--requestheader-client-ca-file", "front-proxy-ca", "/etc/kubernetes/pki/front-proxy-ca-old.crt", [other]),
        ],
      };
    },
    findings: [
      {
        id: "ca-inconsistent",
        severity: "critical",
        component: "kube-controller-manager",
        path: "/etc/kubernetes/pki/front-proxy-ca-old.crt",
        flag: "--requestheader-client-ca-file",
        role: "front-proxy-ca",
      },
    ],
  },
];

checkTable(caInconsistent, { passes, fails });
