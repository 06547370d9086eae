import { isIP } from "node:net";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { deriveFacts, urlHosts } from "../../src/discover/facts.js";
import { flagValue, parseFlags } from "../../src/discover/flags.js";
import { parseKubeconfig } from "../../src/discover/kubeconfig.js";
import { parseKubeletConfig } from "../../src/discover/kubelet-config.js";
import { parseStaticPod } from "../../src/discover/static-pod.js";
import { ConfigParseError, parseYamlDocument } from "../../src/discover/yaml.js";
import { firstServiceIP, normalizeIP } from "../../src/ip.js";

/** Parsers may only fail with our typed error; anything else is a crash. */
function onlyTypedErrors(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigParseError);
  }
}

describe("parseFlags", () => {
  test.each([
    [["kube-apiserver", "--tls-cert-file=/a.crt"], "--tls-cert-file", "/a.crt"],
    [["etcd", "--cert-file", "/b.crt"], "--cert-file", "/b.crt"],
    [["etcd", "--client-cert-auth", "--trusted-ca-file=/ca"], "--client-cert-auth", "true"],
    [["x", "-v=2"], "--v", "2"],
    [["x", "--a=1", "--a=2"], "--a", "2"],
    [["x", "--empty="], "--empty", ""],
    [["x", "--url=https://h:1/?a=b"], "--url", "https://h:1/?a=b"],
  ])("%j: %s = %s", (argv, flag, value) => {
    expect(flagValue(parseFlags(argv), flag)).toBe(value);
  });

  test("repeated flags keep every value in order", () => {
    expect(parseFlags(["--k=a", "--k", "b"]).get("--k")).toEqual(["a", "b"]);
  });

  test("property: never throws, and --name=value round-trips", () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/);
    fc.assert(
      fc.property(fc.array(fc.string()), name, fc.string(), (noise, flag, value) => {
        parseFlags(noise);
        expect(flagValue(parseFlags([...noise.filter((t) => !t.startsWith("-")), `--${flag}=${value}`]), `--${flag}`)).toBe(value);
      }),
    );
  });

  test("10,000 flags parse quickly and completely", () => {
    const argv = Array.from({ length: 10_000 }, (_, i) => `--flag-${i}=value-${i}`);
    expect(parseFlags(argv).size).toBe(10_000);
  });
});

const MANIFEST = `apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver-cp-1
  annotations:
    kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint: 192.168.56.10:6443
spec:
  containers:
  - name: kube-apiserver
    command:
    - kube-apiserver
    - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt
    args: ["--etcd-servers", "https://127.0.0.1:2379"]
    volumeMounts:
    - { name: k8s-certs, mountPath: /etc/kubernetes/pki, readOnly: true }
  volumes:
  - { name: k8s-certs, hostPath: { path: /etc/kubernetes/pki, type: DirectoryOrCreate } }
`;

describe("parseStaticPod", () => {
  test("kubeadm manifest: component, flags from command and args, mounts, annotations", () => {
    const pod = parseStaticPod(MANIFEST, "/m.yaml");
    expect(pod?.component).toBe("kube-apiserver");
    expect(flagValue(pod!.flags, "--tls-cert-file")).toBe("/etc/kubernetes/pki/apiserver.crt");
    expect(flagValue(pod!.flags, "--etcd-servers")).toBe("https://127.0.0.1:2379");
    expect(pod!.hostPaths.get("k8s-certs")).toBe("/etc/kubernetes/pki");
    expect(pod!.annotations["kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint"]).toBe("192.168.56.10:6443");
  });

  test("a static pod that is not a control-plane component is ignored", () => {
    expect(parseStaticPod("kind: Pod\nspec:\n  containers:\n  - name: kube-vip\n    command: [/kube-vip, manager]\n", "/v.yaml")).toBeNull();
  });

  test("binary given by full path is recognised", () => {
    expect(parseStaticPod("spec:\n  containers:\n  - name: main\n    command: [/usr/local/bin/etcd, --name=cp-1]\n", "/e.yaml")?.component).toBe("etcd");
  });

  test.each([
    ["not YAML", "{{{{"],
    ["a scalar", "just text"],
    ["no spec", "kind: Pod\nmetadata: {}\n"],
    ["alias bomb", `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n`],
  ])("%s is a ConfigParseError", (_name, text) => {
    expect(() => parseStaticPod(text, "/bad.yaml")).toThrow(ConfigParseError);
  });

  test("property: arbitrary text and arbitrary YAML values only ever fail with ConfigParseError", () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (text) => onlyTypedErrors(() => parseStaticPod(text, "/f.yaml"))), { numRuns: 500 });
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => onlyTypedErrors(() => parseStaticPod(JSON.stringify({ kind: "Pod", spec: value }), "/f.yaml"))),
      { numRuns: 300 },
    );
  });
});

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: kubernetes
  cluster: { server: "https://192.168.56.10:6443", certificate-authority-data: Q0E= }
- name: other
  cluster: { server: "https://other:6443" }
users:
- name: system:kube-scheduler
  user: { client-certificate-data: Q0VSVA==, client-key-data: S0VZ }
- name: someone
  user: { token: s3cr3t }
contexts:
- name: system:kube-scheduler@kubernetes
  context: { cluster: kubernetes, user: system:kube-scheduler }
- name: other
  context: { cluster: other, user: someone }
current-context: system:kube-scheduler@kubernetes
`;

describe("parseKubeconfig", () => {
  test("current-context picks the user and the cluster", () => {
    const k = parseKubeconfig(KUBECONFIG, "/k.conf");
    expect(k).toMatchObject({ userName: "system:kube-scheduler", server: "https://192.168.56.10:6443", certificateAuthorityData: "Q0E=", clientCertificateData: "Q0VSVA==" });
    expect(k.usesToken).toBe(false);
  });

  test("a token user is noted, its token never kept", () => {
    const k = parseKubeconfig(KUBECONFIG.replace("current-context: system:kube-scheduler@kubernetes", "current-context: other"), "/k.conf");
    expect(k.usesToken).toBe(true);
    expect(JSON.stringify(k)).not.toContain("s3cr3t");
  });

  test("file-path credentials (kubelet.conf after kubelet-finalize)", () => {
    const text =
      "clusters:\n- name: k\n  cluster: {server: 'https://192.168.56.10:6443'}\nusers:\n- name: u\n  user:\n    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem\n    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem\ncontexts:\n- name: c\n  context: {user: u, cluster: k}\n";
    expect(parseKubeconfig(text, "/k").clientCertificate).toBe("/var/lib/kubelet/pki/kubelet-client-current.pem");
  });

  test.each([
    ["cluster", "users:\n- name: u\n  user: {}\ncontexts:\n- name: c\n  context: {user: u, cluster: k}\n"],
    ["user", "clusters:\n- name: k\n  cluster: {server: 'https://h:6443'}\ncontexts:\n- name: c\n  context: {user: u, cluster: k}\n"],
  ])("a context naming a %s the file does not define is refused, as client-go refuses it", (kind, text) => {
    expect(() => parseKubeconfig(text, "/k")).toThrow(new RegExp(`names ${kind} '[uk]', which the file does not define`));
  });

  test("property: arbitrary YAML values only ever fail with ConfigParseError", () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => onlyTypedErrors(() => parseKubeconfig(JSON.stringify(value), "/k"))), { numRuns: 500 });
  });
});

describe("parseKubeletConfig", () => {
  test("fields that name certificates and facts", () => {
    const c = parseKubeletConfig("kind: KubeletConfiguration\nauthentication:\n  x509:\n    clientCAFile: /etc/kubernetes/pki/ca.crt\nclusterDomain: corp.local.\n", "/c");
    expect(c).toMatchObject({ clientCAFile: "/etc/kubernetes/pki/ca.crt", clusterDomain: "corp.local", serverTLSBootstrap: false });
  });

  test("another kind is refused", () => {
    expect(() => parseKubeletConfig("kind: KubeProxyConfiguration\n", "/c")).toThrow(ConfigParseError);
  });
});

describe("facts", () => {
  test.each([
    ["10.96.0.0/12", "10.96.0.1"],
    ["10.112.0.0/12", "10.112.0.1"],
    ["10.96.5.7/12", "10.96.0.1"],
    ["fd00:10:96::/108,10.96.0.0/12", "fd00:10:96::1"],
    ["10.96.0.0/12,fd00::/108", "10.96.0.1"],
    ["nonsense", undefined],
    ["300.1.1.1/8", undefined],
  ])("first service IP of %s is %s", (cidr, ip) => {
    expect(firstServiceIP(cidr)).toBe(ip);
  });

  test.each([
    ["::1", "::1"],
    ["0:0:0:0:0:0:0:1", "::1"],
    ["[fd00::1]", "fd00::1"],
    ["127.0.0.1", "127.0.0.1"],
    ["kubernetes", null],
    ["010.0.0.1", null],
    ["256.1.1.1", null],
    ["1.2.3", null],
    ["fe80::1%eth0", null],
    ["1:2:3:4:5:6:7:8:9", null],
    ["FD00:0:0:0:0:0:0:A", "fd00::a"],
    ["1:0:0:2:0:0:0:3", "1:0:0:2::3"],
  ])("normalizeIP(%s) = %s", (ip, normal) => {
    expect(normalizeIP(ip)).toBe(normal);
  });

  test("property: normalizeIP accepts what node:net accepts as an IP (zones and dotted IPv6 tails aside), and its result is a fixed point", () => {
    const candidate = fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended(), fc.string({ maxLength: 20 }), fc.domain());
    fc.assert(
      fc.property(candidate, (text) => {
        const normal = normalizeIP(text);
        const expected = isIP(text) !== 0 && !text.includes("%") && !(text.includes(":") && text.includes("."));
        expect(normal !== null).toBe(expected);
        if (normal !== null) {
          expect(normalizeIP(normal)).toBe(normal);
          expect(isIP(normal)).toBe(isIP(text));
        }
      }),
      { numRuns: 3000 },
    );
  });

  test("URL hosts, IPv6 brackets removed, duplicates dropped", () => {
    expect(urlHosts("https://127.0.0.1:2379,https://[::1]:2379,https://127.0.0.1:2379,garbage")).toEqual(["127.0.0.1", "::1"]);
  });

  test("facts come from the manifests, then the hostname", () => {
    const facts = deriveFacts({
      hostname: "CP-1",
      apiserverFlags: parseFlags(["--advertise-address=10.0.0.15", "--service-cluster-ip-range=10.112.0.0/12", "--service-account-issuer=https://kubernetes.default.svc.corp.local", "--etcd-servers=https://127.0.0.1:2379"]),
    });
    expect(facts).toEqual({ hostname: "CP-1", nodeName: "cp-1", advertiseAddress: "10.0.0.15", serviceIP: "10.112.0.1", clusterDomain: "corp.local", etcdServerHosts: ["127.0.0.1"] });
  });

  test("without --service-cluster-ip-range the API server's default 10.0.0.0/24 gives the Service IP 10.0.0.1", () => {
    expect(deriveFacts({ apiserverFlags: parseFlags(["--advertise-address=10.0.0.15"]) }).serviceIP).toBe("10.0.0.1");
    // No API server here: nothing to say about its Service.
    expect(deriveFacts({ hostname: "worker-1" }).serviceIP).toBeUndefined();
  });

  test("the advertise address falls back to kubeadm's annotation", () => {
    expect(deriveFacts({ apiserverAnnotations: { "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint": "[fd00::10]:6443" } }).advertiseAddress).toBe("fd00::10");
  });
});

describe("parseYamlDocument", () => {
  test("the same text is parsed once: a fleet's identical kubeconfigs share one document", () => {
    const text = "clusters:\n- name: k\n  cluster: {server: 'https://10.0.0.1:6443'}\n";
    expect(parseYamlDocument(text, "/node-1/admin.conf")).toBe(parseYamlDocument(text, "/node-2/admin.conf"));
  });

  test("a failure is not remembered: each file's error names that file", () => {
    const text = "key: [unclosed\n";
    expect(() => parseYamlDocument(text, "/node-1/a.yaml")).toThrow(/\/node-1\/a\.yaml is not valid YAML/);
    expect(() => parseYamlDocument(text, "/node-2/a.yaml")).toThrow(/\/node-2\/a\.yaml is not valid YAML/);
  });

  test("aliases that expand past a million nodes are refused, as go-yaml refuses them", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 7; i++) levels.push(`${"abcdefg"[i]}: &${"abcdefg"[i]} [${Array(10).fill(`*${"abcdefg"[i - 1]}`).join(", ")}]`);
    expect(() => parseYamlDocument(levels.join("\n") + "\n", "/bomb.yaml")).toThrow(/aliases expand to more than/);
    // Ten aliases of a small list are fine.
    expect(() => parseYamlDocument(levels.slice(0, 2).join("\n") + "\n", "/fine.yaml")).not.toThrow();
  });
});
