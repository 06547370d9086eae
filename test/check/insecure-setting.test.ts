import { describe, expect, test } from "vitest";
import { insecureSetting } from "../../src/check/checks/insecure-setting.js";
import type { Finding, Severity } from "../../src/model.js";
import { checkTable, type FailCase, type PassCase } from "../helpers/check-table.js";
import { BUNDLED_RULES, setting, type ContextSpec, type EndpointsSpec } from "../helpers/context.js";

const APISERVER_MANIFEST = "/etc/kubernetes/manifests/kube-apiserver.yaml";
const ETCD_MANIFEST = "/etc/kubernetes/manifests/etcd.yaml";
const KUBELET_CONFIG = "/var/lib/kubelet/config.yaml";
const SOURCES = { "kube-apiserver": APISERVER_MANIFEST, etcd: ETCD_MANIFEST };

/** Flags of each component that satisfy every row, so one changed flag makes exactly one finding. */
const SAFE: Record<string, string[]> = {
  "kube-apiserver": ["--authorization-mode=Node,RBAC", "--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt", "--etcd-servers=https://127.0.0.1:2379"],
  etcd: ["--client-cert-auth=true", "--peer-client-cert-auth=true", "--listen-client-urls=https://127.0.0.1:2379,https://192.168.56.10:2379", "--listen-peer-urls=https://192.168.56.10:2380"],
};
const SAFE_KUBELET: Record<string, string> = { "authentication.x509.clientCAFile": "/etc/kubernetes/pki/ca.crt", "authentication.anonymous.enabled": "false" };

/** One component on the node: its safe flags without `omit`, then `args` (pflag keeps the last value). */
interface Node {
  component?: "kube-apiserver" | "etcd";
  args?: string[];
  omit?: string[];
  /** KubeletConfiguration fields: SAFE_KUBELET with these set (undefined removes one). */
  kubelet?: Record<string, string | undefined>;
}

/** The node as a context: no certificates, only the components' flags and the kubelet's config fields. */
function contextOfNode(node: Node): ContextSpec {
  const endpoints: EndpointsSpec = { sources: SOURCES };
  if (node.component) {
    const safe = SAFE[node.component]!.filter((arg) => !(node.omit ?? []).some((flag) => arg.startsWith(`${flag}=`)));
    endpoints.flags = { [node.component]: [...safe, ...(node.args ?? [])] };
  }
  if (node.kubelet) {
    endpoints.kubeletFields = Object.fromEntries(
      Object.entries({ ...SAFE_KUBELET, ...node.kubelet }).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
  }
  return { refs: [], endpoints };
}

/** What a finding of each row says it expected (the condition, negated). */
const EXPECTED: Record<string, string> = {
  "basic-auth-file": "--basic-auth-file not set",
  "token-auth-file": "--token-auth-file not set",
  "insecure-port": "--insecure-port=0",
  "apiserver-anonymous-auth": "--anonymous-auth not true",
  "always-allow": "--authorization-mode without AlwaysAllow",
  "kubelet-certificate-authority": "--kubelet-certificate-authority set",
  "etcd-client-cert-auth": "--client-cert-auth=true",
  "etcd-peer-client-cert-auth": "--peer-client-cert-auth=true",
  "etcd-auto-tls": "--auto-tls not true",
  "etcd-peer-auto-tls": "--peer-auto-tls not true",
  "etcd-plain-http": "--listen-client-urls with https:// URLs only",
  "etcd-plain-http-peers": "--listen-peer-urls with https:// URLs only",
  "apiserver-etcd-plain-http": "--etcd-servers with https:// URLs only",
  "kubelet-anonymous-auth": "authentication.anonymous.enabled not true",
  "kubelet-client-ca": "authentication.x509.clientCAFile set",
};

/** The finding a row makes: its text from rules/settings.yaml, the rest as the test states it. */
function finding(id: string, severity: Severity, actual: string): Partial<Finding> {
  const row = setting(id);
  const kubelet = row.field !== undefined;
  return {
    id: "insecure-setting",
    severity,
    component: row.component,
    path: kubelet ? KUBELET_CONFIG : SOURCES[row.component as keyof typeof SOURCES],
    flag: row.flag ?? row.field,
    role: null,
    message: `${row.title} (${row.id}): ${row.why}`,
    expected: EXPECTED[id],
    actual,
    remediation: row.remediation,
    citation: row.citation,
  };
}

interface RowCase {
  /** The settings.yaml row the case is about. */
  row: string;
  name: string;
  node: Node;
}
interface RowFailCase extends RowCase {
  finding: Partial<Finding>;
}

const apiserver = (args: string[] = [], omit: string[] = []): Node => ({ component: "kube-apiserver", args, omit });
const etcd = (args: string[] = [], omit: string[] = []): Node => ({ component: "etcd", args, omit });
const kubelet = (fields: Record<string, string | undefined>): Node => ({ kubelet: fields });
/** A case of `row` in which `node` makes a `severity` finding that saw `actual`. */
const fail = (row: string, severity: Severity, what: string, node: Node, actual: string): RowFailCase => ({ row, name: `${severity}: ${what}`, node, finding: finding(row, severity, actual) });

const passes: RowCase[] = [
  { row: "basic-auth-file", name: "--basic-auth-file not set", node: apiserver() },
  // An empty value leaves a string flag unset (this case used to expect a critical finding, actual "set, empty").
  { row: "basic-auth-file", name: "boundary: --basic-auth-file= (set, empty) counts as not set", node: apiserver(["--basic-auth-file="]) },
  { row: "token-auth-file", name: "--token-auth-file not set", node: apiserver() },
  { row: "insecure-port", name: "--insecure-port=0", node: apiserver(["--insecure-port=0"]) },
  { row: "insecure-port", name: "--insecure-port not set (v1.24+ has no such flag)", node: apiserver() },
  { row: "apiserver-anonymous-auth", name: "--anonymous-auth not set", node: apiserver() },
  { row: "apiserver-anonymous-auth", name: "--anonymous-auth=false", node: apiserver(["--anonymous-auth=false"]) },
  { row: "apiserver-anonymous-auth", name: "boundary: pflag keeps the last value (--anonymous-auth=true then =false)", node: apiserver(["--anonymous-auth=true", "--anonymous-auth=false"]) },
  { row: "apiserver-anonymous-auth", name: "boundary: --anonymous-auth=F (Go's strconv.ParseBool reads F as false)", node: apiserver(["--anonymous-auth=F"]) },
  { row: "always-allow", name: "--authorization-mode=Node,RBAC", node: apiserver() },
  { row: "kubelet-certificate-authority", name: "--kubelet-certificate-authority set", node: apiserver() },
  { row: "etcd-client-cert-auth", name: "--client-cert-auth=true", node: etcd() },
  { row: "etcd-client-cert-auth", name: "boundary: --client-cert-auth=TRUE (case does not matter)", node: etcd(["--client-cert-auth=TRUE"]) },
  { row: "etcd-client-cert-auth", name: "boundary: --client-cert-auth=1 (Go's strconv.ParseBool reads 1 as true)", node: etcd(["--client-cert-auth=1"]) },
  { row: "etcd-peer-client-cert-auth", name: "--peer-client-cert-auth=true", node: etcd() },
  { row: "etcd-peer-client-cert-auth", name: "boundary: bare --peer-client-cert-auth (a boolean flag without a value is true)", node: etcd(["--peer-client-cert-auth"], ["--peer-client-cert-auth"]) },
  { row: "etcd-auto-tls", name: "--auto-tls not set", node: etcd() },
  { row: "etcd-auto-tls", name: "--auto-tls=false", node: etcd(["--auto-tls=false"]) },
  { row: "etcd-peer-auto-tls", name: "--peer-auto-tls not set", node: etcd() },
  { row: "etcd-plain-http", name: "--listen-client-urls all https", node: etcd() },
  { row: "etcd-plain-http-peers", name: "--listen-peer-urls all https", node: etcd() },
  { row: "apiserver-etcd-plain-http", name: "--etcd-servers all https", node: apiserver(["--etcd-servers=https://10.0.0.21:2379,https://10.0.0.22:2379"]) },
  { row: "kubelet-anonymous-auth", name: "authentication.anonymous.enabled: false", node: kubelet({}) },
  { row: "kubelet-anonymous-auth", name: "authentication.anonymous.enabled not set", node: kubelet({ "authentication.anonymous.enabled": undefined }) },
  { row: "kubelet-client-ca", name: "authentication.x509.clientCAFile set", node: kubelet({}) },
];

const fails: RowFailCase[] = [
  fail("basic-auth-file", "critical", "--basic-auth-file set", apiserver(["--basic-auth-file=/etc/kubernetes/auth/basic.csv"]), "/etc/kubernetes/auth/basic.csv"),
  fail("token-auth-file", "warning", "--token-auth-file set", apiserver(["--token-auth-file=/etc/kubernetes/auth/tokens.csv"]), "/etc/kubernetes/auth/tokens.csv"),
  fail("insecure-port", "critical", "--insecure-port=8080", apiserver(["--insecure-port=8080"]), "8080"),
  fail("apiserver-anonymous-auth", "warning", "--anonymous-auth=true", apiserver(["--anonymous-auth=true"]), "true"),
  fail("apiserver-anonymous-auth", "warning", "boundary: bare --anonymous-auth is true", apiserver(["--anonymous-auth"]), "true"),
  fail("apiserver-anonymous-auth", "warning", "boundary: --anonymous-auth=1 (Go's strconv.ParseBool reads 1 as true)", apiserver(["--anonymous-auth=1"]), "1"),
  fail("always-allow", "critical", "--authorization-mode=AlwaysAllow", apiserver(["--authorization-mode=AlwaysAllow"]), "AlwaysAllow"),
  fail("always-allow", "critical", "boundary: AlwaysAllow last in a list (Node,RBAC,AlwaysAllow)", apiserver(["--authorization-mode=Node,RBAC,AlwaysAllow"]), "Node,RBAC,AlwaysAllow"),
  fail("kubelet-certificate-authority", "info", "--kubelet-certificate-authority not set (kubeadm's default)", apiserver([], ["--kubelet-certificate-authority"]), "not set"),
  fail("kubelet-certificate-authority", "info", "boundary: --kubelet-certificate-authority= (set, empty) counts as not set", apiserver(["--kubelet-certificate-authority="]), "set, empty"),
  fail("etcd-client-cert-auth", "critical", "--client-cert-auth not set", etcd([], ["--client-cert-auth"]), "not set"),
  fail("etcd-client-cert-auth", "critical", "--client-cert-auth=false", etcd(["--client-cert-auth=false"]), "false"),
  fail("etcd-peer-client-cert-auth", "critical", "--peer-client-cert-auth not set", etcd([], ["--peer-client-cert-auth"]), "not set"),
  fail("etcd-peer-client-cert-auth", "critical", "--peer-client-cert-auth=false", etcd(["--peer-client-cert-auth=false"]), "false"),
  fail("etcd-auto-tls", "critical", "--auto-tls=true", etcd(["--auto-tls=true"]), "true"),
  fail("etcd-auto-tls", "critical", "boundary: --auto-tls=t (Go's strconv.ParseBool reads t as true)", etcd(["--auto-tls=t"]), "t"),
  fail("etcd-peer-auto-tls", "critical", "--peer-auto-tls (bare, true)", etcd(["--peer-auto-tls"]), "true"),
  fail("etcd-plain-http", "critical", "--listen-client-urls with plain http on a routable address", etcd(["--listen-client-urls=https://127.0.0.1:2379,http://192.168.56.10:2379"]), "http://192.168.56.10:2379"),
  fail("etcd-plain-http", "warning", "plain http on loopback only (127.0.0.1), https elsewhere", etcd(["--listen-client-urls=http://127.0.0.1:2379,https://192.168.56.10:2379"]), "http://127.0.0.1:2379"),
  fail("etcd-plain-http", "warning", "boundary: IPv6 loopback [::1] and localhost are loopback", etcd(["--listen-client-urls=http://[::1]:2379,http://localhost:2379"]), "http://[::1]:2379,http://localhost:2379"),
  fail("etcd-plain-http", "critical", "boundary: 0.0.0.0 listens on every address, not loopback", etcd(["--listen-client-urls=http://0.0.0.0:2379"]), "http://0.0.0.0:2379"),
  fail("etcd-plain-http-peers", "critical", "--listen-peer-urls plain http on a routable address", etcd(["--listen-peer-urls=http://192.168.56.10:2380"]), "http://192.168.56.10:2380"),
  fail("etcd-plain-http-peers", "warning", "--listen-peer-urls plain http on loopback", etcd(["--listen-peer-urls=http://127.0.0.1:2380"]), "http://127.0.0.1:2380"),
  fail("apiserver-etcd-plain-http", "critical", "--etcd-servers with plain http to a routable member", apiserver(["--etcd-servers=https://10.0.0.21:2379,http://10.0.0.22:2379"]), "http://10.0.0.22:2379"),
  fail("apiserver-etcd-plain-http", "warning", "--etcd-servers=http://127.0.0.1:2379 (loopback)", apiserver(["--etcd-servers=http://127.0.0.1:2379"]), "http://127.0.0.1:2379"),
  fail("kubelet-anonymous-auth", "critical", "authentication.anonymous.enabled: true", kubelet({ "authentication.anonymous.enabled": "true" }), "true"),
  fail("kubelet-client-ca", "critical", "authentication.x509.clientCAFile not set", kubelet({ "authentication.x509.clientCAFile": undefined }), "not set"),
];

/**
 * For each row with `softenedBy`: its first failing case with the defusing flag set drops to the
 * row's softened severity and says why; set but empty, the flag defuses nothing.
 */
const softened: RowFailCase[] = BUNDLED_RULES.settings.flatMap((row) => {
  // A row may name another flag of its component that defuses it (etcd ignores --auto-tls when --cert-file is set, …).
  const softening = row.softenedBy;
  const base = fails.find((c) => c.row === row.id);
  if (!softening || !base) return [];
  const withFlag = (value: string): Node => ({ ...base.node, args: [...(base.node.args ?? []), `${softening.flag}=${value}`] });
  return [
    {
      row: row.id,
      name: `${softening.severity}: softened: ${base.name}, with ${softening.flag} set`,
      node: withFlag("/etc/kubernetes/pki/etcd/given.crt"),
      finding: { ...base.finding, severity: softening.severity, message: `${row.title} (${row.id}): ${row.why} ${softening.why}` },
    },
    { row: row.id, name: `${row.severity}: boundary: ${base.name}, with ${softening.flag} set but empty`, node: withFlag(""), finding: base.finding },
  ];
});

/**
 * Rows with `onlyOverTls` are about TLS listeners: with every listener of that kind on plain http
 * (kubernetes-the-hard-way's 2024 etcd on http://127.0.0.1:2379) nothing asks for a certificate, so
 * only the plain-http row reports the listener (a warning on loopback); one https:// listener
 * brings the row back. Unset, the listener flag defaults to http://localhost, which is not judged.
 */
const overTls = BUNDLED_RULES.settings.flatMap((row) => {
  const tls = row.onlyOverTls;
  const base = fails.find((c) => c.row === row.id);
  if (!tls || !base) return [];
  const plainRow = BUNDLED_RULES.settings.find((other) => other.flag === tls.flag && other.condition["http-url"]);
  const withListeners = (urls: string | null): Node => ({
    ...base.node,
    omit: [...(base.node.omit ?? []), tls.flag],
    args: [...(base.node.args ?? []), ...(urls === null ? [] : [`${tls.flag}=${urls}`])],
  });
  const plain = finding(plainRow!.id, "warning", "http://127.0.0.1:2379");
  return [
    { row: row.id, name: `no TLS listener: ${base.name}, with ${tls.flag}=http://127.0.0.1:2379 only`, node: withListeners("http://127.0.0.1:2379"), findings: [plain] },
    { row: row.id, name: `boundary: ${base.name}, with one https:// URL among http ones in ${tls.flag}`, node: withListeners("http://127.0.0.1:2379,https://10.0.0.5:2379"), findings: [base.finding, plain] },
    { row: row.id, name: `no TLS listener: ${base.name}, with ${tls.flag} unset (default ${tls.default})`, node: withListeners(null), findings: [] },
  ];
});

const rowCase = ({ row, name, node }: RowCase): PassCase => ({ name: `${row}: ${name}`, spec: () => contextOfNode(node) });

checkTable(insecureSetting, {
  passes: [
    ...passes.map(rowCase),
    ...overTls.filter((c) => c.findings.length === 0).map(rowCase),
    { name: "components not on this node: nothing discovered: no flags, no kubelet config", spec: () => ({ refs: [], endpoints: {} }) },
    {
      name: "components not on this node: only kube-apiserver here: etcd's rows (missing --client-cert-auth would be critical) and the kubelet's are not judged",
      spec: () => contextOfNode(apiserver()),
    },
    { name: "components not on this node: only etcd here: kube-apiserver's absent --kubelet-certificate-authority is not judged", spec: () => contextOfNode(etcd()) },
    {
      name: "components not on this node: only the kubelet here (a safe config): the API server and etcd rows are not judged",
      spec: () => ({ refs: [], endpoints: { kubeletFields: { "authentication.x509.clientCAFile": "/etc/kubernetes/pki/ca.crt" } } }),
    },
  ],
  fails: [
    ...[...fails, ...softened].map((c): FailCase => ({ ...rowCase(c), findings: [c.finding] })),
    ...overTls.filter((c) => c.findings.length > 0).map((c): FailCase => ({ ...rowCase(c), findings: c.findings })),
    {
      name: "several unsafe settings of several components, worst first, each at its component's source",
      spec: () => ({
        refs: [],
        endpoints: {
          flags: {
            "kube-apiserver": [...SAFE["kube-apiserver"]!, "--token-auth-file=/etc/kubernetes/tokens.csv", "--authorization-mode=AlwaysAllow"],
            etcd: [...SAFE.etcd!, "--client-cert-auth=false"],
          },
          sources: SOURCES,
          kubeletFields: { "authentication.anonymous.enabled": "true" },
        },
      }),
      findings: [
        finding("etcd-client-cert-auth", "critical", "false"),
        finding("always-allow", "critical", "AlwaysAllow"),
        finding("kubelet-anonymous-auth", "critical", "true"),
        finding("kubelet-client-ca", "critical", "not set"),
        finding("token-auth-file", "warning", "/etc/kubernetes/tokens.csv"),
      ],
    },
  ],
});

describe("insecure-setting test table", () => {
  test("every row of rules/settings.yaml has a passing and a failing case here, and every row with softenedBy a softened one", () => {
    const rows = BUNDLED_RULES.settings.map((s) => s.id).sort();
    expect([...new Set(passes.map((c) => c.row))].sort()).toEqual(rows);
    expect([...new Set(fails.map((c) => c.row))].sort()).toEqual(rows);
    expect([...new Set(softened.map((c) => c.row))].sort()).toEqual(BUNDLED_RULES.settings.filter((s) => s.softenedBy).map((s) => s.id).sort());
    expect([...new Set(overTls.map((c) => c.row))].sort()).toEqual(BUNDLED_RULES.settings.filter((s) => s.onlyOverTls).map((s) => s.id).sort());
  });
});
