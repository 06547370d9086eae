import { keyMismatch } from "../../src/check/checks/key-mismatch.js";
import type { DecodedCertificate } from "../../src/load/certificate.js";
import type { PublicKeyFingerprint } from "../../src/load/keys.js";
import { makeCA, makeCert, testKey } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { KUBELET_SERVER_PEM, fileProblem, kubeadmRef, kubeletServerPem, material, type RefSpec } from "../helpers/context.js";

const APISERVER_CRT = "/etc/kubernetes/pki/apiserver.crt";
const APISERVER_KEY = "/etc/kubernetes/pki/apiserver.key";
const SA_KEY = "/etc/kubernetes/pki/sa.key";
const SA_PUB = "/etc/kubernetes/pki/sa.pub";

const CERT_KEY = 1;
const OTHER_KEY = 2;
const SA_SIGNING_KEY = 3;
const SA_OTHER_KEY = 4;

const key = (slot: number) => testKey({ kind: "ec" }, slot);
const fp = async (slot: number) => (await key(slot)).fingerprint;
async function certWithKey(slot: number, cn = "kube-apiserver"): Promise<DecodedCertificate> {
  return (await makeCert({ cn, key: await key(slot), issuer: await makeCA("kubernetes", { key: await key(0) }) })).cert;
}

/** kube-apiserver --tls-cert-file (APISERVER_CRT) holding `cert`, --tls-private-key-file (APISERVER_KEY) holding `privateKeys`. */
const apiserverPair = (cert: DecodedCertificate, privateKeys: PublicKeyFingerprint[]): RefSpec =>
  kubeadmRef("apiserver", { certs: [cert], key: { path: APISERVER_KEY, flag: "--tls-private-key-file", privateKeys } });
/** The kubelet's rotated serving certificate: certificate and key in one PEM file. */
const kubeletCombined = (cert: DecodedCertificate, privateKeys: PublicKeyFingerprint[]): RefSpec =>
  kubeletServerPem({ content: material({ certificates: [cert], privateKeys }) }, { privateKeys });
const saSigningKey = (privateKeys: PublicKeyFingerprint[], component = "kube-apiserver", flag = "--service-account-signing-key-file"): RefSpec => ({
  component,
  flag,
  path: SA_KEY,
  kind: "private-key",
  purpose: "sa-private-key",
  content: material({ privateKeys }),
});
const saPublicKeys = (content: Parameters<typeof material>[0], path = SA_PUB): RefSpec => ({
  component: "kube-apiserver",
  flag: "--service-account-key-file",
  path,
  kind: "public-key",
  purpose: "sa-public-key",
  content: material(content),
});

const passes: PassCase[] = [
  {
    name: "apiserver.crt with its own private key",
    spec: async () => ({ refs: [apiserverPair(await certWithKey(CERT_KEY), [await fp(CERT_KEY)])] }),
  },
  {
    name: "kubelet combined PEM (certificate and key in the same file) that match",
    spec: async () => ({ refs: [kubeletCombined(await certWithKey(CERT_KEY, "system:node:cp-1"), [await fp(CERT_KEY)])] }),
  },
  {
    name: "key file unreadable: nothing to compare (reported by the file checks)",
    spec: async () => ({
      refs: [{ ...apiserverPair(await certWithKey(CERT_KEY), []), key: { path: APISERVER_KEY, flag: "--tls-private-key-file", result: fileProblem("unreadable", APISERVER_KEY, "permission denied") } }],
    }),
  },
  {
    name: "key file not mounted: nothing to compare",
    spec: async () => ({ refs: [{ ...apiserverPair(await certWithKey(CERT_KEY), []), key: { path: APISERVER_KEY, flag: "--tls-private-key-file", result: { notMounted: true } } }] }),
  },
  {
    name: "key file holds no private key (file-invalid reports it)",
    spec: async () => ({ refs: [apiserverPair(await certWithKey(CERT_KEY), [])] }),
  },
  {
    name: "service-account signing key whose public half is in --service-account-key-file",
    spec: async () => ({ refs: [saSigningKey([await fp(SA_SIGNING_KEY)]), saPublicKeys({ publicKeys: [await fp(SA_SIGNING_KEY)] })] }),
  },
  {
    name: "service-account key file given the private key itself (sa.key as --service-account-key-file)",
    spec: async () => ({ refs: [saSigningKey([await fp(SA_SIGNING_KEY)]), saPublicKeys({ privateKeys: [await fp(SA_SIGNING_KEY)] }, SA_KEY)] }),
  },
  {
    name: "service-account signing key whose public half is in the second of two --service-account-key-file values (key rotation)",
    spec: async () => ({
      refs: [
        saSigningKey([await fp(SA_SIGNING_KEY)]),
        saPublicKeys({ publicKeys: [await fp(SA_OTHER_KEY)] }, "/etc/kubernetes/pki/sa-old.pub"),
        saPublicKeys({ publicKeys: [await fp(SA_SIGNING_KEY)] }),
      ],
    }),
  },
  {
    name: "kube-controller-manager --service-account-private-key-file matching kube-apiserver's public key",
    spec: async () => ({
      refs: [saSigningKey([await fp(SA_SIGNING_KEY)], "kube-controller-manager", "--service-account-private-key-file"), saPublicKeys({ publicKeys: [await fp(SA_SIGNING_KEY)] })],
    }),
  },
  {
    name: "mismatching service-account keys but the public-key file is unreadable: cannot compare",
    spec: async () => ({
      refs: [
        saSigningKey([await fp(SA_SIGNING_KEY)]),
        { ...saPublicKeys({}), result: fileProblem("unreadable", SA_PUB, "permission denied") },
      ],
    }),
  },
];

const fails: FailCase[] = [
  {
    name: "critical: apiserver.crt with another key; the finding points at the key file and key flag",
    spec: async () => ({ refs: [apiserverPair(await certWithKey(CERT_KEY), [await fp(OTHER_KEY)])] }),
    findings: [
      {
        id: "key-mismatch",
        severity: "critical",
        component: "kube-apiserver",
        path: APISERVER_KEY,
        flag: "--tls-private-key-file",
        role: "apiserver",
        expected: `the private key of ${APISERVER_CRT}`,
        actual: "a different EC key",
      },
    ],
  },
  {
    name: "critical: kubelet combined PEM whose key is not the certificate's",
    spec: async () => ({ refs: [kubeletCombined(await certWithKey(CERT_KEY, "system:node:cp-1"), [await fp(OTHER_KEY)])] }),
    findings: [{ id: "key-mismatch", severity: "critical", component: "kubelet", path: KUBELET_SERVER_PEM, flag: "tlsPrivateKeyFile", role: "kubelet-serving" }],
  },
  {
    name: "critical: --service-account-signing-key-file whose public half is not in --service-account-key-file",
    spec: async () => ({ refs: [saSigningKey([await fp(SA_SIGNING_KEY)]), saPublicKeys({ publicKeys: [await fp(SA_OTHER_KEY)] })] }),
    findings: [
      {
        id: "key-mismatch",
        severity: "critical",
        component: "kube-apiserver",
        path: SA_KEY,
        flag: "--service-account-signing-key-file",
        role: null,
        expected: `public key in ${SA_PUB}`,
        actual: "no matching public key",
      },
    ],
  },
  {
    name: "critical: kube-controller-manager --service-account-private-key-file not matching kube-apiserver's public key",
    spec: async () => ({
      refs: [saSigningKey([await fp(SA_OTHER_KEY)], "kube-controller-manager", "--service-account-private-key-file"), saPublicKeys({ publicKeys: [await fp(SA_SIGNING_KEY)] })],
    }),
    findings: [{ id: "key-mismatch", severity: "critical", component: "kube-controller-manager", path: SA_KEY, flag: "--service-account-private-key-file", role: null }],
  },
];

checkTable(keyMismatch, { passes, fails });
