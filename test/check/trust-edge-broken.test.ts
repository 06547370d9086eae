import { beforeAll, describe, expect, test } from "vitest";
import { extKeyUsageMissing } from "../../src/check/checks/ext-key-usage-missing.js";
import { trustEdgeBroken } from "../../src/check/checks/trust-edge-broken.js";
import type { CheckKind, Endpoints } from "../../src/check/types.js";
import type { DecodedCertificate } from "../../src/load/certificate.js";
import type { Facts, Finding } from "../../src/model.js";
import { caWithKey, makeCert, testKey, type CertSpec, type TestKey } from "../helpers/certs.js";
import { checkTable, type CheckTableCases } from "../helpers/check-table.js";
import { BUNDLED_RULES, FACTS, caBundle, edge, role, type ContextSpec, type RefSpec } from "../helpers/context.js";

// ---------------------------------------------------------------------------------------------
// Key slots: every CA has its own key, so a signature verifies only with the CA that made it.
// "impostor" and "old" CAs carry the same subject (CN=kubernetes / CN=etcd-ca) as the real ones.
const CA_KEY = 0;
const IMPOSTOR_CA_KEY = 1;
const ETCD_CA_KEY = 2;
const OLD_ETCD_CA_KEY = 3;
const FRONT_PROXY_CA_KEY = 4;
const OLD_CA_KEY = 5;
const LEAF_KEY = 10;

const CA = "/etc/kubernetes/pki/ca.crt";
const OLD_CA = "/etc/kubernetes/pki/ca-old.crt";
const ROOT_CA = "/etc/kubernetes/pki/root-ca.crt";
const SIGNING_CA = "/etc/kubernetes/pki/signing-ca.crt";
const APISERVER = "/etc/kubernetes/pki/apiserver.crt";
const ETCD_CA = "/etc/kubernetes/pki/etcd/ca.crt";
const OLD_ETCD_CA = "/etc/kubernetes/pki/etcd/ca-old.crt";
const ETCD_SERVER = "/etc/kubernetes/pki/etcd/server.crt";
const ETCD_PEER = "/etc/kubernetes/pki/etcd/peer.crt";
const ETCD_CLIENT = "/etc/kubernetes/pki/apiserver-etcd-client.crt";
const HEALTHCHECK = "/etc/kubernetes/pki/etcd/healthcheck-client.crt";
const KUBELET_CLIENT = "/etc/kubernetes/pki/apiserver-kubelet-client.crt";
const FRONT_PROXY_CA = "/etc/kubernetes/pki/front-proxy-ca.crt";
const FRONT_PROXY_CLIENT = "/etc/kubernetes/pki/front-proxy-client.crt";
const KUBELET_SERVING = "/var/lib/kubelet/pki/kubelet.crt";
const KUBELET_PEM = "/var/lib/kubelet/pki/kubelet-client-current.pem";
const ADMIN_CONF = "/etc/kubernetes/admin.conf";
const SUPER_ADMIN_CONF = "/etc/kubernetes/super-admin.conf";
const KCM_CONF = "/etc/kubernetes/controller-manager.conf";
const SCHEDULER_CONF = "/etc/kubernetes/scheduler.conf";
const KUBELET_CONF = "/etc/kubernetes/kubelet.conf";

const APISERVER_URL = "https://192.168.56.10:6443";

// ---------------------------------------------------------------------------------------------
// Certificates of a kubeadm control plane (cp-1, 192.168.56.10, service IP 10.96.0.1).

type Issuer = { cert: DecodedCertificate; key: TestKey };

const LEAF: Record<string, CertSpec> = {
  apiserver: {
    cn: "kube-apiserver",
    eku: ["serverAuth"],
    dns: ["cp-1", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"],
    ip: ["10.96.0.1", "192.168.56.10"],
  },
  etcdServer: { cn: "cp-1", eku: ["serverAuth", "clientAuth"], dns: ["cp-1", "localhost"], ip: ["192.168.56.10", "127.0.0.1", "::1"] },
  etcdPeer: { cn: "cp-1", eku: ["serverAuth", "clientAuth"], dns: ["cp-1", "localhost"], ip: ["192.168.56.10", "127.0.0.1", "::1"] },
  etcdClient: { cn: "kube-apiserver-etcd-client", eku: ["clientAuth"] },
  healthcheck: { cn: "kube-etcd-healthcheck-client", eku: ["clientAuth"] },
  kubeletClient: { cn: "kube-apiserver-kubelet-client", o: ["kubeadm:cluster-admins"], eku: ["clientAuth"] },
  frontProxyClient: { cn: "front-proxy-client", eku: ["clientAuth"] },
  kubeletServing: { cn: "cp-1@1768470900", eku: ["serverAuth"], dns: ["cp-1"] },
};

interface Pki {
  ca: Issuer;
  oldCA: Issuer;
  impostorCA: Issuer;
  etcdCA: Issuer;
  oldEtcdCA: Issuer;
  frontProxyCA: Issuer;
  apiserver: DecodedCertificate;
  etcdServer: DecodedCertificate;
  etcdPeer: DecodedCertificate;
  etcdClient: DecodedCertificate;
  healthcheck: DecodedCertificate;
  kubeletClient: DecodedCertificate;
  frontProxyClient: DecodedCertificate;
  /** kubeadm's default: the kubelet's self-signed serving certificate. */
  kubeletServing: DecodedCertificate;
}

async function leaf(spec: CertSpec, issuer: Issuer): Promise<DecodedCertificate> {
  return (await makeCert({ key: await testKey({ kind: "ec" }, LEAF_KEY), issuer, ...spec })).cert;
}


let p: Pki;
beforeAll(async () => {
  const [rootCA, oldCA, impostorCA, etcdCA, oldEtcdCA, frontProxyCA] = [
    await caWithKey("kubernetes", CA_KEY),
    await caWithKey("kubernetes", OLD_CA_KEY),
    await caWithKey("kubernetes", IMPOSTOR_CA_KEY),
    await caWithKey("etcd-ca", ETCD_CA_KEY),
    await caWithKey("etcd-ca", OLD_ETCD_CA_KEY),
    await caWithKey("front-proxy-ca", FRONT_PROXY_CA_KEY),
  ];
  p = {
    ca: rootCA,
    oldCA,
    impostorCA,
    etcdCA,
    oldEtcdCA,
    frontProxyCA,
    apiserver: await leaf(LEAF.apiserver!, rootCA),
    etcdServer: await leaf(LEAF.etcdServer!, etcdCA),
    etcdPeer: await leaf(LEAF.etcdPeer!, etcdCA),
    etcdClient: await leaf(LEAF.etcdClient!, etcdCA),
    healthcheck: await leaf(LEAF.healthcheck!, etcdCA),
    kubeletClient: await leaf(LEAF.kubeletClient!, rootCA),
    frontProxyClient: await leaf(LEAF.frontProxyClient!, frontProxyCA),
    kubeletServing: (await makeCert({ ...LEAF.kubeletServing, key: await testKey({ kind: "ec" }, LEAF_KEY) })).cert,
  };
});

// ---------------------------------------------------------------------------------------------
// References, as the resolver makes them (roles assigned the way the bundled rules match them).

const bundle = (component: string, flag: string | undefined, path: string, certs: DecodedCertificate[], purpose: RefSpec["purpose"], roleId?: string, field?: string): RefSpec =>
  caBundle({ component, flag, field, purpose, role: roleId }, path, certs);
const certRef = (component: string, flag: string | undefined, path: string, cert: DecodedCertificate, purpose: RefSpec["purpose"], roleId: string, field?: string): RefSpec => ({
  component,
  flag,
  field,
  path,
  kind: "certificate",
  purpose,
  role: roleId,
  certs: [cert],
});
/** The same reference as one no role rule matches (a layout the bundled roles do not describe). */
const withoutRole = (ref: RefSpec): RefSpec => ({ ...ref, role: undefined });

const apiserverServing = (cert: DecodedCertificate) => certRef("kube-apiserver", "--tls-cert-file", APISERVER, cert, "serving", "apiserver");
const apiserverClientCA = (certs: DecodedCertificate[], path = CA) => bundle("kube-apiserver", "--client-ca-file", path, certs, "verify-clients", "ca");
const apiserverEtcdCA = (certs: DecodedCertificate[], path = ETCD_CA) => bundle("kube-apiserver", "--etcd-cafile", path, certs, "verify-server", "etcd-ca");
const apiserverEtcdClient = (cert: DecodedCertificate) => certRef("kube-apiserver", "--etcd-certfile", ETCD_CLIENT, cert, "client", "apiserver-etcd-client");
const apiserverKubeletClient = (cert: DecodedCertificate) => certRef("kube-apiserver", "--kubelet-client-certificate", KUBELET_CLIENT, cert, "client", "apiserver-kubelet-client");
/** No role matches --kubelet-certificate-authority. */
const apiserverKubeletCA = (certs: DecodedCertificate[], path = CA) => bundle("kube-apiserver", "--kubelet-certificate-authority", path, certs, "verify-server");
const apiserverProxyClient = (cert: DecodedCertificate) => certRef("kube-apiserver", "--proxy-client-cert-file", FRONT_PROXY_CLIENT, cert, "client", "front-proxy-client");
const apiserverRequestheaderCA = (certs: DecodedCertificate[], path = FRONT_PROXY_CA) =>
  bundle("kube-apiserver", "--requestheader-client-ca-file", path, certs, "verify-clients", "front-proxy-ca");
const etcdServing = (cert: DecodedCertificate) => certRef("etcd", "--cert-file", ETCD_SERVER, cert, "serving", "etcd-server");
const etcdTrustedCA = (certs: DecodedCertificate[], path = ETCD_CA) => bundle("etcd", "--trusted-ca-file", path, certs, "verify-clients", "etcd-ca");
const etcdPeerCert = (cert: DecodedCertificate) => certRef("etcd", "--peer-cert-file", ETCD_PEER, cert, "peer", "etcd-peer");
const etcdPeerTrustedCA = (certs: DecodedCertificate[], path = ETCD_CA) => bundle("etcd", "--peer-trusted-ca-file", path, certs, "verify-peers", "etcd-ca");
/** The well-known healthcheck client no flag names (component etcdctl, from the role's match). */
const healthcheckClient = (cert: DecodedCertificate) => certRef("etcdctl", undefined, HEALTHCHECK, cert, "client", "etcd-healthcheck-client");
const kubeletServing = (cert: DecodedCertificate) => certRef("kubelet", undefined, KUBELET_SERVING, cert, "serving", "kubelet-serving", "tlsCertFile");
const kubeletClientCA = (certs: DecodedCertificate[], path = CA) => bundle("kubelet", undefined, path, certs, "verify-clients", "ca", "authentication.x509.clientCAFile");
const kcmRootCA = (certs: DecodedCertificate[], path = CA) => bundle("kube-controller-manager", "--root-ca-file", path, certs, "root-ca", "ca");
const kcmSigningCert = (cert: DecodedCertificate, path = CA) => certRef("kube-controller-manager", "--cluster-signing-cert-file", path, cert, "signing", "ca");

/** A kubeconfig client: who uses it, which role its client certificate plays, where it lives. */
interface KubeconfigClient {
  edge: string;
  component: string;
  flag?: string;
  path: string;
  certRole: string;
  /** client-certificate names a file (kubelet.conf); otherwise client-certificate-data is embedded. */
  certFile?: string;
  leaf: CertSpec;
  /** The component to restart after its kubeconfig changes; none for kubectl's admin.conf and super-admin.conf. */
  restart?: string;
}

const KUBECONFIG_CLIENTS: KubeconfigClient[] = [
  {
    edge: "kubelet-to-apiserver",
    component: "kubelet",
    // kubeadm's drop-in (and a hand-built unit) passes --kubeconfig; the kubelet edge selects by it.
    flag: "--kubeconfig",
    path: KUBELET_CONF,
    certRole: "kubelet-client",
    certFile: KUBELET_PEM,
    leaf: { cn: "system:node:cp-1", o: ["system:nodes"], eku: ["clientAuth"] },
    restart: "kubelet",
  },
  {
    edge: "controller-manager-to-apiserver",
    component: "kube-controller-manager",
    flag: "--kubeconfig",
    path: KCM_CONF,
    certRole: "controller-manager.conf",
    leaf: { cn: "system:kube-controller-manager", eku: ["clientAuth"] },
    restart: "kube-controller-manager",
  },
  {
    edge: "scheduler-to-apiserver",
    component: "kube-scheduler",
    flag: "--kubeconfig",
    path: SCHEDULER_CONF,
    certRole: "scheduler.conf",
    leaf: { cn: "system:kube-scheduler", eku: ["clientAuth"] },
    restart: "kube-scheduler",
  },
  {
    edge: "kube-proxy-to-apiserver",
    component: "kube-proxy",
    // Found through kube-proxy's --config (clientConnection.kubeconfig), as the hard way sets it up.
    flag: "--config",
    path: "/var/lib/kube-proxy/kubeconfig",
    certRole: "kube-proxy",
    leaf: { cn: "system:kube-proxy", o: ["system:node-proxier"], eku: ["clientAuth"] },
    restart: "kube-proxy",
  },
  {
    edge: "admin-kubeconfig-to-apiserver",
    component: "admin",
    path: "/home/ops/admin.kubeconfig",
    certRole: "admin-kubeconfig",
    leaf: { cn: "admin", o: ["system:masters"], eku: ["clientAuth"] },
  },
  { edge: "admin-to-apiserver", component: "admin.conf", path: ADMIN_CONF, certRole: "admin.conf", leaf: { cn: "kubernetes-admin", o: ["kubeadm:cluster-admins"], eku: ["clientAuth"] } },
  {
    edge: "super-admin-to-apiserver",
    component: "super-admin.conf",
    path: SUPER_ADMIN_CONF,
    certRole: "super-admin.conf",
    leaf: { cn: "kubernetes-super-admin", o: ["system:masters"], eku: ["clientAuth"] },
  },
];

const certField = (k: KubeconfigClient) => (k.certFile ? "client-certificate" : "client-certificate-data");
const certPathOf = (k: KubeconfigClient) => k.certFile ?? k.path;
/** describeReference of the kubeconfig's references: "admin.conf client-certificate-data", "kube-scheduler --kubeconfig → …". */
const describeKubeconfigRef = (k: KubeconfigClient, field: string) => [k.component, k.flag ? `${k.flag} → ${field}` : field].join(" ");

/** The kubeconfig's client certificate and certificate-authority-data references (`…-data` fields embedded in it). */
function kubeconfigRefs(k: KubeconfigClient, cert: DecodedCertificate, cas: DecodedCertificate[]): RefSpec[] {
  return [
    { ...certRef(k.component, k.flag, certPathOf(k), cert, "client", k.certRole, certField(k)), kubeconfig: k.path, embedded: !k.certFile },
    { ...bundle(k.component, k.flag, k.path, cas, "verify-server", "ca", "certificate-authority-data"), kubeconfig: k.path, embedded: true },
  ];
}
const kubeconfigEndpoint = (k: KubeconfigClient, server: string | null = APISERVER_URL): Endpoints["kubeconfigs"][number] => ({
  path: k.path,
  user: k.component,
  ...(k.flag ? { flag: k.flag } : {}),
  server,
});

// ---------------------------------------------------------------------------------------------
// The node a case describes: its references, the URL flags clients dial, its kubeconfigs.

interface Wiring {
  refs: RefSpec[];
  /** Arguments beyond the flags the references name (the URLs clients dial). */
  flags?: Record<string, string[]>;
  kubeconfigs?: Endpoints["kubeconfigs"];
  facts?: Facts;
}

/**
 * The context of a wired node. Every component a reference names by flag runs here with that flag
 * (as discovery finds it in the component's manifest), so a fix may say to restart it.
 */
function contextSpec({ refs, flags = {}, kubeconfigs = [], facts = FACTS }: Wiring): ContextSpec {
  const argv: Record<string, string[]> = {};
  for (const ref of refs) if (ref.flag) (argv[ref.component] ??= []).push(`${ref.flag}=${ref.kubeconfig ?? ref.path}`);
  for (const [component, args] of Object.entries(flags)) (argv[component] ??= []).push(...args);
  return { refs, facts, endpoints: { flags: argv, kubeconfigs } };
}

// ---------------------------------------------------------------------------------------------
// Expectations.

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A string that contains every part and none of the forbidden ones, in any order. */
const allOf = (parts: string[], forbidden: string[] = []) =>
  expect.stringMatching(new RegExp(`^${forbidden.map((part) => `(?![\\s\\S]*${escape(part)})`).join("")}${parts.map((part) => `(?=[\\s\\S]*${escape(part)})`).join("")}`));

type Anchor = Pick<Finding, "component" | "path" | "flag" | "role">;

/** A trust-edge-broken finding of `edgeId`, whose message starts with the edge's title, names `parts` and none of `messageLacks`. */
function broken(edgeId: string, anchor: Anchor, messageParts: string[], remediation: unknown, extra: Partial<Finding> = {}, messageLacks: string[] = []): Partial<Finding> {
  const e = edge(edgeId);
  return {
    id: "trust-edge-broken",
    severity: "critical",
    ...anchor,
    message: allOf([`${e.title}: `, ...messageParts, `Effect: ${e.symptom}.`], messageLacks),
    expected:
      e.client.component === e.server.component
        ? `${e.client.component} members trust each other's certificates`
        : `${e.client.component} and ${e.server.component} trust each other's certificates`,
    remediation: remediation as string,
    citation: e.citation,
    ...extra,
  };
}

/** ext-key-usage-missing's one finding for a certificate whose role states its usages (never one per connection). */
const ekuMissing = (anchor: Anchor, expected: string, actual: string): Partial<Finding> => ({ id: "ext-key-usage-missing", severity: "critical", ...anchor, expected, actual });

const regenerate = (roleId: string) => {
  const r = role(roleId);
  return (r.regenerate ?? r.renew) as string;
};
const reissueFromRoleCA = (path: string, roleId: string) => `Re-issue ${path} from the CA its role ${roleId} requires (${role(roleId).issuer}): ${regenerate(roleId)}`;
/** The verifier is the odd end: `step` (a CA file, never a kubeconfig), then restart the verifier if it runs here. */
const repoint = (step: string, presenterPath: string, restart?: string) => `${step} (the CA that signed ${presenterPath})${restart ? `; then restart ${restart}` : ""}.`;
const pointAt = (trustFlag: string, caFile: string, presenterPath: string, restart?: string) => repoint(`Point ${trustFlag} at ${caFile}`, presenterPath, restart);
const setCAData = (kubeconfig: string, caFile: string, presenterPath: string, restart?: string) =>
  repoint(`Set certificate-authority-data in ${kubeconfig} to the base64 of ${caFile}`, presenterPath, restart);
/** The SAN fix names the certificate to re-issue, the missing names and the role's command. */
const sanFix = (path: string, hosts: string, roleId: string) => `Re-issue ${path} with SAN ${hosts}: ${role(roleId).regenerate}`;
const reissueWithSAN = (path: string, hosts: string, roleId: string) => allOf([sanFix(path, hosts, roleId)]);
const reissueWithEKU = (path: string, usage: string) => `Re-issue ${path} with extendedKeyUsage ${usage}.`;

const ONE = { actual: "one end is not trusted" };

const at = {
  apiserverServing: { component: "kube-apiserver", path: APISERVER, flag: "--tls-cert-file", role: "apiserver" },
  apiserverEtcdClient: { component: "kube-apiserver", path: ETCD_CLIENT, flag: "--etcd-certfile", role: "apiserver-etcd-client" },
  etcdServing: { component: "etcd", path: ETCD_SERVER, flag: "--cert-file", role: "etcd-server" },
  etcdPeer: { component: "etcd", path: ETCD_PEER, flag: "--peer-cert-file", role: "etcd-peer" },
  healthcheck: { component: "etcdctl", path: HEALTHCHECK, flag: null, role: "etcd-healthcheck-client" },
  kubeletServing: { component: "kubelet", path: KUBELET_SERVING, flag: "tlsCertFile", role: "kubelet-serving" },
  apiserverKubeletClient: { component: "kube-apiserver", path: KUBELET_CLIENT, flag: "--kubelet-client-certificate", role: "apiserver-kubelet-client" },
  frontProxyClient: { component: "kube-apiserver", path: FRONT_PROXY_CLIENT, flag: "--proxy-client-cert-file", role: "front-proxy-client" },
} satisfies Record<string, Anchor>;
/** The same anchor for a certificate no role describes. */
const noRole = (anchor: Anchor): Anchor => ({ ...anchor, role: null });

// ---------------------------------------------------------------------------------------------
// The table: each connection's cases, named `<edge id>: …`.

interface EdgeCase {
  name: string;
  wiring: () => Wiring | Promise<Wiring>;
  /**
   * Run ext-key-usage-missing too: an EKU problem of a certificate whose role states its usages is
   * that check's, reported once, and no longer this connection's.
   */
  withEkuCheck?: boolean;
}
interface EdgeFailCase extends EdgeCase {
  findings: () => Array<Partial<Finding>>;
}

/**
 * A certificate whose role states its extended key usages lacks one: ext-key-usage-missing reports it
 * once, and no connection does (these cases used to expect a trust-edge-broken finding per connection).
 */
const roleEku = (name: string, wiring: EdgeCase["wiring"], anchor: Anchor, expected: string, actual: string): EdgeFailCase => ({
  name: `${name}: reported once by ext-key-usage-missing`,
  wiring,
  withEkuCheck: true,
  findings: () => [ekuMissing(anchor, expected, actual)],
});

const table: CheckTableCases = { passes: [], fails: [] };
const alongside = (c: EdgeCase): { alongside?: CheckKind[] } => (c.withEkuCheck ? { alongside: [extKeyUsageMissing] } : {});

/** Add the cases of one connection (or of several, `edgeId` naming them) to the table. */
function connection(edgeId: string, passes: EdgeCase[], fails: EdgeFailCase[]) {
  const spec = (c: EdgeCase) => async () => contextSpec(await c.wiring());
  table.passes.push(...passes.map((c) => ({ name: `${edgeId}: ${c.name}`, spec: spec(c), ...alongside(c) })));
  table.fails.push(...fails.map((c) => ({ name: `${edgeId}: ${c.name}`, spec: spec(c), findings: c.findings, ...alongside(c) })));
}

connection(
  "every edge",
  [
    {
      name: "a healthy kubeadm node, every end on this node",
      wiring: async () => ({
        refs: [
          apiserverClientCA([p.ca.cert]),
          apiserverServing(p.apiserver),
          apiserverEtcdCA([p.etcdCA.cert]),
          apiserverEtcdClient(p.etcdClient),
          apiserverKubeletClient(p.kubeletClient),
          apiserverProxyClient(p.frontProxyClient),
          apiserverRequestheaderCA([p.frontProxyCA.cert]),
          etcdServing(p.etcdServer),
          etcdTrustedCA([p.etcdCA.cert]),
          etcdPeerCert(p.etcdPeer),
          etcdPeerTrustedCA([p.etcdCA.cert]),
          healthcheckClient(p.healthcheck),
          kcmRootCA([p.ca.cert]),
          kcmSigningCert(p.ca.cert),
          kubeletServing(p.kubeletServing),
          kubeletClientCA([p.ca.cert]),
          ...(await Promise.all(KUBECONFIG_CLIENTS.map(async (k) => kubeconfigRefs(k, await leaf(k.leaf, p.ca), [p.ca.cert])))).flat(),
        ],
        flags: {
          "kube-apiserver": ["--etcd-servers=https://127.0.0.1:2379"],
          etcd: ["--advertise-client-urls=https://192.168.56.10:2379", "--initial-advertise-peer-urls=https://192.168.56.10:2380"],
        },
        kubeconfigs: KUBECONFIG_CLIENTS.map((k) => kubeconfigEndpoint(k)),
      }),
    },
  ],
  [],
);

// -------------------------------------------------------------------------------------------
{
  const etcdServers = (...urls: string[]) => ({ "kube-apiserver": [`--etcd-servers=${urls.join(",")}`] });
  const healthy = (o: Partial<{ client: RefSpec; server: RefSpec; clientTrusts: RefSpec; serverTrusts: RefSpec; extra: RefSpec[] }> = {}): RefSpec[] => [
    o.client ?? apiserverEtcdClient(p.etcdClient),
    o.clientTrusts ?? apiserverEtcdCA([p.etcdCA.cert]),
    o.server ?? etcdServing(p.etcdServer),
    o.serverTrusts ?? etcdTrustedCA([p.etcdCA.cert]),
    ...(o.extra ?? []),
  ];
  const client = async (spec: CertSpec, issuer: Issuer) => apiserverEtcdClient(await leaf({ ...LEAF.etcdClient, ...spec }, issuer));
  const server = async (spec: CertSpec, issuer: Issuer) => etcdServing(await leaf({ ...LEAF.etcdServer, ...spec }, issuer));
  connection(
    "apiserver-to-etcd",
    [
      { name: "kubeadm wiring: both ends trust etcd/ca.crt, apiserver dials 127.0.0.1 (in the SANs)", wiring: () => ({ refs: healthy(), flags: etcdServers("https://127.0.0.1:2379") }) },
      {
        name: "rotation: both ends trust a bundle (old etcd CA, new etcd CA), client from the old CA, server from the new",
        wiring: async () => ({
          refs: healthy({
            client: await client({}, p.oldEtcdCA),
            clientTrusts: apiserverEtcdCA([p.oldEtcdCA.cert, p.etcdCA.cert]),
            serverTrusts: etcdTrustedCA([p.oldEtcdCA.cert, p.etcdCA.cert]),
          }),
          flags: etcdServers("https://127.0.0.1:2379"),
        }),
      },
      { name: "boundary: dialed [::1] matches IP SAN ::1 (brackets stripped)", wiring: () => ({ refs: healthy(), flags: etcdServers("https://[::1]:2379") }) },
      { name: "boundary: dialed localhost matches DNS SAN localhost", wiring: () => ({ refs: healthy(), flags: etcdServers("https://localhost:2379") }) },
      {
        name: "boundary: certificates without any extendedKeyUsage extension are good for any usage (Go crypto/x509)",
        wiring: async () => ({ refs: healthy({ client: await client({ eku: null }, p.etcdCA), server: await server({ eku: null }, p.etcdCA) }) }),
      },
      {
        name: "ends not on this node: external etcd (no etcd references at all), apiserver dials remote members",
        wiring: () => ({ refs: [apiserverEtcdClient(p.etcdClient), apiserverEtcdCA([p.etcdCA.cert])], flags: etcdServers("https://10.0.0.21:2379", "https://10.0.0.22:2379") }),
      },
    ],
    [
      {
        name: "client certificate from the wrong CA (kubernetes CA, loaded): re-issue it from etcd-ca",
        wiring: async () => ({ refs: healthy({ client: await client({}, p.ca), extra: [apiserverClientCA([p.ca.cert])] }) }),
        findings: () => [
          broken(
            "apiserver-to-etcd",
            at.apiserverEtcdClient,
            [
              `etcd trusts only CN=etcd-ca in ${ETCD_CA} (SHA-256`,
              `(etcd --trusted-ca-file (${ETCD_CA}))`,
              `the certificate kube-apiserver presents (kube-apiserver --etcd-certfile (${ETCD_CLIENT}))`,
              `it is signed by CN=kubernetes in ${CA}`,
            ],
            reissueFromRoleCA(ETCD_CLIENT, "apiserver-etcd-client"),
            ONE,
          ),
        ],
      },
      {
        name: "client certificate signed by a CA that is not loaded: the message says no loaded CA verifies it",
        wiring: async () => ({ refs: healthy({ client: await client({}, p.impostorCA) }) }),
        findings: () => [
          broken(
            "apiserver-to-etcd",
            at.apiserverEtcdClient,
            [`(etcd --trusted-ca-file (${ETCD_CA}))`, `(kube-apiserver --etcd-certfile (${ETCD_CLIENT}))`, "its issuer is CN=kubernetes, which no loaded CA verifies"],
            reissueFromRoleCA(ETCD_CLIENT, "apiserver-etcd-client"),
          ),
        ],
      },
      {
        // Go's verifier looks the parent up by the certificate's issuer name first: the signer's key under another name is no parent.
        name: "etcd --trusted-ca-file names a CA with the signer's key but another subject (CN=etcd-ca-renamed): Go finds no issuer, the connection breaks",
        wiring: async () => ({ refs: healthy({ serverTrusts: etcdTrustedCA([(await caWithKey("etcd-ca-renamed", ETCD_CA_KEY)).cert], OLD_ETCD_CA) }) }),
        findings: () => [
          broken(
            "apiserver-to-etcd",
            { component: "etcd", path: OLD_ETCD_CA, flag: "--trusted-ca-file", role: "etcd-ca" },
            [`etcd trusts only CN=etcd-ca-renamed in ${OLD_ETCD_CA}`, `(kube-apiserver --etcd-certfile (${ETCD_CLIENT}))`, `it is signed by CN=etcd-ca in ${ETCD_CA}`],
            pointAt("etcd --trusted-ca-file", ETCD_CA, ETCD_CLIENT, "etcd"),
            ONE,
          ),
        ],
      },
      {
        // The client's signer is the etcd CA the node agrees on (--etcd-cafile, and the certificates it signed).
        name: "etcd --trusted-ca-file names the old etcd CA while the client's own side trusts its signer: point the flag at the signer",
        wiring: () => ({ refs: healthy({ serverTrusts: etcdTrustedCA([p.oldEtcdCA.cert], OLD_ETCD_CA) }) }),
        findings: () => [
          broken(
            "apiserver-to-etcd",
            { component: "etcd", path: OLD_ETCD_CA, flag: "--trusted-ca-file", role: "etcd-ca" },
            [`etcd trusts only CN=etcd-ca in ${OLD_ETCD_CA}`, `(etcd --trusted-ca-file (${OLD_ETCD_CA}))`, `(kube-apiserver --etcd-certfile (${ETCD_CLIENT}))`, `it is signed by CN=etcd-ca in ${ETCD_CA}`],
            pointAt("etcd --trusted-ca-file", ETCD_CA, ETCD_CLIENT, "etcd"),
            ONE,
          ),
        ],
      },
      {
        name: "server certificate not signed by kube-apiserver --etcd-cafile (old etcd CA), while etcd trusts its signer: point --etcd-cafile at it",
        wiring: () => ({ refs: healthy({ clientTrusts: apiserverEtcdCA([p.oldEtcdCA.cert], OLD_ETCD_CA) }) }),
        findings: () => [
          broken(
            "apiserver-to-etcd",
            { component: "kube-apiserver", path: OLD_ETCD_CA, flag: "--etcd-cafile", role: "etcd-ca" },
            [
              `kube-apiserver trusts only CN=etcd-ca in ${OLD_ETCD_CA}`,
              `(kube-apiserver --etcd-cafile (${OLD_ETCD_CA}))`,
              `the certificate etcd presents (etcd --cert-file (${ETCD_SERVER}))`,
              `it is signed by CN=etcd-ca in ${ETCD_CA}`,
            ],
            pointAt("kube-apiserver --etcd-cafile", ETCD_CA, ETCD_SERVER, "kube-apiserver"),
            ONE,
          ),
        ],
      },
      {
        name: "server certificate from the wrong CA: re-issue it from etcd-ca (etcdctl, trusting etcd/ca.crt, is broken too)",
        wiring: async () => ({ refs: healthy({ server: await server({}, p.impostorCA) }) }),
        findings: () => [
          broken(
            "apiserver-to-etcd",
            at.etcdServing,
            [`(kube-apiserver --etcd-cafile (${ETCD_CA}))`, `the certificate etcd presents (etcd --cert-file (${ETCD_SERVER}))`],
            reissueFromRoleCA(ETCD_SERVER, "etcd-server"),
            ONE,
          ),
          broken("etcdctl-to-etcd", at.etcdServing, [`the certificate etcd presents (etcd --cert-file (${ETCD_SERVER}))`], reissueFromRoleCA(ETCD_SERVER, "etcd-server"), ONE),
        ],
      },
      {
        name: "SAN missing: kube-apiserver --etcd-servers dials 127.0.0.1, the etcd server certificate lacks it",
        wiring: async () => ({ refs: healthy({ server: await server({ ip: ["192.168.56.10", "::1"] }, p.etcdCA) }), flags: etcdServers("https://127.0.0.1:2379") }),
        findings: () => [
          broken(
            "apiserver-to-etcd",
            at.etcdServing,
            [`kube-apiserver dials 127.0.0.1, which the certificate etcd presents (etcd --cert-file (${ETCD_SERVER})) does not carry as a SAN`],
            reissueWithSAN(ETCD_SERVER, "127.0.0.1", "etcd-server"),
            ONE,
          ),
        ],
      },
      {
        name: "SAN missing: only the hosts the certificate lacks are named (one of two --etcd-servers)",
        wiring: () => ({ refs: healthy(), flags: etcdServers("https://127.0.0.1:2379", "https://etcd.example.internal:2379") }),
        findings: () => [broken("apiserver-to-etcd", at.etcdServing, ["kube-apiserver dials etcd.example.internal, which"], reissueWithSAN(ETCD_SERVER, "etcd.example.internal", "etcd-server"))],
      },
      roleEku("client certificate without clientAuth", async () => ({ refs: healthy({ client: await client({ eku: ["serverAuth"] }, p.etcdCA) }) }), at.apiserverEtcdClient, "clientAuth", "serverAuth"),
      {
        name: "a client certificate no role describes, without clientAuth: still this connection's finding",
        wiring: async () => ({ refs: healthy({ client: withoutRole(await client({ eku: ["serverAuth"] }, p.etcdCA)) }) }),
        withEkuCheck: true,
        findings: () => [
          broken(
            "apiserver-to-etcd",
            noRole(at.apiserverEtcdClient),
            [`the certificate kube-apiserver presents (kube-apiserver --etcd-certfile (${ETCD_CLIENT})) lacks extended key usage clientAuth (has serverAuth)`],
            reissueWithEKU(ETCD_CLIENT, "clientAuth"),
            ONE,
          ),
        ],
      },
      roleEku("server certificate without serverAuth (it also serves etcdctl)", async () => ({ refs: healthy({ server: await server({ eku: ["clientAuth"] }, p.etcdCA) }) }), at.etcdServing, "serverAuth, clientAuth", "clientAuth"),
      {
        name: "a server certificate no role describes, without serverAuth: a finding on each connection it serves",
        wiring: async () => ({ refs: healthy({ server: withoutRole(await server({ eku: ["clientAuth"] }, p.etcdCA)) }) }),
        withEkuCheck: true,
        findings: () => [
          broken("apiserver-to-etcd", noRole(at.etcdServing), [`(etcd --cert-file (${ETCD_SERVER})) lacks extended key usage serverAuth (has clientAuth)`], reissueWithEKU(ETCD_SERVER, "serverAuth"), ONE),
          broken("etcdctl-to-etcd", noRole(at.etcdServing), [`(etcd --cert-file (${ETCD_SERVER})) lacks extended key usage serverAuth`], reissueWithEKU(ETCD_SERVER, "serverAuth"), ONE),
        ],
      },
      {
        // The client's missing clientAuth is ext-key-usage-missing's (its role states extKeyUsage): two problems are left here.
        name: "several problems on one connection are one finding, anchored where the first fix is made",
        wiring: async () => ({ refs: healthy({ client: await client({ eku: ["serverAuth"] }, p.impostorCA) }), flags: etcdServers("https://10.0.0.99:2379") }),
        withEkuCheck: true,
        findings: () => [
          ekuMissing(at.apiserverEtcdClient, "clientAuth", "serverAuth"),
          broken(
            "apiserver-to-etcd",
            at.apiserverEtcdClient,
            ["which no loaded CA verifies", "kube-apiserver dials 10.0.0.99"],
            expect.stringMatching(new RegExp(`^${escape(reissueFromRoleCA(ETCD_CLIENT, "apiserver-etcd-client"))}\n${escape(sanFix(ETCD_SERVER, "10.0.0.99", "etcd-server"))}[^\n]*$`)),
            { actual: "2 problems on this connection" },
            ["lacks extended key usage"],
          ),
        ],
      },
      {
        name: "several problems of a client certificate no role describes: three problems, one finding, fixes in order",
        wiring: async () => ({ refs: healthy({ client: withoutRole(await client({ eku: ["serverAuth"] }, p.impostorCA)) }), flags: etcdServers("https://10.0.0.99:2379") }),
        withEkuCheck: true,
        findings: () => [
          broken(
            "apiserver-to-etcd",
            noRole(at.apiserverEtcdClient),
            ["which no loaded CA verifies", "kube-apiserver dials 10.0.0.99", "lacks extended key usage clientAuth"],
            expect.stringMatching(
              new RegExp(
                `^${escape(`Re-issue ${ETCD_CLIENT} from the CA etcd --trusted-ca-file names (${ETCD_CA}).`)}\n${escape(sanFix(ETCD_SERVER, "10.0.0.99", "etcd-server"))}[^\n]*\n${escape(reissueWithEKU(ETCD_CLIENT, "clientAuth"))}$`,
              ),
            ),
            { actual: "3 problems on this connection" },
          ),
        ],
      },
    ],
  );
}

// -------------------------------------------------------------------------------------------
{
  const peerURLs = (url = "https://192.168.56.10:2380") => ({ etcd: [`--initial-advertise-peer-urls=${url}`] });
  const wiring = (peer: RefSpec, trusts = etcdPeerTrustedCA([p.etcdCA.cert])): RefSpec[] => [peer, trusts];
  const peer = async (spec: CertSpec, issuer: Issuer) => etcdPeerCert(await leaf({ ...LEAF.etcdPeer, ...spec }, issuer));
  connection(
    "etcd-peer",
    [
      { name: "kubeadm wiring: peer certificate from etcd-ca, advertised peer URL in its SANs", wiring: () => ({ refs: wiring(etcdPeerCert(p.etcdPeer)), flags: peerURLs() }) },
      {
        name: "rotation: --peer-trusted-ca-file holds (old, new) and the peer certificate is from the old CA",
        wiring: async () => ({ refs: wiring(await peer({}, p.oldEtcdCA), etcdPeerTrustedCA([p.oldEtcdCA.cert, p.etcdCA.cert])), flags: peerURLs() }),
      },
    ],
    [
      {
        name: "peer certificate not signed by --peer-trusted-ca-file (both directions are the same files: one problem, one fix)",
        wiring: async () => ({ refs: wiring(await peer({}, p.oldEtcdCA)), flags: peerURLs() }),
        findings: () => [
          broken(
            "etcd-peer",
            at.etcdPeer,
            [`etcd trusts only CN=etcd-ca in ${ETCD_CA}`, `(etcd --peer-trusted-ca-file (${ETCD_CA}))`, `the certificate etcd presents (etcd --peer-cert-file (${ETCD_PEER}))`],
            allOf([reissueFromRoleCA(ETCD_PEER, "etcd-peer")]),
          ),
        ],
      },
      {
        name: "an untrusted peer certificate is one problem with one fix (client and server direction are the same files)",
        wiring: async () => ({ refs: wiring(await peer({}, p.oldEtcdCA)), flags: peerURLs() }),
        findings: () => [{ ...ONE, remediation: reissueFromRoleCA(ETCD_PEER, "etcd-peer") }],
      },
      {
        name: "SAN missing: --initial-advertise-peer-urls names an address the peer certificate lacks",
        wiring: () => ({ refs: wiring(etcdPeerCert(p.etcdPeer)), flags: peerURLs("https://192.168.56.11:2380") }),
        findings: () => [
          broken(
            "etcd-peer",
            at.etcdPeer,
            [`etcd dials 192.168.56.11, which the certificate etcd presents (etcd --peer-cert-file (${ETCD_PEER})) does not carry as a SAN`],
            reissueWithSAN(ETCD_PEER, "192.168.56.11", "etcd-peer"),
            ONE,
          ),
        ],
      },
      roleEku("peer certificate without clientAuth (peers are clients too)", async () => ({ refs: wiring(await peer({ eku: ["serverAuth"] }, p.etcdCA)) }), at.etcdPeer, "serverAuth, clientAuth", "serverAuth"),
      roleEku("peer certificate without serverAuth", async () => ({ refs: wiring(await peer({ eku: ["clientAuth"] }, p.etcdCA)) }), at.etcdPeer, "serverAuth, clientAuth", "clientAuth"),
      {
        name: "a peer certificate no role describes, without clientAuth: one finding",
        wiring: async () => ({ refs: wiring(withoutRole(await peer({ eku: ["serverAuth"] }, p.etcdCA))) }),
        withEkuCheck: true,
        findings: () => [broken("etcd-peer", noRole(at.etcdPeer), [`(etcd --peer-cert-file (${ETCD_PEER})) lacks extended key usage clientAuth`], reissueWithEKU(ETCD_PEER, "clientAuth"), ONE)],
      },
    ],
  );
}

// -------------------------------------------------------------------------------------------
{
  const advertise = (url = "https://192.168.56.10:2379") => ({ etcd: [`--advertise-client-urls=${url}`] });
  const wiring = (o: Partial<{ client: DecodedCertificate; server: DecodedCertificate }> = {}): RefSpec[] => [
    healthcheckClient(o.client ?? p.healthcheck),
    etcdServing(o.server ?? p.etcdServer),
    etcdTrustedCA([p.etcdCA.cert]),
  ];
  connection(
    "etcdctl-to-etcd",
    [{ name: "kubeadm wiring: healthcheck client from etcd-ca, etcd/ca.crt verifies etcd, advertised client URL in its SANs", wiring: () => ({ refs: wiring(), flags: advertise() }) }],
    [
      {
        name: "healthcheck client from the wrong CA: re-issue it (the anchor has no flag: a well-known file)",
        wiring: async () => ({ refs: wiring({ client: await leaf(LEAF.healthcheck!, p.oldEtcdCA) }), flags: advertise() }),
        findings: () => [
          broken(
            "etcdctl-to-etcd",
            at.healthcheck,
            [`etcd trusts only CN=etcd-ca in ${ETCD_CA}`, `(etcd --trusted-ca-file (${ETCD_CA}))`, `the certificate etcdctl presents (etcdctl (${HEALTHCHECK}))`],
            reissueFromRoleCA(HEALTHCHECK, "etcd-healthcheck-client"),
            ONE,
          ),
        ],
      },
      {
        name: "server certificate not signed by etcd/ca.crt, which etcdctl trusts",
        wiring: async () => ({ refs: wiring({ server: await leaf(LEAF.etcdServer!, p.oldEtcdCA) }), flags: advertise() }),
        findings: () => [
          broken(
            "etcdctl-to-etcd",
            at.etcdServing,
            [`etcdctl trusts only CN=etcd-ca in ${ETCD_CA}`, `(etcd --trusted-ca-file (${ETCD_CA}))`, `the certificate etcd presents (etcd --cert-file (${ETCD_SERVER}))`],
            reissueFromRoleCA(ETCD_SERVER, "etcd-server"),
            ONE,
          ),
        ],
      },
      {
        name: "SAN missing: etcd --advertise-client-urls names a host the server certificate lacks",
        wiring: () => ({ refs: wiring(), flags: advertise("https://cp-1.example.internal:2379") }),
        findings: () => [
          broken(
            "etcdctl-to-etcd",
            at.etcdServing,
            [`etcdctl dials cp-1.example.internal, which the certificate etcd presents (etcd --cert-file (${ETCD_SERVER})) does not carry as a SAN`],
            reissueWithSAN(ETCD_SERVER, "cp-1.example.internal", "etcd-server"),
            ONE,
          ),
        ],
      },
      roleEku("healthcheck client without clientAuth", async () => ({ refs: wiring({ client: await leaf({ ...LEAF.healthcheck, eku: ["serverAuth"] }, p.etcdCA) }) }), at.healthcheck, "clientAuth", "serverAuth"),
    ],
  );
}

// -------------------------------------------------------------------------------------------
for (const k of KUBECONFIG_CLIENTS) {
  const e = edge(k.edge);
  const clientAnchor = { component: k.component, path: certPathOf(k), flag: certField(k), role: k.certRole };
  const caAnchor = { component: k.component, path: k.path, flag: "certificate-authority-data", role: "ca" };
  const certName = `(${describeKubeconfigRef(k, certField(k))} (${certPathOf(k)}))`;
  const caName = `(${describeKubeconfigRef(k, "certificate-authority-data")} (${k.path}))`;
  const wiring = async (
    o: Partial<{ client: DecodedCertificate; cas: DecodedCertificate[]; clientCAs: DecodedCertificate[]; server: string | null; servingRole: string }> = {},
  ): Promise<Wiring> => ({
    refs: [apiserverClientCA(o.clientCAs ?? [p.ca.cert]), { ...apiserverServing(p.apiserver), role: o.servingRole ?? "apiserver" }, ...kubeconfigRefs(k, o.client ?? (await leaf(k.leaf, p.ca)), o.cas ?? [p.ca.cert])],
    kubeconfigs: [kubeconfigEndpoint(k, o.server === undefined ? APISERVER_URL : o.server)],
  });
  connection(
    k.edge,
    [
      { name: `kubeadm wiring: ${k.path} trusts ca.crt and dials ${APISERVER_URL}`, wiring: () => wiring() },
      {
        name: "rotation: --client-ca-file and the kubeconfig's CA data hold (old CA, new CA); the client certificate is from the old one",
        wiring: async () => wiring({ client: await leaf(k.leaf, p.oldCA), cas: [p.oldCA.cert, p.ca.cert], clientCAs: [p.oldCA.cert, p.ca.cert] }),
      },
      { name: "boundary: a kubeconfig without a server dials nothing to check", wiring: () => wiring({ server: null }) },
    ],
    [
      {
        name: "client certificate from another CN=kubernetes CA (not loaded): re-issue it from the cluster CA",
        wiring: async () => wiring({ client: await leaf(k.leaf, p.impostorCA) }),
        findings: () => [
          broken(
            k.edge,
            clientAnchor,
            [`kube-apiserver trusts only CN=kubernetes in ${CA}`, `(kube-apiserver --client-ca-file (${CA}))`, `the certificate ${e.client.component} presents ${certName}`, "which no loaded CA verifies"],
            // A hand-built identity role names no command; the fix then names the CA file.
            role(k.certRole).regenerate ?? role(k.certRole).renew
              ? reissueFromRoleCA(certPathOf(k), k.certRole)
              : `Re-issue ${certPathOf(k)} from the CA kube-apiserver --client-ca-file names (${CA}).`,
            ONE,
          ),
        ],
      },
      {
        // The fix names the kubeconfig and the CA file, and restarts only a component that runs (not kubectl's admin.conf or super-admin.conf).
        name: "two CAs with subject CN=kubernetes: the kubeconfig trusts the impostor, signatures (not names) decide; the fix repoints the kubeconfig's CA",
        wiring: () => wiring({ cas: [p.impostorCA.cert] }),
        findings: () => [
          broken(
            k.edge,
            caAnchor,
            [
              `${e.client.component} trusts only CN=kubernetes in ${k.path} (SHA-256 ${p.impostorCA.cert.fingerprintSha256.slice(0, 11)}`,
              caName,
              `the certificate kube-apiserver presents (kube-apiserver --tls-cert-file (${APISERVER}))`,
              `it is signed by CN=kubernetes in ${CA} (SHA-256 ${p.ca.cert.fingerprintSha256.slice(0, 11)}`,
            ],
            setCAData(k.path, CA, APISERVER, k.restart),
            ONE,
          ),
        ],
      },
      {
        name: `the fix for a kubeconfig trusting the wrong CA names the file to change (${k.path}) and a CA file, never the kubeconfig, as the CA`,
        wiring: () => wiring({ cas: [p.impostorCA.cert] }),
        findings: () => [{ path: k.path, remediation: allOf([`Set certificate-authority-data in ${k.path} to the base64 of ${CA} `], [`base64 of ${k.path}`]) }],
      },
      {
        // The API server certificate has every name its role requires: the kubeconfig dials a stray name,
        // so the fix (and the anchor) is its server field (trust-edge-broken since 5fcd8f1; not one of the brief's seven changes).
        name: "SAN missing: the kubeconfig's server is a name the API server certificate lacks",
        wiring: () => wiring({ server: "https://cp.example.internal:6443" }),
        findings: () => [
          broken(
            k.edge,
            { component: e.client.component, path: k.path, flag: "server", role: null },
            [`dials cp.example.internal, which the certificate kube-apiserver presents (kube-apiserver --tls-cert-file (${APISERVER})) does not carry as a SAN`],
            `Make ${e.client.component} dial a name the certificate carries (${[...LEAF.apiserver!.dns!, ...LEAF.apiserver!.ip!].join(", ")}): change server in ${k.path}; ` +
              `or add cp.example.internal to the certificate's SANs: ${role("apiserver").regenerate}.`,
            ONE,
          ),
        ],
      },
      {
        // A hand-built API server role requires no names, so nothing says the certificate is complete:
        // the client's choice (a load balancer in front of the API servers) is the evidence, and the
        // certificate is what to re-issue.
        name: "SAN missing on a hand-built node: the kubeconfig dials a load balancer the hardway-apiserver certificate lacks",
        wiring: () => wiring({ server: "https://203.0.113.10:6443", servingRole: "hardway-apiserver" }),
        findings: () => [
          broken(
            k.edge,
            { component: "kube-apiserver", path: APISERVER, flag: "--tls-cert-file", role: "hardway-apiserver" },
            [`dials 203.0.113.10, which the certificate kube-apiserver presents (kube-apiserver --tls-cert-file (${APISERVER})) does not carry as a SAN`],
            `Re-issue ${APISERVER} with SAN 203.0.113.10.`,
            ONE,
          ),
        ],
      },
      roleEku("client certificate without clientAuth", async () => wiring({ client: await leaf({ ...k.leaf, eku: ["serverAuth"] }, p.ca) }), clientAnchor, "clientAuth", "serverAuth"),
    ],
  );
}

{
  const kubelet = KUBECONFIG_CLIENTS.find((c) => c.edge === "kubelet-to-apiserver")!;
  const admin = KUBECONFIG_CLIENTS.find((c) => c.edge === "admin-to-apiserver")!;
  connection(
    "kubelet-to-apiserver",
    [],
    [
      {
        name: "--client-ca-file cut over to the new CA before the kubelet's client certificate was rotated: the fix never points a CA file flag at the kubeconfig that embeds the old CA",
        wiring: async () => ({
          refs: [apiserverClientCA([p.ca.cert]), apiserverServing(p.apiserver), ...kubeconfigRefs(kubelet, await leaf(kubelet.leaf, p.oldCA), [p.oldCA.cert, p.ca.cert])],
          kubeconfigs: [kubeconfigEndpoint(kubelet)],
        }),
        findings: () => [
          {
            id: "trust-edge-broken",
            severity: "critical",
            message: allOf([`${edge("kubelet-to-apiserver").title}: `, `(kube-apiserver --client-ca-file (${CA}))`, `(kubelet --kubeconfig → client-certificate (${KUBELET_PEM}))`]),
            remediation: allOf([], [`at ${KUBELET_CONF},`, `at ${KUBELET_CONF} `, `at ${KUBELET_CONF};`, `at ${KUBELET_CONF}.`]),
          },
        ],
      },
    ],
  );
  connection(
    "admin-to-apiserver",
    [],
    [
      {
        name: "a kubeconfig copied from another cluster: one finding that re-issues admin.conf from the cluster CA and never tells the API server to trust the foreign CA",
        wiring: async () => ({
          refs: [apiserverClientCA([p.ca.cert]), apiserverServing(p.apiserver), ...kubeconfigRefs(admin, await leaf(admin.leaf, p.impostorCA), [p.impostorCA.cert])],
          kubeconfigs: [kubeconfigEndpoint(admin)],
        }),
        findings: () => [
          broken(
            "admin-to-apiserver",
            { component: "admin.conf", path: ADMIN_CONF, flag: "client-certificate-data", role: "admin.conf" },
            [`(kube-apiserver --client-ca-file (${CA}))`, `(admin.conf client-certificate-data (${ADMIN_CONF}))`],
            allOf([regenerate("admin.conf")], [`Point kube-apiserver --client-ca-file at ${ADMIN_CONF}`]),
          ),
        ],
      },
    ],
  );
  connection(
    "every edge kube-apiserver --tls-cert-file serves",
    [],
    [
      // It used to fail each of the six connections the certificate serves, each anchored at it.
      roleEku(
        "kube-apiserver's serving certificate without serverAuth",
        async () => ({
          refs: [apiserverClientCA([p.ca.cert]), apiserverServing(await leaf({ ...LEAF.apiserver, eku: ["clientAuth"] }, p.ca)), ...kubeconfigRefs(kubelet, await leaf(kubelet.leaf, p.ca), [p.ca.cert])],
          kubeconfigs: [kubeconfigEndpoint(kubelet)],
        }),
        at.apiserverServing,
        "serverAuth",
        "clientAuth",
      ),
    ],
  );
}

// -------------------------------------------------------------------------------------------
{
  const wiring = (o: Partial<{ serving: DecodedCertificate; rootCA: RefSpec; extra: RefSpec[] }> = {}): RefSpec[] => [
    apiserverServing(o.serving ?? p.apiserver),
    o.rootCA ?? kcmRootCA([p.ca.cert]),
    ...(o.extra ?? []),
  ];
  const serving = (spec: CertSpec, issuer: Issuer) => leaf({ ...LEAF.apiserver, ...spec }, issuer);
  connection(
    "pods-to-apiserver",
    [
      { name: "kubeadm wiring: --root-ca-file is ca.crt; the API server certificate carries kubernetes.default.svc[.cluster.local] and 10.96.0.1", wiring: () => ({ refs: wiring() }) },
      {
        name: "boundary: a template whose fact is unknown (clusterDomain) dials nothing",
        wiring: async () => {
          const { clusterDomain: _unknown, ...facts } = FACTS;
          return { refs: wiring({ serving: await serving({ dns: ["kubernetes.default.svc"] }, p.ca) }), facts };
        },
      },
      { name: "boundary: a wildcard SAN *.default.svc covers kubernetes.default.svc", wiring: async () => ({ refs: wiring({ serving: await serving({ dns: ["*.default.svc", "kubernetes.default.svc.cluster.local"] }, p.ca) }) }) },
    ],
    [
      {
        name: "SAN missing: the service IP (dialsFacts ${serviceIP}) is not in the API server certificate",
        wiring: async () => ({ refs: wiring({ serving: await serving({ ip: ["192.168.56.10"] }, p.ca) }) }),
        findings: () => [
          broken("pods-to-apiserver", at.apiserverServing, [`dials 10.96.0.1, which the certificate kube-apiserver presents (kube-apiserver --tls-cert-file (${APISERVER})) does not carry as a SAN`], reissueWithSAN(APISERVER, "10.96.0.1", "apiserver"), ONE),
        ],
      },
      {
        name: "SAN missing: several names are listed together",
        wiring: async () => ({ refs: wiring({ serving: await serving({ dns: ["cp-1", "kubernetes"] }, p.ca) }) }),
        findings: () => [
          broken(
            "pods-to-apiserver",
            at.apiserverServing,
            ["dials kubernetes.default.svc, kubernetes.default.svc.cluster.local, which"],
            reissueWithSAN(APISERVER, "kubernetes.default.svc, kubernetes.default.svc.cluster.local", "apiserver"),
          ),
        ],
      },
      {
        // The client end is now named pods (kube-root-ca.crt), no longer kube-controller-manager.
        name: "API server certificate from the wrong CA (front-proxy-ca): re-issue it from ca",
        wiring: async () => ({ refs: wiring({ serving: await serving({}, p.frontProxyCA), extra: [apiserverRequestheaderCA([p.frontProxyCA.cert])] }) }),
        findings: () => [
          broken(
            "pods-to-apiserver",
            at.apiserverServing,
            [`pods (kube-root-ca.crt) trusts only CN=kubernetes in ${CA}`, `(kube-controller-manager --root-ca-file (${CA}))`, `(kube-apiserver --tls-cert-file (${APISERVER}))`, `it is signed by CN=front-proxy-ca in ${FRONT_PROXY_CA}`],
            reissueFromRoleCA(APISERVER, "apiserver"),
            ONE,
          ),
        ],
      },
      {
        name: "--root-ca-file names another CN=kubernetes CA while the API server certificate is from the cluster CA (its role's issuer): point --root-ca-file at it, do not re-issue",
        wiring: () => ({ refs: wiring({ rootCA: kcmRootCA([p.impostorCA.cert], ROOT_CA), extra: [apiserverClientCA([p.ca.cert])] }) }),
        findings: () => [
          broken(
            "pods-to-apiserver",
            { component: "kube-controller-manager", path: ROOT_CA, flag: "--root-ca-file", role: "ca" },
            [`pods (kube-root-ca.crt) trusts only CN=kubernetes in ${ROOT_CA}`, `(kube-controller-manager --root-ca-file (${ROOT_CA}))`, `it is signed by CN=kubernetes in ${CA}`],
            pointAt("kube-controller-manager --root-ca-file", CA, APISERVER, "kube-controller-manager"),
            ONE,
          ),
        ],
      },
    ],
  );
}

// -------------------------------------------------------------------------------------------
{
  const wiring = (o: Partial<{ client: DecodedCertificate; serving: DecodedCertificate; kubeletCA: RefSpec | null; clientCA: RefSpec; extra: RefSpec[] }> = {}): RefSpec[] => [
    apiserverKubeletClient(o.client ?? p.kubeletClient),
    ...(o.kubeletCA ? [o.kubeletCA] : []),
    kubeletServing(o.serving ?? p.kubeletServing),
    o.clientCA ?? kubeletClientCA([p.ca.cert]),
    ...(o.extra ?? []),
  ];
  connection(
    "apiserver-to-kubelet",
    [
      { name: "kubeadm default: no --kubelet-certificate-authority, self-signed serving certificate, clientCAFile ca.crt", wiring: () => ({ refs: wiring() }) },
      {
        name: "serverTLSBootstrap: --kubelet-certificate-authority ca.crt and a serving certificate from ca",
        wiring: async () => ({ refs: wiring({ kubeletCA: apiserverKubeletCA([p.ca.cert]), serving: await leaf({ ...LEAF.kubeletServing, cn: "system:node:cp-1", o: ["system:nodes"] }, p.ca) }) }),
      },
    ],
    [
      {
        name: "kube-apiserver's kubelet client certificate from the wrong CA (front-proxy-ca): re-issue it",
        wiring: async () => ({ refs: wiring({ client: await leaf(LEAF.kubeletClient!, p.frontProxyCA), extra: [apiserverRequestheaderCA([p.frontProxyCA.cert])] }) }),
        findings: () => [
          broken(
            "apiserver-to-kubelet",
            at.apiserverKubeletClient,
            [`kubelet trusts only CN=kubernetes in ${CA}`, `(kubelet authentication.x509.clientCAFile (${CA}))`, `(kube-apiserver --kubelet-client-certificate (${KUBELET_CLIENT}))`, `it is signed by CN=front-proxy-ca in ${FRONT_PROXY_CA}`],
            reissueFromRoleCA(KUBELET_CLIENT, "apiserver-kubelet-client"),
            ONE,
          ),
        ],
      },
      {
        // The signer is judged by the node's consensus CA of role ca: here the kubelet's clientCAFile is the only
        // reference of that role (--kubelet-certificate-authority has none), so the old CA is what the node agrees
        // on and the client certificate is re-issued (it used to say: point clientCAFile at ca.crt).
        name: "the kubelet's clientCAFile names the old CA while only kube-apiserver --kubelet-certificate-authority (no role) trusts the client's signer: re-issue the client certificate",
        wiring: () => ({ refs: wiring({ kubeletCA: apiserverKubeletCA([p.ca.cert]), serving: p.apiserver, clientCA: kubeletClientCA([p.oldCA.cert], OLD_CA) }) }),
        findings: () => [
          broken(
            "apiserver-to-kubelet",
            at.apiserverKubeletClient,
            [`kubelet trusts only CN=kubernetes in ${OLD_CA}`, `(kubelet authentication.x509.clientCAFile (${OLD_CA}))`, `(kube-apiserver --kubelet-client-certificate (${KUBELET_CLIENT}))`, `it is signed by CN=kubernetes in ${CA}`],
            reissueFromRoleCA(KUBELET_CLIENT, "apiserver-kubelet-client"),
            ONE,
          ),
        ],
      },
      {
        name: "the kubelet's clientCAFile names the old CA while kube-apiserver --client-ca-file names the client's signer (the consensus CA): point clientCAFile at it",
        wiring: () => ({
          refs: wiring({ kubeletCA: apiserverKubeletCA([p.ca.cert]), serving: p.apiserver, clientCA: kubeletClientCA([p.oldCA.cert], OLD_CA), extra: [apiserverClientCA([p.ca.cert])] }),
        }),
        findings: () => [
          broken(
            "apiserver-to-kubelet",
            { component: "kubelet", path: OLD_CA, flag: "authentication.x509.clientCAFile", role: "ca" },
            [`kubelet trusts only CN=kubernetes in ${OLD_CA}`, `(kubelet authentication.x509.clientCAFile (${OLD_CA}))`, `(kube-apiserver --kubelet-client-certificate (${KUBELET_CLIENT}))`],
            pointAt("kubelet authentication.x509.clientCAFile", CA, KUBELET_CLIENT, "kubelet"),
            ONE,
          ),
        ],
      },
      {
        name: "--kubelet-certificate-authority set while the kubelet still serves its self-signed certificate",
        wiring: () => ({ refs: wiring({ kubeletCA: apiserverKubeletCA([p.ca.cert]) }) }),
        findings: () => [
          broken(
            "apiserver-to-kubelet",
            at.kubeletServing,
            [`kube-apiserver trusts only CN=kubernetes in ${CA}`, `(kube-apiserver --kubelet-certificate-authority (${CA}))`, `the certificate kubelet presents (kubelet tlsCertFile (${KUBELET_SERVING}))`, "its issuer is CN=cp-1@1768470900, which no loaded CA verifies"],
            reissueFromRoleCA(KUBELET_SERVING, "kubelet-serving"),
            ONE,
          ),
        ],
      },
      roleEku("kube-apiserver's kubelet client certificate without clientAuth", async () => ({ refs: wiring({ client: await leaf({ ...LEAF.kubeletClient, eku: ["serverAuth"] }, p.ca) }) }), at.apiserverKubeletClient, "clientAuth", "serverAuth"),
      roleEku("kubelet serving certificate without serverAuth", async () => ({ refs: wiring({ serving: (await makeCert({ ...LEAF.kubeletServing, eku: ["clientAuth"], key: await testKey({ kind: "ec" }, LEAF_KEY) })).cert }) }), at.kubeletServing, "serverAuth", "clientAuth"),
    ],
  );
}

// -------------------------------------------------------------------------------------------
connection(
  "front-proxy-to-extension-apiservers",
  [
    { name: "kubeadm wiring: front-proxy-client from front-proxy-ca, which --requestheader-client-ca-file names", wiring: () => ({ refs: [apiserverProxyClient(p.frontProxyClient), apiserverRequestheaderCA([p.frontProxyCA.cert])] }) },
    { name: "ends not on this node: no --requestheader-client-ca-file, nothing to verify against", wiring: () => ({ refs: [apiserverProxyClient(p.frontProxyClient)] }) },
  ],
  [
    {
      name: "front-proxy client certificate from the cluster CA: re-issue it from front-proxy-ca",
      wiring: async () => ({ refs: [apiserverProxyClient(await leaf(LEAF.frontProxyClient!, p.ca)), apiserverRequestheaderCA([p.frontProxyCA.cert]), apiserverClientCA([p.ca.cert])] }),
      findings: () => [
        broken(
          "front-proxy-to-extension-apiservers",
          at.frontProxyClient,
          [
            `each extension API server trusts only CN=front-proxy-ca in ${FRONT_PROXY_CA}`,
            `(kube-apiserver --requestheader-client-ca-file (${FRONT_PROXY_CA}))`,
            `the certificate kube-apiserver presents (kube-apiserver --proxy-client-cert-file (${FRONT_PROXY_CLIENT}))`,
            `it is signed by CN=kubernetes in ${CA}`,
          ],
          reissueFromRoleCA(FRONT_PROXY_CLIENT, "front-proxy-client"),
          ONE,
        ),
      ],
    },
    roleEku(
      "front-proxy client certificate without clientAuth",
      async () => ({ refs: [apiserverProxyClient(await leaf({ ...LEAF.frontProxyClient, eku: ["serverAuth"] }, p.frontProxyCA)), apiserverRequestheaderCA([p.frontProxyCA.cert])] }),
      at.frontProxyClient,
      "clientAuth",
      "serverAuth",
    ),
  ],
);

// -------------------------------------------------------------------------------------------
connection(
  "csr-signer-to-apiserver",
  [
    { name: "kubeadm wiring: --cluster-signing-cert-file and --client-ca-file are both ca.crt", wiring: () => ({ refs: [kcmSigningCert(p.ca.cert), apiserverClientCA([p.ca.cert])] }) },
    {
      name: "rotation: --client-ca-file holds (old CA, new CA) and the signer is the new one, in a file of its own",
      wiring: () => ({ refs: [kcmSigningCert(p.ca.cert, SIGNING_CA), apiserverClientCA([p.oldCA.cert, p.ca.cert])] }),
    },
    { name: "ends not on this node: no kube-apiserver references", wiring: () => ({ refs: [kcmSigningCert(p.impostorCA.cert, SIGNING_CA)] }) },
  ],
  [
    {
      name: "the signer is another CN=kubernetes CA: the edge's own remedy is the remediation",
      wiring: () => ({ refs: [kcmSigningCert(p.impostorCA.cert, SIGNING_CA), apiserverClientCA([p.ca.cert])] }),
      findings: () => [
        broken(
          "csr-signer-to-apiserver",
          { component: "kube-controller-manager", path: SIGNING_CA, flag: "--cluster-signing-cert-file", role: "ca" },
          [`kube-apiserver trusts only CN=kubernetes in ${CA}`, `(kube-apiserver --client-ca-file (${CA}))`, `(kube-controller-manager --cluster-signing-cert-file (${SIGNING_CA}))`],
          edge("csr-signer-to-apiserver").remedy,
          ONE,
        ),
      ],
    },
  ],
);

checkTable(trustEdgeBroken, table);

describe("trust-edge-broken test table", () => {
  test("every edge of rules/edges.yaml has a passing and a failing case here", () => {
    const edgesOf = (cases: Array<{ name: string }>) => [...new Set(cases.map((c) => c.name.slice(0, c.name.indexOf(": "))))].filter((id) => BUNDLED_RULES.edges.some((e) => e.id === id)).sort();
    const edges = BUNDLED_RULES.edges.map((e) => e.id).sort();
    expect(edgesOf(table.passes)).toEqual(edges);
    expect(edgesOf(table.fails)).toEqual(edges);
  });
});
