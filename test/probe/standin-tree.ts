import { makeCA, makeCert, testKey, type CertSpec } from "../helpers/certs.js";
import { DAY, HOUR, pemOf, unit, writeTree } from "./helpers.js";

/** A stand-in node for kube-apiserver and the kubelet: its PKI and the tree that names it. */
export interface Pair {
  cert: string;
  key: string;
}

/** The PKI of the stand-in node, valid around the real time (the probe verifies at the real time). */
export interface Pki {
  ca: Pair;
  otherCa: Pair;
  apiserver: Pair;
  /** apiserver.crt issued again for the same key, later: a renewal on disk the server has not loaded. */
  apiserverRenewed: Pair;
  kubelet: Pair;
  kubeletClient: Pair;
}

export async function makePki(): Promise<Pki> {
  const now = Date.now();
  const validity: CertSpec = { notBefore: new Date(now - HOUR), notAfter: new Date(now + 30 * DAY) };
  const pair = (made: Awaited<ReturnType<typeof makeCert>>): Pair => ({ cert: pemOf(made.cert.der), key: made.key.pkcs8Pem });
  const ca = await makeCA("kubernetes", { key: await testKey({ kind: "ec" }, 10), ...validity });
  const otherCa = await makeCA("kubernetes", { key: await testKey({ kind: "ec" }, 11), ...validity });
  const serving = { ip: ["127.0.0.1"], dns: ["localhost"], eku: ["serverAuth" as const], issuer: ca };
  const apiserverKey = await testKey({ kind: "ec" }, 12);
  const apiserver = await makeCert({ cn: "kube-apiserver", key: apiserverKey, ...serving, ...validity });
  const apiserverRenewed = await makeCert({ cn: "kube-apiserver", key: apiserverKey, ...serving, notBefore: validity.notBefore, notAfter: new Date(now + 60 * DAY) });
  const kubelet = await makeCert({ cn: "cp-1", key: await testKey({ kind: "ec" }, 13), ...serving, ...validity });
  const kubeletClient = await makeCert({ cn: "kube-apiserver-kubelet-client", o: ["kubeadm:cluster-admins"], key: await testKey({ kind: "ec" }, 14), eku: ["clientAuth"], issuer: ca, ...validity });
  return { ca: pair(ca), otherCa: pair(otherCa), apiserver: pair(apiserver), apiserverRenewed: pair(apiserverRenewed), kubelet: pair(kubelet), kubeletClient: pair(kubeletClient) };
}

export interface TreeSpec {
  apiserverPort: number;
  advertise?: string;
  /** What the files say: the serving certificate and the cluster CA (--client-ca-file). */
  apiserverCert: Pair;
  clientCa: string;
  kubeletPort?: number;
  /** --kubelet-certificate-authority, when set. */
  kubeletCa?: string;
}

export function buildTree(root: string, pki: Pki, spec: TreeSpec): void {
  const flags = [
    ...(spec.advertise ? [`--advertise-address=${spec.advertise}`] : []),
    `--secure-port=${spec.apiserverPort}`,
    "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt",
    "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key",
    "--client-ca-file=/etc/kubernetes/pki/ca.crt",
    "--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt",
    "--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key",
    ...(spec.kubeletCa ? ["--kubelet-certificate-authority=/etc/kubernetes/pki/kubelet-ca.crt"] : []),
  ];
  writeTree(root, {
    "/etc/hostname": "cp-1\n",
    "/etc/systemd/system/kube-apiserver.service": unit("/usr/local/bin/kube-apiserver", flags),
    "/etc/kubernetes/pki/apiserver.crt": spec.apiserverCert.cert,
    "/etc/kubernetes/pki/apiserver.key": spec.apiserverCert.key,
    "/etc/kubernetes/pki/ca.crt": spec.clientCa,
    "/etc/kubernetes/pki/apiserver-kubelet-client.crt": pki.kubeletClient.cert,
    "/etc/kubernetes/pki/apiserver-kubelet-client.key": pki.kubeletClient.key,
    ...(spec.kubeletCa ? { "/etc/kubernetes/pki/kubelet-ca.crt": spec.kubeletCa } : {}),
  });
  if (spec.kubeletPort !== undefined) {
    writeTree(root, {
      "/var/lib/kubelet/config.yaml": [
        "apiVersion: kubelet.config.k8s.io/v1beta1",
        "kind: KubeletConfiguration",
        `port: ${spec.kubeletPort}`,
        "tlsCertFile: /var/lib/kubelet/pki/kubelet.crt",
        "tlsPrivateKeyFile: /var/lib/kubelet/pki/kubelet.key",
        "authentication:",
        "  x509:",
        "    clientCAFile: /etc/kubernetes/pki/ca.crt",
        "",
      ].join("\n"),
      "/var/lib/kubelet/pki/kubelet.crt": pki.kubelet.cert,
      "/var/lib/kubelet/pki/kubelet.key": pki.kubelet.key,
    });
  }
}

