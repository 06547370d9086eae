/**
 * The two "Kubernetes the hard way" samples: control-plane nodes built after Kelsey Hightower's guide
 * (github.com/kelseyhightower/kubernetes-the-hard-way), run by systemd units, as {@link NodeSpec}s with
 * named {@link Fault}s in the same declarative form as the kubeadm samples of `spec.ts`.
 *
 * - `hardway-systemd-2021`: the 2021 (Kubernetes v1.21) edition on GCE. cfssl made the PKI (ca-config.json
 *   profile `kubernetes`, `*-csr.json` subjects), one multi-purpose `kubernetes.pem` serves the API server, is
 *   its etcd and kubelet client certificate and (copied to /etc/etcd) etcd's serving and peer certificate.
 *   This controller also runs the guide's worker components (kubelet, kube-proxy).
 * - `hardway-systemd-2024`: the current edition (v1.32.3, `server` / `node-0` / `node-1`): openssl with the
 *   repository's `ca.conf`, kubeconfigs dialling https://server.kubernetes.local:6443, etcd on plain http on
 *   loopback with no TLS at all.
 *
 * Sources (kelseyhightower/kubernetes-the-hard-way): `ca.conf`, `units/*.service`, `configs/*.yaml`,
 * `downloads-amd64.txt`, `docs/04-certificate-authority.md`, `05-kubernetes-configuration-files.md`,
 * `07-bootstrapping-etcd.md`, `08-bootstrapping-kubernetes-controllers.md` (current edition); the same docs of
 * the 2021 edition (`KUBERNETES_HOSTNAMES`, cfssl `-hostname`, the heredoc units, `kubelet-config.yaml`,
 * `kube-proxy-config.yaml`); cfssl `signer/signer.go` (`FillTemplate`: notBefore backdated 5 minutes).
 *
 * Nothing here reads the clock or a random source. This module calls nothing of `spec.ts` at load time
 * (`spec.ts` imports it to build `SAMPLES`), only from the exported builders.
 */
import {
  applyFaults, iso, type CertSpec, type ExtKeyUsage, type Fault, type KubeconfigSpec, type NodeFacts, type NodeSpec,
  type Sample, type TreeFile,
} from "./spec.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * Validity cfssl gives a certificate signed at `signedAt` with `hours` of expiry (cfssl `signer.FillTemplate`:
 * notBefore = now rounded to the minute minus the 5-minute default backdate, notAfter = notBefore + expiry).
 */
function cfsslValidity(signedAt: string, hours: number): { notBefore: string; notAfter: string } {
  const notBefore = Math.round(Date.parse(signedAt) / MINUTE_MS) * MINUTE_MS - 5 * MINUTE_MS;
  return { notBefore: iso(notBefore), notAfter: iso(notBefore + hours * HOUR_MS) };
}

/** Validity of `openssl req -x509 -days N` and `openssl x509 -req -days N` run at `signedAt`: no backdate. */
function opensslValidity(signedAt: string, days: number): { notBefore: string; notAfter: string } {
  const t = Date.parse(signedAt);
  return { notBefore: iso(t), notAfter: iso(t + days * DAY_MS) };
}

const NO_SANS = { dns: [] as string[], ip: [] as string[] };
const LEAF_KU: CertSpec["keyUsage"] = ["digitalSignature", "keyEncipherment"];
/** cfssl `-initca` and ca.conf's `[ca_x509_extensions]`: certificate and CRL signing only. */
const CA_KU: CertSpec["keyUsage"] = ["keyCertSign", "cRLSign"];

/** `ExecStart=` with one argument per continued line, as the guide's heredocs write it. */
function execStart(binary: string, args: string[]): string {
  return `ExecStart=${binary} \\\n${args.map((arg) => `  ${arg}`).join(" \\\n")}`;
}

/** A unit in the guide's shape: `[Unit]`, `[Service]` (ExecStart, Restart=on-failure, RestartSec=5), `[Install]`. */
function guideUnit(o: { description: string; documentation: string; unitExtra?: string[]; serviceBefore?: string[]; exec: string; finalNewline?: boolean }): string {
  const text = [
    "[Unit]",
    `Description=${o.description}`,
    `Documentation=${o.documentation}`,
    ...(o.unitExtra ?? []),
    "",
    "[Service]",
    ...(o.serviceBefore ?? []),
    o.exec,
    "Restart=on-failure",
    "RestartSec=5",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
  ].join("\n");
  return o.finalNewline === false ? text : `${text}\n`;
}

/** A kubeconfig as `kubectl config set-cluster/set-credentials --embed-certs=true` leaves it (one cluster, one user). */
function guideKubeconfig(server: string, userName: string, cert: string): KubeconfigSpec {
  return { clusterName: "kubernetes-the-hard-way", server, caCert: "ca", userName, credentials: { kind: "embedded", cert } };
}

/** The data encryption key of lab 06 (`head -c 32 /dev/urandom | base64`): here a fixed, throw-away 32 bytes. */
const ENCRYPTION_KEY = Buffer.from("throw-away sample key, no secret").toString("base64");

// ---------------------------------------------------------------------------------------------
// hardway-systemd-2021

/** When the PKI of the 2021 node was made (cfssl on the admin workstation). */
const ISSUED_2021 = "2025-12-01T10:00:00Z";
/** The load balancer's public address, KUBERNETES_PUBLIC_ADDRESS (a documentation address). */
const PUBLIC_ADDRESS = "203.0.113.10";
/** controller-0's external (NAT) address, the EXTERNAL_IP of its node certificate (a documentation address). */
const EXTERNAL_IP_2021 = "198.51.100.10";
const CONTROLLERS = ["10.240.0.10", "10.240.0.11", "10.240.0.12"];
/** The 2021 guide's KUBERNETES_HOSTNAMES, with its `kubernetes.svc.cluster.local` read as the intended `kubernetes.default.svc.cluster.local`. */
const HOSTNAMES_FIXED = ["kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster", "kubernetes.default.svc.cluster.local"];
/** KUBERNETES_HOSTNAMES exactly as both editions of the guide spell them. */
const HOSTNAMES_AS_PUBLISHED = ["kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster", "kubernetes.svc.cluster.local"];

export const HARDWAY_2021_FACTS: NodeFacts = {
  hostname: "controller-0",
  nodeName: "controller-0",
  advertiseAddress: "10.240.0.10",
  bindPort: 6443,
  serviceSubnet: "10.32.0.0/24",
  serviceIP: "10.32.0.1",
  clusterDNS: "10.32.0.10",
  clusterDomain: "cluster.local",
  clusterName: "kubernetes-the-hard-way",
  etcdServers: CONTROLLERS.map((ip) => `https://${ip}:2379`),
  kubernetesVersion: "v1.21.0",
  etcdImage: "etcd v3.4.15 (binary in /usr/local/bin)",
  pauseImage: "(containerd default)",
  criSocket: "unix:///var/run/containerd/containerd.sock",
  issuedAt: ISSUED_2021,
  issuance:
    "cfssl: notBefore 5 minutes earlier; CA 43800h (5 years, `gencert -initca`), leaves 8760h (1 year, profile `kubernetes`: " +
    "signing, key encipherment, server auth, client auth)",
};

/** A leaf from cfssl's `kubernetes` profile: digitalSignature + keyEncipherment, serverAuth + clientAuth, one year. */
function cfsslLeaf(fields: Pick<CertSpec, "cn" | "o" | "keyId" | "serial"> & Partial<Pick<CertSpec, "sans">>): CertSpec {
  return {
    sans: NO_SANS, ...fields, issuer: "ca", keyAlgorithm: "RSA-2048", ...cfsslValidity(ISSUED_2021, 8760),
    isCA: false, keyUsage: LEAF_KU, extKeyUsage: ["serverAuth", "clientAuth"],
  };
}

function certs2021(): Record<string, CertSpec> {
  return {
    // ca-csr.json: CN Kubernetes, O Kubernetes (OU CA); cfssl gencert -initca.
    "ca": {
      cn: "Kubernetes", o: ["Kubernetes"], issuer: "self", keyId: "hw21-ca", keyAlgorithm: "RSA-2048",
      serial: "1e200ea27b78d2dca9edffa7d1ac489326975855", ...cfsslValidity(ISSUED_2021, 43800),
      isCA: true, keyUsage: CA_KU, extKeyUsage: [], sans: NO_SANS,
    },
    // kubernetes-csr.json; -hostname=10.32.0.1,<controllers>,${KUBERNETES_PUBLIC_ADDRESS},127.0.0.1,${KUBERNETES_HOSTNAMES}.
    "kubernetes": cfsslLeaf({
      cn: "kubernetes", o: ["Kubernetes"], keyId: "hw21-kubernetes", serial: "3cc7f39003eecb13c20298b87f141485676bd73c",
      sans: { dns: HOSTNAMES_FIXED, ip: ["10.32.0.1", ...CONTROLLERS, PUBLIC_ADDRESS, "127.0.0.1"] },
    }),
    // service-account-csr.json.
    "service-account": cfsslLeaf({ cn: "service-accounts", o: ["Kubernetes"], keyId: "hw21-service-account", serial: "1da077701e881018d6d54f4d89998bac66b563b8" }),
    // admin-csr.json.
    "admin": cfsslLeaf({ cn: "admin", o: ["system:masters"], keyId: "hw21-admin", serial: "3006ceae01f7cba91b2bbc24d573985031c2001d" }),
    // ${instance}-csr.json for this node; -hostname=${instance},${EXTERNAL_IP},${INTERNAL_IP}.
    "controller-0": cfsslLeaf({
      cn: "system:node:controller-0", o: ["system:nodes"], keyId: "hw21-controller-0", serial: "10752ccbb04d8c6319e1f93979fb5d5465bfc1da",
      sans: { dns: ["controller-0"], ip: [EXTERNAL_IP_2021, "10.240.0.10"] },
    }),
    "kube-controller-manager": cfsslLeaf({
      cn: "system:kube-controller-manager", o: ["system:kube-controller-manager"], keyId: "hw21-kube-controller-manager",
      serial: "1c2b9bdb3dc14f22f5221f72d826ebdd41e60130",
    }),
    "kube-proxy": cfsslLeaf({ cn: "system:kube-proxy", o: ["system:node-proxier"], keyId: "hw21-kube-proxy", serial: "1b640578b1d5a6c6c45b479dc0f8a762b2b78e1d" }),
    "kube-scheduler": cfsslLeaf({
      cn: "system:kube-scheduler", o: ["system:kube-scheduler"], keyId: "hw21-kube-scheduler", serial: "3c51744e1ea6c3a0cb9bd63f70122c3a06585940",
    }),
  };
}

const K8S_2021 = "/var/lib/kubernetes";

/** etcd.service of lab 07 with its variables left for systemd, read from the optional /etc/etcd/etcd.env. */
const ETCD_UNIT_2021 = guideUnit({
  description: "etcd",
  documentation: "https://github.com/coreos",
  serviceBefore: ["Type=notify", "EnvironmentFile=-/etc/etcd/etcd.env"],
  exec: execStart("/usr/local/bin/etcd", [
    "--name ${ETCD_NAME}",
    "--cert-file=/etc/etcd/kubernetes.pem",
    "--key-file=/etc/etcd/kubernetes-key.pem",
    "--peer-cert-file=/etc/etcd/kubernetes.pem",
    "--peer-key-file=/etc/etcd/kubernetes-key.pem",
    "--trusted-ca-file=/etc/etcd/ca.pem",
    "--peer-trusted-ca-file=/etc/etcd/ca.pem",
    "--peer-client-cert-auth",
    "--client-cert-auth",
    "--initial-advertise-peer-urls https://${INTERNAL_IP}:2380",
    "--listen-peer-urls https://${INTERNAL_IP}:2380",
    "--listen-client-urls https://${INTERNAL_IP}:2379,https://127.0.0.1:2379",
    "--advertise-client-urls https://${INTERNAL_IP}:2379",
    "--initial-cluster-token etcd-cluster-0",
    `--initial-cluster ${CONTROLLERS.map((ip, i) => `controller-${i}=https://${ip}:2380`).join(",")}`,
    "--initial-cluster-state new",
    "--data-dir=/var/lib/etcd",
  ]),
});

/** kube-apiserver.service of lab 08; INTERNAL_IP and KUBERNETES_PUBLIC_ADDRESS come from /etc/default/kubernetes. */
const APISERVER_UNIT_2021 = guideUnit({
  description: "Kubernetes API Server",
  documentation: "https://github.com/kubernetes/kubernetes",
  serviceBefore: ["EnvironmentFile=/etc/default/kubernetes"],
  exec: execStart("/usr/local/bin/kube-apiserver", [
    "--advertise-address=${INTERNAL_IP}",
    "--allow-privileged=true",
    "--apiserver-count=3",
    "--audit-log-maxage=30",
    "--audit-log-maxbackup=3",
    "--audit-log-maxsize=100",
    "--audit-log-path=/var/log/audit.log",
    "--authorization-mode=Node,RBAC",
    "--bind-address=0.0.0.0",
    `--client-ca-file=${K8S_2021}/ca.pem`,
    "--enable-admission-plugins=NamespaceLifecycle,NodeRestriction,LimitRanger,ServiceAccount,DefaultStorageClass,ResourceQuota",
    `--etcd-cafile=${K8S_2021}/ca.pem`,
    `--etcd-certfile=${K8S_2021}/kubernetes.pem`,
    `--etcd-keyfile=${K8S_2021}/kubernetes-key.pem`,
    `--etcd-servers=${CONTROLLERS.map((ip) => `https://${ip}:2379`).join(",")}`,
    "--event-ttl=1h",
    `--encryption-provider-config=${K8S_2021}/encryption-config.yaml`,
    `--kubelet-certificate-authority=${K8S_2021}/ca.pem`,
    `--kubelet-client-certificate=${K8S_2021}/kubernetes.pem`,
    `--kubelet-client-key=${K8S_2021}/kubernetes-key.pem`,
    "--runtime-config='api/all=true'",
    `--service-account-key-file=${K8S_2021}/service-account.pem`,
    `--service-account-signing-key-file=${K8S_2021}/service-account-key.pem`,
    "--service-account-issuer=https://${KUBERNETES_PUBLIC_ADDRESS}:443",
    "--service-cluster-ip-range=10.32.0.0/24",
    "--service-node-port-range=30000-32767",
    `--tls-cert-file=${K8S_2021}/kubernetes.pem`,
    `--tls-private-key-file=${K8S_2021}/kubernetes-key.pem`,
    "--v=2",
  ]),
});

const CONTROLLER_MANAGER_UNIT_2021 = guideUnit({
  description: "Kubernetes Controller Manager",
  documentation: "https://github.com/kubernetes/kubernetes",
  exec: execStart("/usr/local/bin/kube-controller-manager", [
    "--bind-address=0.0.0.0",
    "--cluster-cidr=10.200.0.0/16",
    "--cluster-name=kubernetes",
    `--cluster-signing-cert-file=${K8S_2021}/ca.pem`,
    `--cluster-signing-key-file=${K8S_2021}/ca-key.pem`,
    `--kubeconfig=${K8S_2021}/kube-controller-manager.kubeconfig`,
    "--leader-elect=true",
    `--root-ca-file=${K8S_2021}/ca.pem`,
    `--service-account-private-key-file=${K8S_2021}/service-account-key.pem`,
    "--service-cluster-ip-range=10.32.0.0/24",
    "--use-service-account-credentials=true",
    "--v=2",
  ]),
});

const SCHEDULER_UNIT = (finalNewline: boolean) => guideUnit({
  description: "Kubernetes Scheduler",
  documentation: "https://github.com/kubernetes/kubernetes",
  exec: execStart("/usr/local/bin/kube-scheduler", ["--config=/etc/kubernetes/config/kube-scheduler.yaml", "--v=2"]),
  finalNewline,
});

const KUBELET_UNIT_2021 = guideUnit({
  description: "Kubernetes Kubelet",
  documentation: "https://github.com/kubernetes/kubernetes",
  unitExtra: ["After=containerd.service", "Requires=containerd.service"],
  exec: execStart("/usr/local/bin/kubelet", [
    "--config=/var/lib/kubelet/kubelet-config.yaml",
    "--container-runtime=remote",
    "--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock",
    "--image-pull-progress-deadline=2m",
    "--kubeconfig=/var/lib/kubelet/kubeconfig",
    "--network-plugin=cni",
    "--register-node=true",
    "--v=2",
  ]),
});

const KUBE_PROXY_UNIT_2021 = guideUnit({
  description: "Kubernetes Kube Proxy",
  documentation: "https://github.com/kubernetes/kubernetes",
  exec: execStart("/usr/local/bin/kube-proxy", ["--config=/var/lib/kube-proxy/kube-proxy-config.yaml"]),
});

/** kubelet-config.yaml of lab 09, as the unquoted heredoc leaves it on this node. */
const KUBELET_CONFIG_2021 = `kind: KubeletConfiguration
apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: "${K8S_2021}/ca.pem"
authorization:
  mode: Webhook
clusterDomain: "cluster.local"
clusterDNS:
  - "10.32.0.10"
podCIDR: "10.200.3.0/24"
resolvConf: "/run/systemd/resolve/resolv.conf"
runtimeRequestTimeout: "15m"
tlsCertFile: "/var/lib/kubelet/controller-0.pem"
tlsPrivateKeyFile: "/var/lib/kubelet/controller-0-key.pem"
`;

const KUBE_PROXY_CONFIG_2021 = `kind: KubeProxyConfiguration
apiVersion: kubeproxy.config.k8s.io/v1alpha1
clientConnection:
  kubeconfig: "/var/lib/kube-proxy/kubeconfig"
mode: "iptables"
clusterCIDR: "10.200.0.0/16"
`;

const SCHEDULER_CONFIG_2021 = `apiVersion: kubescheduler.config.k8s.io/v1beta1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: "${K8S_2021}/kube-scheduler.kubeconfig"
leaderElection:
  leaderElect: true
`;

const ENCRYPTION_CONFIG_2021 = `kind: EncryptionConfig
apiVersion: v1
resources:
  - resources:
      - secrets
    providers:
      - aescbc:
          keys:
            - name: key1
              secret: ${ENCRYPTION_KEY}
      - identity: {}
`;

/** The 2021 controller as the guide leaves it (with KUBERNETES_HOSTNAMES read as intended), plus the worker components. */
function hardway2021Node(): NodeSpec {
  const key = (path: string, keyId: string): TreeFile => ({ kind: "private-key", path, keyId, keyAlgorithm: "RSA-2048" });
  const files: TreeFile[] = [
    { kind: "text", path: "etc/hostname", text: "controller-0\n" },
    { kind: "text", path: "etc/default/kubernetes", text: `INTERNAL_IP=10.240.0.10\nKUBERNETES_PUBLIC_ADDRESS=${PUBLIC_ADDRESS}\n` },
    // Lab 07: sudo cp ca.pem kubernetes-key.pem kubernetes.pem /etc/etcd/
    { kind: "pem", path: "etc/etcd/ca.pem", certs: ["ca"] },
    { kind: "pem", path: "etc/etcd/kubernetes.pem", certs: ["kubernetes"] },
    key("etc/etcd/kubernetes-key.pem", "hw21-kubernetes"),
    { kind: "text", path: "etc/etcd/etcd.env", text: "ETCD_NAME=controller-0\nINTERNAL_IP=10.240.0.10\n" },
    { kind: "text", path: "etc/kubernetes/config/kube-scheduler.yaml", text: SCHEDULER_CONFIG_2021 },
    { kind: "text", path: "etc/systemd/system/etcd.service", text: ETCD_UNIT_2021 },
    { kind: "text", path: "etc/systemd/system/kube-apiserver.service", text: APISERVER_UNIT_2021 },
    { kind: "text", path: "etc/systemd/system/kube-controller-manager.service", text: CONTROLLER_MANAGER_UNIT_2021 },
    { kind: "text", path: "etc/systemd/system/kube-scheduler.service", text: SCHEDULER_UNIT(true) },
    { kind: "text", path: "etc/systemd/system/kubelet.service", text: KUBELET_UNIT_2021 },
    { kind: "text", path: "etc/systemd/system/kube-proxy.service", text: KUBE_PROXY_UNIT_2021 },
    // Lab 08: sudo mv ca.pem ca-key.pem kubernetes-key.pem kubernetes.pem service-account-key.pem service-account.pem encryption-config.yaml /var/lib/kubernetes/
    { kind: "pem", path: "var/lib/kubernetes/ca.pem", certs: ["ca"] },
    key("var/lib/kubernetes/ca-key.pem", "hw21-ca"),
    { kind: "pem", path: "var/lib/kubernetes/kubernetes.pem", certs: ["kubernetes"] },
    key("var/lib/kubernetes/kubernetes-key.pem", "hw21-kubernetes"),
    { kind: "pem", path: "var/lib/kubernetes/service-account.pem", certs: ["service-account"] },
    key("var/lib/kubernetes/service-account-key.pem", "hw21-service-account"),
    { kind: "text", path: "var/lib/kubernetes/encryption-config.yaml", text: ENCRYPTION_CONFIG_2021 },
    { kind: "kubeconfig", path: "var/lib/kubernetes/kube-controller-manager.kubeconfig", kubeconfig: guideKubeconfig("https://127.0.0.1:6443", "system:kube-controller-manager", "kube-controller-manager") },
    { kind: "kubeconfig", path: "var/lib/kubernetes/kube-scheduler.kubeconfig", kubeconfig: guideKubeconfig("https://127.0.0.1:6443", "system:kube-scheduler", "kube-scheduler") },
    // Lab 09 on this node: sudo mv ${HOSTNAME}-key.pem ${HOSTNAME}.pem /var/lib/kubelet/; ${HOSTNAME}.kubeconfig → /var/lib/kubelet/kubeconfig
    { kind: "pem", path: "var/lib/kubelet/controller-0.pem", certs: ["controller-0"] },
    key("var/lib/kubelet/controller-0-key.pem", "hw21-controller-0"),
    { kind: "kubeconfig", path: "var/lib/kubelet/kubeconfig", kubeconfig: guideKubeconfig(`https://${PUBLIC_ADDRESS}:6443`, "system:node:controller-0", "controller-0") },
    { kind: "text", path: "var/lib/kubelet/kubelet-config.yaml", text: KUBELET_CONFIG_2021 },
    { kind: "kubeconfig", path: "var/lib/kube-proxy/kubeconfig", kubeconfig: guideKubeconfig(`https://${PUBLIC_ADDRESS}:6443`, "system:kube-proxy", "kube-proxy") },
    { kind: "text", path: "var/lib/kube-proxy/kube-proxy-config.yaml", text: KUBE_PROXY_CONFIG_2021 },
    // The admin kubeconfig of lab 10 (remote access through the load balancer), kept on the controller.
    { kind: "kubeconfig", path: "root/admin.kubeconfig", kubeconfig: guideKubeconfig(`https://${PUBLIC_ADDRESS}:6443`, "admin", "admin") },
  ];
  return { facts: HARDWAY_2021_FACTS, certs: certs2021(), files };
}

/** The faults of `hardway-systemd-2021`: the guide's own SAN list, then three made while building this node. */
export const HARDWAY_2021_FAULTS: Fault[] = [
  {
    name: "guide-fqdn-not-in-san",
    // As published: KUBERNETES_HOSTNAMES lists kubernetes.default.svc.cluster and kubernetes.svc.cluster.local.
    breaks:
      "As the guide publishes it: KUBERNETES_HOSTNAMES (lab 04) lists `kubernetes.default.svc.cluster` and " +
      "`kubernetes.svc.cluster.local` but not `kubernetes.default.svc.cluster.local`, the fully qualified name of the `kubernetes` " +
      "Service, so kubernetes.pem lacks it. Pods that dial the API server by that name fail hostname verification.",
    overrides: [
      { kind: "set-cert", cert: "kubernetes", set: { sans: { dns: HOSTNAMES_AS_PUBLISHED, ip: ["10.32.0.1", ...CONTROLLERS, PUBLIC_ADDRESS, "127.0.0.1"] } } },
    ],
  },
  {
    name: "no-public-address-in-san",
    breaks:
      `kubernetes.pem was generated in a shell where KUBERNETES_PUBLIC_ADDRESS was not set: cfssl dropped the empty -hostname entry, so the ` +
      `certificate lacks ${PUBLIC_ADDRESS}, the load balancer address the kubelet, kube-proxy and admin kubeconfigs dial.`,
    overrides: [{ kind: "drop-ip-san", cert: "kubernetes", ip: PUBLIC_ADDRESS }],
  },
  {
    name: "kube-proxy-cn-without-system-prefix",
    breaks:
      "kube-proxy-csr.json was written with \"CN\": \"kube-proxy\" instead of \"system:kube-proxy\" (O stays system:node-proxier): the " +
      "API server authenticates kube-proxy as the user kube-proxy, which the default ClusterRoleBinding system:node-proxier does not name.",
    overrides: [{ kind: "set-cert", cert: "kube-proxy", set: { cn: "kube-proxy" } }],
  },
  {
    name: "etcd-env-file-missing",
    breaks:
      "etcd.service takes ETCD_NAME and INTERNAL_IP from `EnvironmentFile=-/etc/etcd/etcd.env`; the file was never written, and the " +
      "`-` makes it optional, so systemd starts etcd with `--name \"\"` and `https://:2380`-style URLs: etcd finds no member \"\" in " +
      "--initial-cluster and exits.",
    overrides: [{ kind: "remove-file", path: "etc/etcd/etcd.env" }],
  },
];

// ---------------------------------------------------------------------------------------------
// hardway-systemd-2024

/** When the CA block of lab 04 ran on the jumpbox; the certificate loop ran a minute later. */
const CA_2024 = "2026-01-12T15:00:00Z";
const LEAVES_2024 = "2026-01-12T15:01:00Z";
/** The guide's `-days` for the CA and every leaf. */
const DAYS_2024 = 3653;
/** The first, abandoned run of lab 04 (same ca.conf, another ca.key). */
const FIRST_CA_2024 = "2026-01-05T13:20:00Z";
const FIRST_LEAVES_2024 = "2026-01-05T13:21:00Z";
/** kube-scheduler.csr re-signed with a short -days. */
const SCHEDULER_RESIGNED_2024 = "2026-02-16T11:00:00Z";
const SCHEDULER_SHORT_DAYS = 90;

/** ca.conf `[kube-api-server_alt_names]` DNS entries, with `kubernetes.svc.cluster.local` read as intended. */
const API_SERVER_DNS_FIXED = [
  "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster", "kubernetes.default.svc.cluster.local",
  "server.kubernetes.local", "api-server.kubernetes.local",
];
/** ca.conf `[kube-api-server_alt_names]` DNS entries as published. */
const API_SERVER_DNS_AS_PUBLISHED = [
  "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster", "kubernetes.svc.cluster.local",
  "server.kubernetes.local", "api-server.kubernetes.local",
];

export const HARDWAY_2024_FACTS: NodeFacts = {
  hostname: "server",
  nodeName: "server (no kubelet on this machine; etcd --name is `controller`)",
  advertiseAddress: "192.0.2.10 (no --advertise-address: the API server takes the default interface's)",
  bindPort: 6443,
  serviceSubnet:
    "10.0.0.0/24, kube-apiserver's default (its unit sets no --service-cluster-ip-range; kube-controller-manager and the certificate assume 10.32.0.0/24)",
  serviceIP: "10.0.0.1",
  clusterDNS: "10.32.0.10",
  clusterDomain: "cluster.local",
  clusterName: "kubernetes-the-hard-way",
  etcdServers: ["http://127.0.0.1:2379"],
  kubernetesVersion: "v1.32.3",
  etcdImage: "etcd v3.6.0-rc.3 (binary in /usr/local/bin)",
  pauseImage: "(none on this machine)",
  criSocket: "(none on this machine)",
  issuedAt: CA_2024,
  issuance:
    "openssl with the guide's ca.conf, no backdate: CA `openssl req -x509 -days 3653` at this instant, every leaf " +
    "`openssl x509 -req -days 3653 -copy_extensions copyall` a minute later",
};

/** A leaf of the lab 04 loop: the ca.conf section's extensions (copied from the CSR), -days 3653. */
function opensslLeaf(
  fields: Pick<CertSpec, "cn" | "keyId" | "serial"> & Partial<Pick<CertSpec, "o" | "sans">>,
  extKeyUsage: ExtKeyUsage[],
): CertSpec {
  return {
    o: [], sans: NO_SANS, ...fields, issuer: "ca", keyAlgorithm: "RSA-2048", ...opensslValidity(LEAVES_2024, DAYS_2024),
    isCA: false, keyUsage: LEAF_KU, extKeyUsage,
  };
}

/** ca.conf's `[req_distinguished_name]` CA: C=US, ST=Washington, L=Seattle, CN=CA (the generator writes the CN only). */
function ca2024(keyId: string, serial: string, at: string): CertSpec {
  return {
    cn: "CA", o: [], issuer: "self", keyId, keyAlgorithm: "RSA-2048", serial, ...opensslValidity(at, DAYS_2024),
    isCA: true, keyUsage: CA_KU, extKeyUsage: [], sans: NO_SANS,
  };
}

/** `default_req_extensions` (admin, service-accounts): clientAuth only; the component sections: clientAuth and serverAuth. */
const CLIENT_ONLY: ExtKeyUsage[] = ["clientAuth"];
const CLIENT_SERVER: ExtKeyUsage[] = ["clientAuth", "serverAuth"];

function certs2024(): Record<string, CertSpec> {
  return {
    "ca": ca2024("hw24-ca", "14e57034a77fc35574b8e756b378c13c2f76e43f", CA_2024),
    "kube-api-server": opensslLeaf({
      cn: "kubernetes", keyId: "hw24-kube-api-server", serial: "3b7ccf46bf91aa17ccacba92a9e05b4e93cdc93a",
      sans: { dns: API_SERVER_DNS_FIXED, ip: ["127.0.0.1", "10.32.0.1"] },
    }, CLIENT_SERVER),
    "service-accounts": opensslLeaf({ cn: "service-accounts", keyId: "hw24-service-accounts", serial: "1c73527088e6ac47f509eb569ac41ed37704a292" }, CLIENT_ONLY),
    "admin": opensslLeaf({ cn: "admin", o: ["system:masters"], keyId: "hw24-admin", serial: "3b3ec8bc94740d0c60c4cd97aacaf09eb65c7b94" }, CLIENT_ONLY),
    "kube-controller-manager": opensslLeaf({
      cn: "system:kube-controller-manager", o: ["system:kube-controller-manager"], keyId: "hw24-kube-controller-manager",
      serial: "3ab0133e6410894350bb6e2911562883ac4f894a", sans: { dns: ["kube-controller-manager"], ip: ["127.0.0.1"] },
    }, CLIENT_SERVER),
    // ca.conf really says O = system:system:kube-scheduler.
    "kube-scheduler": opensslLeaf({
      cn: "system:kube-scheduler", o: ["system:system:kube-scheduler"], keyId: "hw24-kube-scheduler",
      serial: "18cff19b030b468c0e6a95b0c8b4e0d51289886a", sans: { dns: ["kube-scheduler"], ip: ["127.0.0.1"] },
    }, CLIENT_SERVER),
  };
}

const K8S_2024 = "/var/lib/kubernetes";

/** units/etcd.service, verbatim: plain http on loopback, no certificate flag at all. */
const ETCD_UNIT_2024 = guideUnit({
  description: "etcd",
  documentation: "https://github.com/etcd-io/etcd",
  serviceBefore: ["Type=notify"],
  exec: execStart("/usr/local/bin/etcd", [
    "--name controller",
    "--initial-advertise-peer-urls http://127.0.0.1:2380",
    "--listen-peer-urls http://127.0.0.1:2380",
    "--listen-client-urls http://127.0.0.1:2379",
    "--advertise-client-urls http://127.0.0.1:2379",
    "--initial-cluster-token etcd-cluster-0",
    "--initial-cluster controller=http://127.0.0.1:2380",
    "--initial-cluster-state new",
    "--data-dir=/var/lib/etcd",
  ]),
});

/** The flag units/kube-apiserver.service lacks (kelseyhightower/kubernetes-the-hard-way#905); the base spec has it. */
const SERVICE_RANGE_LINE = "  --service-cluster-ip-range=10.32.0.0/24 \\\n";

/** units/kube-apiserver.service, plus --service-cluster-ip-range (which fault `guide-in-cluster-names` removes again). */
const APISERVER_UNIT_2024 = guideUnit({
  description: "Kubernetes API Server",
  documentation: "https://github.com/kubernetes/kubernetes",
  exec: execStart("/usr/local/bin/kube-apiserver", [
    "--allow-privileged=true",
    "--audit-log-maxage=30",
    "--audit-log-maxbackup=3",
    "--audit-log-maxsize=100",
    "--audit-log-path=/var/log/audit.log",
    "--authorization-mode=Node,RBAC",
    "--bind-address=0.0.0.0",
    `--client-ca-file=${K8S_2024}/ca.crt`,
    "--enable-admission-plugins=NamespaceLifecycle,NodeRestriction,LimitRanger,ServiceAccount,DefaultStorageClass,ResourceQuota",
    "--etcd-servers=http://127.0.0.1:2379",
    "--event-ttl=1h",
    `--encryption-provider-config=${K8S_2024}/encryption-config.yaml`,
    `--kubelet-certificate-authority=${K8S_2024}/ca.crt`,
    `--kubelet-client-certificate=${K8S_2024}/kube-api-server.crt`,
    `--kubelet-client-key=${K8S_2024}/kube-api-server.key`,
    "--runtime-config='api/all=true'",
    `--service-account-key-file=${K8S_2024}/service-accounts.crt`,
    `--service-account-signing-key-file=${K8S_2024}/service-accounts.key`,
    "--service-account-issuer=https://server.kubernetes.local:6443",
    "--service-cluster-ip-range=10.32.0.0/24",
    "--service-node-port-range=30000-32767",
    `--tls-cert-file=${K8S_2024}/kube-api-server.crt`,
    `--tls-private-key-file=${K8S_2024}/kube-api-server.key`,
    "--v=2",
  ]),
});

/** units/kube-controller-manager.service, verbatim (no final newline, as in the repository). */
const CONTROLLER_MANAGER_UNIT_2024 = guideUnit({
  description: "Kubernetes Controller Manager",
  documentation: "https://github.com/kubernetes/kubernetes",
  exec: execStart("/usr/local/bin/kube-controller-manager", [
    "--bind-address=0.0.0.0",
    "--cluster-cidr=10.200.0.0/16",
    "--cluster-name=kubernetes",
    `--cluster-signing-cert-file=${K8S_2024}/ca.crt`,
    `--cluster-signing-key-file=${K8S_2024}/ca.key`,
    `--kubeconfig=${K8S_2024}/kube-controller-manager.kubeconfig`,
    `--root-ca-file=${K8S_2024}/ca.crt`,
    `--service-account-private-key-file=${K8S_2024}/service-accounts.key`,
    "--service-cluster-ip-range=10.32.0.0/24",
    "--use-service-account-credentials=true",
    "--v=2",
  ]),
  finalNewline: false,
});

/** configs/kube-scheduler.yaml, verbatim (no final newline). */
const SCHEDULER_CONFIG_2024 = `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: "${K8S_2024}/kube-scheduler.kubeconfig"
leaderElection:
  leaderElect: true`;

/** configs/encryption-config.yaml after `envsubst` (lab 06). */
const ENCRYPTION_CONFIG_2024 = `kind: EncryptionConfiguration
apiVersion: apiserver.config.k8s.io/v1
resources:
  - resources:
      - secrets
    providers:
      - aescbc:
          keys:
            - name: key1
              secret: ${ENCRYPTION_KEY}
      - identity: {}
`;

/** /etc/hosts after lab 03 (documentation addresses). */
const HOSTS_2024 = `127.0.0.1 localhost

# Kubernetes The Hard Way
192.0.2.10 server.kubernetes.local server
192.0.2.20 node-0.kubernetes.local node-0
192.0.2.21 node-1.kubernetes.local node-1
`;

/** The `server` machine after labs 04–08, with the guide's in-cluster names read as intended. */
function hardway2024Node(): NodeSpec {
  const key = (path: string, keyId: string): TreeFile => ({ kind: "private-key", path, keyId, keyAlgorithm: "RSA-2048" });
  const server = "https://server.kubernetes.local:6443";
  const files: TreeFile[] = [
    { kind: "text", path: "etc/hostname", text: "server\n" },
    { kind: "text", path: "etc/hosts", text: HOSTS_2024 },
    // Lab 07: cp ca.crt kube-api-server.key kube-api-server.crt /etc/etcd/ (nothing names them: etcd runs without TLS).
    { kind: "pem", path: "etc/etcd/ca.crt", certs: ["ca"] },
    { kind: "pem", path: "etc/etcd/kube-api-server.crt", certs: ["kube-api-server"] },
    key("etc/etcd/kube-api-server.key", "hw24-kube-api-server"),
    { kind: "text", path: "etc/kubernetes/config/kube-scheduler.yaml", text: SCHEDULER_CONFIG_2024 },
    { kind: "text", path: "etc/systemd/system/etcd.service", text: ETCD_UNIT_2024 },
    { kind: "text", path: "etc/systemd/system/kube-apiserver.service", text: APISERVER_UNIT_2024 },
    { kind: "text", path: "etc/systemd/system/kube-controller-manager.service", text: CONTROLLER_MANAGER_UNIT_2024 },
    { kind: "text", path: "etc/systemd/system/kube-scheduler.service", text: SCHEDULER_UNIT(false) },
    // Lab 08: mv ca.crt ca.key kube-api-server.key kube-api-server.crt service-accounts.key service-accounts.crt encryption-config.yaml /var/lib/kubernetes/
    { kind: "pem", path: "var/lib/kubernetes/ca.crt", certs: ["ca"] },
    key("var/lib/kubernetes/ca.key", "hw24-ca"),
    { kind: "pem", path: "var/lib/kubernetes/kube-api-server.crt", certs: ["kube-api-server"] },
    key("var/lib/kubernetes/kube-api-server.key", "hw24-kube-api-server"),
    { kind: "pem", path: "var/lib/kubernetes/service-accounts.crt", certs: ["service-accounts"] },
    key("var/lib/kubernetes/service-accounts.key", "hw24-service-accounts"),
    { kind: "text", path: "var/lib/kubernetes/encryption-config.yaml", text: ENCRYPTION_CONFIG_2024 },
    { kind: "kubeconfig", path: "var/lib/kubernetes/kube-controller-manager.kubeconfig", kubeconfig: guideKubeconfig(server, "system:kube-controller-manager", "kube-controller-manager") },
    { kind: "kubeconfig", path: "var/lib/kubernetes/kube-scheduler.kubeconfig", kubeconfig: guideKubeconfig(server, "system:kube-scheduler", "kube-scheduler") },
    // Lab 05 copies admin.kubeconfig to root@server:~/ and lab 08 uses it from there; it dials the local API server.
    { kind: "kubeconfig", path: "root/admin.kubeconfig", kubeconfig: guideKubeconfig("https://127.0.0.1:6443", "admin", "admin") },
  ];
  return { facts: HARDWAY_2024_FACTS, certs: certs2024(), files };
}

/** The faults of `hardway-systemd-2024`: two of the guide's own, then two made while building this node. */
export const HARDWAY_2024_FAULTS: Fault[] = [
  {
    name: "guide-in-cluster-names",
    breaks:
      "As the guide publishes it, in two places: ca.conf's `[kube-api-server_alt_names]` lists `kubernetes.default.svc.cluster` and " +
      "`kubernetes.svc.cluster.local` but not `kubernetes.default.svc.cluster.local`; and units/kube-apiserver.service sets no " +
      "--service-cluster-ip-range (kelseyhightower/kubernetes-the-hard-way#905), so the API server uses its default 10.0.0.0/24 and " +
      "gives the `kubernetes` Service 10.0.0.1, while the certificate carries 10.32.0.1. Pods dialling the Service fail hostname verification.",
    overrides: [
      { kind: "set-cert", cert: "kube-api-server", set: { sans: { dns: API_SERVER_DNS_AS_PUBLISHED, ip: ["127.0.0.1", "10.32.0.1"] } } },
      { kind: "edit-text", path: "etc/systemd/system/kube-apiserver.service", find: SERVICE_RANGE_LINE, replace: "" },
    ],
  },
  {
    name: "guide-etcd-plain-http",
    breaks:
      "The guide's design, in the base spec (no override): etcd listens for clients and peers on http://127.0.0.1 only, with no TLS " +
      "and no client authentication, and the API server reaches it with --etcd-servers=http://127.0.0.1:2379.",
    overrides: [],
  },
  {
    name: "kube-scheduler-short-days",
    breaks:
      `kube-scheduler.csr was re-signed on ${SCHEDULER_RESIGNED_2024} with \`openssl x509 -req -days ${SCHEDULER_SHORT_DAYS}\` instead of ` +
      "3653 and kube-scheduler.kubeconfig regenerated with it; it expired on 2026-05-17T11:00:00Z.",
    overrides: [
      {
        kind: "set-cert", cert: "kube-scheduler",
        set: { serial: "3ce35552107691eee8100856c56377fab7b5e8f3", ...opensslValidity(SCHEDULER_RESIGNED_2024, SCHEDULER_SHORT_DAYS) },
      },
    ],
  },
  {
    name: "admin-from-first-ca",
    breaks:
      `admin.crt (and admin.key) in /root/admin.kubeconfig are left from a first, abandoned run of lab 04 on ${FIRST_CA_2024.slice(0, 10)}: ` +
      "the CA block was run again afterwards (same ca.conf, so the same subject CN=CA, but a new ca.key), and admin.kubeconfig was " +
      "rebuilt with the new ca.crt but the old admin certificate. The API server's --client-ca-file is the new ca.crt.",
    overrides: [
      { kind: "add-cert", cert: "ca-first-attempt", spec: ca2024("hw24-ca-first-attempt", "1f30214a7e95e995337873d59e0d529a1a75101a", FIRST_CA_2024) },
      {
        kind: "set-cert", cert: "admin",
        set: { issuer: "ca-first-attempt", serial: "3d848c61a0ce396b85c14c28b1841fa03ec1a924", ...opensslValidity(FIRST_LEAVES_2024, DAYS_2024) },
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// The samples

/** `hardway-systemd-2021`. */
export function hardway2021Sample(): Sample {
  return {
    name: "hardway-systemd-2021",
    title: "a \"hard way\" v1.21 controller (cfssl, one multi-purpose kubernetes.pem, systemd units, also kubelet and kube-proxy) with four faults",
    faults: HARDWAY_2021_FAULTS,
    faultList: {
      exportName: "HARDWAY_2021_FAULTS",
      kind: "faults",
      intro:
        "`controller-0` (10.240.0.10) of a three-controller cluster built after the 2021 (Kubernetes v1.21) edition of Kelsey " +
        "Hightower's *Kubernetes the hard way* (`hardway2021Sample` in `scripts/samples/hardway.ts`). cfssl made the PKI: one CA " +
        "(`ca.pem`, CN Kubernetes), and leaves from the `kubernetes` profile, each with serverAuth and clientAuth. One multi-purpose " +
        "`kubernetes.pem` is the API server's serving certificate, its etcd and kubelet client certificate, and, copied to `/etc/etcd`, " +
        "etcd's serving and peer certificate. Every kubeconfig embeds its certificates. The units are the guide's (`ExecStart=` with " +
        "continuation lines), except that they keep `${INTERNAL_IP}`, `${KUBERNETES_PUBLIC_ADDRESS}` and `${ETCD_NAME}` for systemd " +
        "to fill in: kube-apiserver.service from `EnvironmentFile=/etc/default/kubernetes`, and etcd.service from the optional " +
        "`EnvironmentFile=-/etc/etcd/etcd.env`. This controller also runs the guide's worker components: the kubelet " +
        "(`/var/lib/kubelet/controller-0.pem`, CN system:node:controller-0, as both its serving and its client certificate) and " +
        "kube-proxy (`--config` naming `clientConnection.kubeconfig`). The kubelet, kube-proxy and `/root/admin.kubeconfig` (lab " +
        "10's remote-access kubeconfig, kept on the controller) dial the load balancer at https://203.0.113.10:6443; the controller " +
        "manager and the scheduler dial https://127.0.0.1:6443. The layout is `systemd`, so the `kubernetes` and `hardway` rule " +
        "profiles apply and kubeadm's naming rules do not. Four faults are applied as named overrides (`HARDWAY_2021_FAULTS`): the " +
        "first is the guide's own API server SAN list, the other three were made while building this node.",
      note:
        "Deviations from the guide that no check depends on: subjects carry only O and CN (the guide's C, ST, L and OU are not " +
        "written); leaves have no subjectKeyIdentifier; kubeconfig contexts are named `<user>@kubernetes-the-hard-way` instead of " +
        "`default`; cfssl's random serial numbers are fixed ones. Keys are PKCS#1 RSA-2048 and signatures SHA-256, as cfssl makes them.",
    },
    spec: applyFaults(hardway2021Node(), HARDWAY_2021_FAULTS),
  };
}

/** `hardway-systemd-2024`. */
export function hardway2024Sample(): Sample {
  return {
    name: "hardway-systemd-2024",
    title: "the current \"hard way\" edition's v1.32 `server` (openssl ca.conf, etcd over plain http on loopback) with four faults",
    faults: HARDWAY_2024_FAULTS,
    faultList: {
      exportName: "HARDWAY_2024_FAULTS",
      kind: "faults",
      intro:
        "The `server` machine of a cluster built after the current edition of Kelsey Hightower's *Kubernetes the hard way* " +
        "(kelseyhightower/kubernetes-the-hard-way, Kubernetes v1.32.3, etcd v3.6.0-rc.3; `hardway2024Sample` in " +
        "`scripts/samples/hardway.ts`). The PKI comes from the repository's `ca.conf` and openssl: `ca.crt` (CN CA) and " +
        "`kube-api-server.crt`, `service-accounts.crt` in `/var/lib/kubernetes/`; `admin.crt`, `kube-controller-manager.crt` and " +
        "`kube-scheduler.crt` are embedded in their kubeconfigs (`kube-proxy.crt` and the node certificates stay on the jumpbox and " +
        "the nodes). The units and configuration files are the repository's `units/*.service` and `configs/*.yaml`. The controller " +
        "manager and scheduler kubeconfigs dial https://server.kubernetes.local:6443, `/root/admin.kubeconfig` dials " +
        "https://127.0.0.1:6443. etcd serves clients and peers over plain http on 127.0.0.1 and has no certificate at all; the " +
        "copies lab 07 makes in `/etc/etcd/` are named by nothing. The layout is `systemd`, so the `kubernetes` and `hardway` rule " +
        "profiles apply. Four faults are listed (`HARDWAY_2024_FAULTS`): the first two are the guide's own — its API server names " +
        "(applied as overrides of a base spec that reads them as intended) and its plain-http etcd (the base spec itself) — the " +
        "other two were made while building this node.",
      note:
        "Deviations from the guide that no check depends on: the guide makes RSA-4096 keys (written as PKCS#8) and signs its CA " +
        "with SHA-512; here every key is RSA-2048 (PKCS#1) and every signature SHA-256. Subjects carry only O and CN (ca.conf's C, " +
        "ST and L are not written), the nsCertType and nsComment extensions are left out, leaves have no subjectKeyIdentifier, " +
        "kubeconfig contexts are named `<user>@kubernetes-the-hard-way` instead of `default`, and openssl's random serial numbers " +
        "are fixed ones. The CA and the leaves all get the guide's `-days 3653`; the leaves were signed a minute after the CA, so " +
        "each outlives it by that minute, as on any node built with the guide.",
    },
    spec: applyFaults(hardway2024Node(), HARDWAY_2024_FAULTS),
  };
}
