/**
 * What a correct audit of each sample reports at {@link AUDIT_AT}, reasoned from the spec and the
 * sources kubeadm's behaviour is documented in (kubeadm's cmd/kubeadm/app source, client-go, kubelet), not from any
 * tool's output. The
 * sample READMEs are rendered from this data, and tests can import it.
 *
 * Paths are as the node sees them (absolute; an auditor resolves them inside `--root`).
 */

/** The audit time the samples are documented for (`--at`). */
export const AUDIT_AT = "2026-06-01T00:00:00Z";

export type Severity = "info" | "warning" | "critical";

/** Finding ids of the catalogue the samples are documented against. */
export type FindingId =
  | "cert-expired" | "cert-not-yet-valid" | "cert-expiring"
  | "cn-mismatch" | "o-mismatch" | "san-missing" | "ext-key-usage-missing" | "key-usage-missing"
  | "issuer-mismatch" | "ca-inconsistent" | "key-mismatch"
  | "ca-not-ca" | "ca-outlived" | "weak-key" | "weak-signature" | "file-missing" | "not-mounted"
  | "trust-edge-broken" | "front-proxy-name-not-allowed" | "front-proxy-ca-shared" | "insecure-setting" | "file-permissions";

/** A finding a correct audit must report. */
export interface ExpectedFinding {
  id: FindingId;
  severity: Severity;
  component: string;
  path: string;
  /** The flag, or kubeconfig field, through which the component uses the file. */
  flag: string;
  expected: string;
  actual: string;
  /** Why it must be reported: the consequence on a real node. */
  why: string;
  /** Name of the fault in spec.ts that causes it. */
  fault: string;
}

/** A finding a correct audit may add, with the reason it is correct but not required. */
export interface OptionalFinding {
  id: FindingId;
  severity: Severity;
  component: string;
  path: string;
  flag: string;
  note: string;
}

/** Everything a sample README states about the audit result. */
export interface SampleExpectations {
  /** Exit code at {@link AUDIT_AT}: 0 nothing worse than info, 1 a warning, 2 a critical. */
  exitCode: 0 | 1 | 2;
  findings: ExpectedFinding[];
  mayReport: OptionalFinding[];
  /** Things that look suspicious but are correct, so must not produce a warning or critical finding. */
  mustNotReport: string[];
  /**
   * Certificate files (node paths; kubeconfigs for their embedded certificate) on which a correct audit must
   * report nothing worse than info ({@link SampleExpectations.mayReport} aside).
   */
  clean: string[];
}

const PKI = "/etc/kubernetes/pki";

/** Observations common to both samples: kubeadm behaviour an auditor must not flag as a fault. */
const KUBEADM_NORMAL: string[] = [
  "`/var/lib/kubelet/pki/kubelet.crt` is self-signed by a throw-away CA (`cp-1-ca@1768471200`, the second PEM block) and no " +
    "`--kubelet-certificate-authority` is set, so nothing verifies it; that is kubeadm's default (kubelet `InitializeTLS` with " +
    "client-go `GenerateSelfSignedCertKey`; kubeadm's `manifests.go` sets no kubelet CA; kubernetes/kubernetes#99418). At most info.",
  "`kubelet.crt` and its CA are valid from 2026-01-15T09:00:00Z (client-go backdates an hour) and are never renewed automatically; " +
    "at the audit time they have 228 days left. At most info.",
  "The kubelet client certificate has an ECDSA P-256 key and key usage digitalSignature only: kubelets request keyEncipherment " +
    "for RSA keys only since v1.27 (kubernetes/kubernetes#111660), and digitalSignature is the usage TLS client authentication " +
    "needs. No `key-usage-missing`.",
  "`/etc/kubernetes/kubelet.conf` names `/var/lib/kubelet/pki/kubelet-client-current.pem` for both `client-certificate` and " +
    "`client-key`; that path is an absolute symlink that must be resolved inside `--root` to `kubelet-client-2026-01-15-10-00-00.pem`, " +
    "which holds the certificate followed by its `EC PRIVATE KEY`.",
  "`/etc/kubernetes/bootstrap-kubelet.conf`, named by `--bootstrap-kubeconfig` in the kubelet drop-in, does not exist: on an init node " +
    "kubeadm writes `kubelet.conf` directly, and the kubelet reads the bootstrap kubeconfig only when `kubelet.conf` is missing or " +
    "unusable. Not a `file-missing` worse than info. Likewise `EnvironmentFile=-/etc/default/kubelet` is optional (the `-`) and absent.",
  "Directories that only hostPath volumes or non-certificate flags name (`/var/lib/etcd`, `/etc/ssl/certs`, `/etc/ca-certificates`, " +
    "`/usr/share/ca-certificates`, `/usr/local/share/ca-certificates`, the flexvolume directory) are not in the tree: git keeps no " +
    "empty directories, and kubeadm's `DirectoryOrCreate` volumes create them. They hold no certificate this audit reads.",
  "`super-admin.conf` carries O `system:masters`, which bypasses RBAC: that is what kubeadm ≥1.29 writes on the init node " +
    "(kubeadm `kubeconfig.go`, KEP-4214). At most info.",
  "Leaf certificates have an authorityKeyIdentifier and no subjectKeyIdentifier; CAs have a subjectKeyIdentifier and no " +
    "authorityKeyIdentifier. That is what Go's x509 package writes for kubeadm's templates.",
];

const ALL_CERTS = [
  `${PKI}/ca.crt`, `${PKI}/apiserver.crt`, `${PKI}/apiserver-kubelet-client.crt`, `${PKI}/front-proxy-ca.crt`,
  `${PKI}/front-proxy-client.crt`, `${PKI}/apiserver-etcd-client.crt`, `${PKI}/etcd/ca.crt`, `${PKI}/etcd/server.crt`,
  `${PKI}/etcd/peer.crt`, `${PKI}/etcd/healthcheck-client.crt`, "/etc/kubernetes/admin.conf", "/etc/kubernetes/super-admin.conf",
  "/etc/kubernetes/controller-manager.conf", "/etc/kubernetes/scheduler.conf",
  "/var/lib/kubelet/pki/kubelet-client-2026-01-15-10-00-00.pem", "/var/lib/kubelet/pki/kubelet.crt",
];

const HEALTHY: SampleExpectations = {
  exitCode: 0,
  findings: [],
  mayReport: [],
  mustNotReport: [
    "Every certificate is valid at the audit time: leaves until 2027-01-15T10:00:00Z (228 days left), CAs until " +
      "2036-01-13T10:00:00Z; nothing is inside the 30-day warning window.",
    "Every certificate verifies against the CA its consumer is configured with; every key matches its certificate; `sa.pub` is the " +
      "public half of `sa.key`; every file a static pod flag names exists and is covered by one of the pod's volumeMounts.",
    ...KUBEADM_NORMAL,
  ],
  clean: ALL_CERTS,
};

const BROKEN: SampleExpectations = {
  exitCode: 2,
  findings: [
    {
      id: "ca-inconsistent", severity: "critical", component: "etcd", path: `${PKI}/etcd/ca-old.crt`, flag: "--trusted-ca-file",
      expected: `the etcd CA that --peer-trusted-ca-file and kube-apiserver --etcd-cafile name (${PKI}/etcd/ca.crt)`,
      actual: "another certificate with the same CN etcd-ca: its own key, serial 7b50f924020704b8, issued 2025-01-10",
      why: "kubeadm points etcd's --trusted-ca-file and --peer-trusted-ca-file and the API server's --etcd-cafile at one etcd CA " +
        "(kubeadm `phases/etcd/local.go`, `phases/controlplane/manifests.go`). ca-old.crt is a different CA that signed nothing " +
        "on this node, so etcd would reject every client certificate the current etcd CA issues. One finding for the etcd-ca role.",
      fault: "etcd-trusts-old-ca",
    },
    {
      id: "issuer-mismatch", severity: "critical", component: "kube-apiserver", path: `${PKI}/apiserver-etcd-client.crt`,
      flag: "--etcd-certfile",
      expected: `signed by etcd-ca (${PKI}/etcd/ca.crt)`,
      actual: `signed by kubernetes (${PKI}/ca.crt); issuer DN CN=kubernetes`,
      why: "kubeadm issues the API server's etcd client certificate under etcd-ca (kubeadm `phases/certs/certlist.go`), the CA " +
        "etcd verifies clients with. This certificate verifies against ca.crt only, not against etcd/ca.crt and not against " +
        "ca-old.crt either, so etcd refuses the handshake (tls: bad certificate) and the API server cannot reach its storage.",
      fault: "etcd-client-wrong-ca",
    },
    {
      id: "san-missing", severity: "critical", component: "kube-apiserver", path: `${PKI}/apiserver.crt`, flag: "--tls-cert-file",
      expected: "IP SAN 10.96.0.1 (first address of --service-cluster-ip-range 10.96.0.0/12)",
      actual: "IP SANs 192.168.56.10 only",
      why: "Pods reach the API server through the kubernetes service VIP, so kubeadm adds it (`pkiutil.GetAPIServerAltNames`). Without it " +
        "every in-cluster client fails with \"x509: certificate is valid for 192.168.56.10, not 10.96.0.1\".",
      fault: "apiserver-missing-service-ip",
    },
    {
      id: "o-mismatch", severity: "critical", component: "kube-apiserver", path: `${PKI}/apiserver-kubelet-client.crt`,
      flag: "--kubelet-client-certificate",
      expected: "O kubeadm:cluster-admins (kubeadm ≥1.29; system:masters before)",
      actual: "O kubeadm:cluster-admin",
      why: "Kubelets authorize the API server's requests (logs, exec, port-forward) by a SubjectAccessReview for this " +
        "certificate's user and groups (kubelet webhook authorization). kubeadm binds the group kubeadm:cluster-admins to cluster-admin; " +
        "kubeadm:cluster-admin matches no binding, so kubectl logs and exec are forbidden.",
      fault: "kubelet-client-wrong-group",
    },
    {
      id: "cert-expired", severity: "critical", component: "kube-apiserver", path: `${PKI}/front-proxy-client.crt`,
      flag: "--proxy-client-cert-file",
      expected: "valid at 2026-06-01T00:00:00Z",
      actual: "notAfter 2026-05-01T10:00:00Z (expired 30 days 14 hours earlier)",
      why: "The aggregator presents this certificate to every extension API server, which checks it against its requestheader CA; expired, it is " +
        "rejected and aggregated APIs such as metrics.k8s.io fail.",
      fault: "front-proxy-client-expired",
    },
    {
      id: "cn-mismatch", severity: "critical", component: "kube-scheduler", path: "/etc/kubernetes/scheduler.conf",
      flag: "client-certificate-data",
      expected: "CN system:kube-scheduler",
      actual: "CN kube-scheduler",
      why: "The kubeconfig user system:kube-scheduler, used through --kubeconfig, --authentication-kubeconfig and --authorization-kubeconfig. The API server takes the user name from the CN, and RBAC's default binding system:kube-scheduler names the user " +
        "system:kube-scheduler (kubeadm `kubeconfig.go` issues exactly that CN). As kube-scheduler it has no rights to watch or bind pods. " +
        "Critical because Kubernetes authorizes by this CN.",
      fault: "scheduler-wrong-cn",
    },
    {
      id: "key-mismatch", severity: "critical", component: "etcd", path: `${PKI}/etcd/peer.key`, flag: "--peer-key-file",
      expected: `the private key of ${PKI}/etcd/peer.crt (--peer-cert-file)`,
      actual: "a different RSA-2048 key (moduli differ)",
      why: "etcd loads --peer-cert-file and --peer-key-file as one TLS pair; with a foreign key it fails with \"tls: private key " +
        "does not match public key\" and etcd does not start.",
      fault: "etcd-peer-key-mismatch",
    },
    {
      id: "cert-expiring", severity: "warning", component: "kube-controller-manager", path: "/etc/kubernetes/controller-manager.conf",
      flag: "client-certificate-data",
      expected: "more than 30 days left",
      actual: "notAfter 2026-06-20T10:00:00Z: 19 days 10 hours left",
      why: "The kubeconfig user system:kube-controller-manager, used through --kubeconfig, --authentication-kubeconfig and --authorization-kubeconfig. Inside the 30-day warning window, outside the 7-day critical one. When it expires the controller manager loses API " +
        "access: no node lifecycle, no CSR signing (so no kubelet certificate rotation), no service-account tokens.",
      fault: "controller-manager-conf-expiring",
    },
    {
      id: "trust-edge-broken", severity: "critical", component: "kube-apiserver", path: `${PKI}/apiserver-etcd-client.crt`, flag: "--etcd-certfile",
      expected: "kube-apiserver and etcd trust each other's certificates",
      actual: "etcd --trusted-ca-file names ca-old.crt, which did not sign the API server's client certificate (ca.crt did)",
      why: "The connection kube-apiserver → etcd, seen end to end: etcd verifies the API server's client certificate against " +
        "--trusted-ca-file. Faults 1 and 2 both break it (etcd trusts only ca-old.crt; the certificate comes from the cluster CA), " +
        "so the API server cannot reach its storage with 'tls: bad certificate'. The fix is to re-issue the certificate from etcd-ca " +
        "and point --trusted-ca-file back at etcd/ca.crt.",
      fault: "etcd-trusts-old-ca",
    },
    {
      id: "trust-edge-broken", severity: "critical", component: "etcdctl", path: `${PKI}/etcd/healthcheck-client.crt`, flag: "",
      expected: "kubeadm's etcd client and etcd trust each other's certificates",
      actual: "etcd --trusted-ca-file names ca-old.crt, which did not sign healthcheck-client.crt (etcd/ca.crt did)",
      why: "kubeadm's own etcd client (join, upgrade, reset) and etcdctl present healthcheck-client.crt, a perfectly good certificate " +
        "from the current etcd CA; with fault 1, etcd rejects it. The fix is only fault 1's: point --trusted-ca-file at etcd/ca.crt.",
      fault: "etcd-trusts-old-ca",
    },
    {
      id: "trust-edge-broken", severity: "critical", component: "kube-apiserver", path: `${PKI}/apiserver.crt`, flag: "--tls-cert-file",
      expected: "the API server certificate carries every name pods dial",
      actual: "10.96.0.1 (the kubernetes Service IP) is not a SAN",
      why: "The connection pods → kube-apiserver through the kubernetes Service: in-cluster clients dial the Service IP and " +
        "verify with kube-root-ca.crt (--root-ca-file). Fault 3 removes that IP from the certificate, so every in-cluster client " +
        "fails TLS verification. Same cause as the san-missing finding, seen as the connection that breaks.",
      fault: "apiserver-missing-service-ip",
    },
  ],
  mayReport: [
    {
      id: "issuer-mismatch", severity: "critical", component: "etcd", path: `${PKI}/apiserver-etcd-client.crt`, flag: "--trusted-ca-file",
      note: "The same certificate seen from etcd's side of the trust edge kube-apiserver → etcd: it does not verify against the CA etcd " +
        "trusts (ca-old.crt). Correct; an auditor may fold it into the required issuer-mismatch or the ca-inconsistent finding.",
    },
    {
      id: "issuer-mismatch", severity: "critical", component: "etcd", path: `${PKI}/etcd/healthcheck-client.crt`, flag: "--trusted-ca-file",
      note: "No flag names the healthcheck client; kubeadm's own etcd client (join, upgrade, reset) and etcdctl use it. It is signed by the current etcd CA, " +
        "so etcd with ca-old.crt would reject it. A trust-graph check that models this edge reports it; it is a consequence of fault 1.",
    },
    {
      id: "issuer-mismatch", severity: "critical", component: "etcd", path: `${PKI}/etcd/server.crt`, flag: "--trusted-ca-file",
      note: "etcd also presents its serving certificate as a client to its own client port, which is why kubeadm gives it " +
        "clientAuth (etcd-io/etcd#9785, comment in kubeadm `certlist.go`). That client too would fail against ca-old.crt. A consequence of fault 1.",
    },
  ],
  mustNotReport: [
    "`etcd/ca-old.crt` itself is a well-formed CA (CA:TRUE, keyCertSign, DNS SAN etcd-ca, RSA-2048, valid 2025-01-10T09:55:00Z to " +
      "2035-01-08T10:00:00Z): no `ca-not-ca`, no `cert-expired`, no `ca-outlived` (it signed nothing). It exists and `/etc/kubernetes/pki/etcd` " +
      "is mounted into etcd (volume etcd-certs): no `file-missing`, no `not-mounted`. There is no `ca-old.key` on the node; none is needed.",
    "`apiserver-etcd-client.crt` has the right subject (CN kube-apiserver-etcd-client, no O), EKU clientAuth and a one-year validity; its " +
      "own issuer DN is CN=kubernetes and its authorityKeyIdentifier is ca.crt's subjectKeyIdentifier, so both a name lookup and a " +
      "signature check find ca.crt. Only `issuer-mismatch`; not `ca-outlived` (it ends 2027-01-15, ca.crt 2036-01-13).",
    "`front-proxy-client.crt` is reported as `cert-expired` only, not also `cert-expiring`. Its notBefore (2025-05-01T09:55:00Z) is earlier " +
      "than its CA's (2026-01-15T09:55:00Z), which cannot happen on a real node; no catalogue finding covers it, and path validation " +
      "only asks that each certificate be valid at the audit time.",
    "`etcd/peer.crt` is correct (CN cp-1, SANs cp-1, localhost, 192.168.56.10, 127.0.0.1, ::1, both EKUs, signed by etcd-ca); only " +
      "its key file is wrong, so one `key-mismatch` and nothing on the certificate.",
    "`apiserver.crt` still carries every DNS SAN and the advertise address, so kubeconfigs that dial https://192.168.56.10:6443 are fine; " +
      "the only missing SAN is 10.96.0.1.",
    "`scheduler.conf` and `controller-manager.conf` are otherwise correct: signed by ca.crt, clientAuth, and their " +
      "certificate-authority-data equals ca.crt.",
    ...KUBEADM_NORMAL,
  ],
  clean: [
    `${PKI}/ca.crt`, `${PKI}/front-proxy-ca.crt`, `${PKI}/etcd/ca.crt`, `${PKI}/etcd/server.crt`, `${PKI}/etcd/peer.crt`,
    `${PKI}/etcd/healthcheck-client.crt`, "/etc/kubernetes/admin.conf", "/etc/kubernetes/super-admin.conf",
    "/var/lib/kubelet/pki/kubelet-client-2026-01-15-10-00-00.pem", "/var/lib/kubelet/pki/kubelet.crt",
  ],
};

/** Expectations by sample name. */
export const EXPECTATIONS: Readonly<Record<string, SampleExpectations>> = {
  "kubeadm-healthy": HEALTHY,
  "kubeadm-broken": BROKEN,
};
