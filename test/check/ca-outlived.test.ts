import { expect } from "vitest";
import { caOutlived } from "../../src/check/checks/ca-outlived.js";
import type { DecodedCertificate } from "../../src/load/certificate.js";
import { DEFAULT_NOT_AFTER, makeCA, makeCert, testKey } from "../helpers/certs.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { kubeadmRef, type RefSpec } from "../helpers/context.js";

const CA_PATH = "/etc/kubernetes/pki/ca.crt";
const ROOT_CA_PATH = "/etc/kubernetes/pki/root-ca.crt";
const LEAF_PATH = "/etc/kubernetes/pki/apiserver-kubelet-client.crt";

const CA_KEY = 0;
const LEAF_KEY = 1;
const INTERMEDIATE_KEY = 2;
const OTHER_CA_KEY = 3;

/** Every CA below expires at DEFAULT_NOT_AFTER (2027-01-15T10:00:00Z) unless it says otherwise. */
const CA_NOT_AFTER = DEFAULT_NOT_AFTER;
const LONG_CA_NOT_AFTER = new Date("2036-01-13T10:00:00Z");
const AFTER_CA = new Date("2027-06-01T00:00:00Z");
const BEFORE_CA = new Date("2026-12-01T00:00:00Z");

const key = (slot: number) => testKey({ kind: "ec" }, slot);
const kubeCA = async (notAfter = CA_NOT_AFTER) => makeCA("kubernetes", { key: await key(CA_KEY), notAfter });
async function leafSignedBy(issuer: Awaited<ReturnType<typeof makeCA>>, notAfter: Date): Promise<DecodedCertificate> {
  return (await makeCert({ cn: "kube-apiserver-kubelet-client", o: ["kubeadm:cluster-admins"], key: await key(LEAF_KEY), issuer, notAfter })).cert;
}

/** kube-apiserver --client-ca-file (CA_PATH) holding `certs`. */
const clientCAFile = (certs: DecodedCertificate[]): RefSpec => kubeadmRef("ca", { certs });
const rootCAFile = (certs: DecodedCertificate[]): RefSpec => ({
  component: "kube-controller-manager",
  flag: "--root-ca-file",
  path: ROOT_CA_PATH,
  kind: "ca-bundle",
  purpose: "root-ca",
  role: "ca",
  certs,
});
/** kube-apiserver --kubelet-client-certificate (LEAF_PATH) holding `cert`. */
const kubeletClient = (cert: DecodedCertificate): RefSpec => kubeadmRef("apiserver-kubelet-client", { certs: [cert] });

const passes: PassCase[] = [
  {
    name: "leaf expires before its CA",
    spec: async () => {
      const ca = await kubeCA();
      return { refs: [clientCAFile([ca.cert]), kubeletClient(await leafSignedBy(ca, BEFORE_CA))] };
    },
  },
  {
    name: "leaf expires at the same instant as its CA",
    spec: async () => {
      const ca = await kubeCA();
      return { refs: [clientCAFile([ca.cert]), kubeletClient(await leafSignedBy(ca, CA_NOT_AFTER))] };
    },
  },
  {
    name: "two CAs verify it (same key, CA re-issued with a longer life, both in one bundle) and the longer one outlives the leaf",
    spec: async () => {
      const short = await kubeCA();
      const long = await kubeCA(LONG_CA_NOT_AFTER);
      return { refs: [clientCAFile([short.cert, long.cert]), kubeletClient(await leafSignedBy(short, AFTER_CA))] };
    },
  },
  {
    name: "two CAs verify it, the re-issued longer-lived CA comes from another reference (--root-ca-file)",
    spec: async () => {
      const short = await kubeCA();
      const long = await kubeCA(LONG_CA_NOT_AFTER);
      return { refs: [clientCAFile([short.cert]), rootCAFile([long.cert]), kubeletClient(await leafSignedBy(short, AFTER_CA))] };
    },
  },
  {
    name: "no loaded CA verifies the leaf: nothing to compare with",
    spec: async () => {
      const other = await makeCA("kubernetes", { key: await key(OTHER_CA_KEY) });
      return { refs: [clientCAFile([(await kubeCA()).cert]), kubeletClient(await leafSignedBy(other, AFTER_CA))] };
    },
  },
  {
    name: "a self-signed CA is not compared with itself",
    spec: async () => ({ refs: [clientCAFile([(await kubeCA(LONG_CA_NOT_AFTER)).cert])] }),
  },
];

const fails: FailCase[] = [
  {
    name: "warning: leaf notAfter after its only CA's notAfter",
    spec: async () => {
      const ca = await kubeCA();
      return { refs: [clientCAFile([ca.cert]), kubeletClient(await leafSignedBy(ca, AFTER_CA))] };
    },
    findings: [
      {
        id: "ca-outlived",
        severity: "warning",
        component: "kube-apiserver",
        path: LEAF_PATH,
        flag: "--kubelet-client-certificate",
        role: "apiserver-kubelet-client",
        expected: `notAfter no later than the CA's ${CA_NOT_AFTER.toISOString()}`,
        actual: `notAfter ${AFTER_CA.toISOString()}`,
        message: expect.stringContaining(`CN=kubernetes in ${CA_PATH}`),
      },
    ],
  },
  {
    name: "warning: leaf outlives its CA by one second",
    spec: async () => {
      const ca = await kubeCA();
      return { refs: [clientCAFile([ca.cert]), kubeletClient(await leafSignedBy(ca, new Date(CA_NOT_AFTER.getTime() + 1000)))] };
    },
    findings: [{ id: "ca-outlived", severity: "warning", path: LEAF_PATH, role: "apiserver-kubelet-client" }],
  },
  {
    name: "warning: two CAs verify it (same key re-issued) but both expire before the leaf",
    spec: async () => {
      const short = await kubeCA();
      const alsoShort = await kubeCA(new Date("2027-03-01T00:00:00Z"));
      return { refs: [clientCAFile([short.cert, alsoShort.cert]), kubeletClient(await leafSignedBy(short, AFTER_CA))] };
    },
    findings: [{ id: "ca-outlived", severity: "warning", path: LEAF_PATH, flag: "--kubelet-client-certificate", actual: `notAfter ${AFTER_CA.toISOString()}` }],
  },
  {
    name: "warning: intermediate CA in a bundle outlives the root that signed it",
    spec: async () => {
      const root = await kubeCA();
      const intermediate = await makeCA("kubernetes-intermediate", { key: await key(INTERMEDIATE_KEY), issuer: root, notAfter: LONG_CA_NOT_AFTER });
      return { refs: [clientCAFile([root.cert, intermediate.cert])] };
    },
    findings: [
      {
        id: "ca-outlived",
        severity: "warning",
        component: "kube-apiserver",
        path: CA_PATH,
        flag: "--client-ca-file",
        role: "ca",
        actual: `notAfter ${LONG_CA_NOT_AFTER.toISOString()}`,
      },
    ],
  },
];

checkTable(caOutlived, { passes, fails });
