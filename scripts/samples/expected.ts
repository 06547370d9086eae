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
  | "trust-edge-broken" | "front-proxy-name-not-allowed" | "front-proxy-ca-shared" | "insecure-setting" | "file-permissions"
  | "unresolved-variable";

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

/** Observations common to every sample: kubeadm behaviour an auditor must not flag as a fault. */
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
      id: "trust-edge-broken", severity: "critical", component: "etcd", path: `${PKI}/etcd/ca-old.crt`, flag: "--trusted-ca-file",
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

const TRUST_BROKEN: SampleExpectations = {
  exitCode: 2,
  findings: [
    {
      id: "ca-inconsistent", severity: "critical", component: "kubelet", path: "/etc/kubernetes/kubelet.conf", flag: "certificate-authority-data",
      expected: `the cluster CA that kube-apiserver --client-ca-file and the other four kubeconfigs name (${PKI}/ca.crt)`,
      actual: "another cluster's CA with the same CN kubernetes: its own key, serial 3d9a64c1b2e07f58, issued 2025-09-02",
      why: "kubeadm embeds the first certificate of ca.crt as certificate-authority-data in every kubeconfig it writes (kubeadm " +
        "`phases/kubeconfig/kubeconfig.go`, `buildKubeConfigFromSpec`), so the kubeconfig CA is part of the cluster CA role. kubelet.conf's " +
        "is a different CA that merely shares the CN kubernetes; only its key tells it apart. One finding for the odd reference of role ca.",
      fault: "kubelet-conf-foreign-ca",
    },
    {
      id: "trust-edge-broken", severity: "critical", component: "kubelet", path: "/etc/kubernetes/kubelet.conf", flag: "certificate-authority-data",
      expected: "the kubelet and kube-apiserver trust each other's certificates",
      actual: "apiserver.crt (signed by ca.crt) does not verify against kubelet.conf's certificate-authority-data (the other cluster's CA)",
      why: "The connection kubelet → kube-apiserver: the kubelet's own client certificate is fine (ca.crt signed it, and --client-ca-file " +
        "is ca.crt), but the kubelet verifies the API server's serving certificate with the foreign CA and fails with \"x509: certificate " +
        "signed by unknown authority\": the node goes NotReady at the next reconnect. apiserver.crt is exactly what kubeadm issues, so the " +
        "fix, and the anchor, is kubelet.conf's certificate-authority-data (base64 of ca.crt), not a re-issue of apiserver.crt.",
      fault: "kubelet-conf-foreign-ca",
    },
    {
      id: "issuer-mismatch", severity: "critical", component: "admin.conf", path: "/etc/kubernetes/admin.conf", flag: "client-certificate-data",
      expected: `signed by ca: CN=kubernetes (${PKI}/ca.crt)`,
      actual: `signed by CN=front-proxy-ca (${PKI}/front-proxy-ca.crt)`,
      why: "kubeadm issues admin.conf's client certificate from the cluster CA (`kubeconfig.go`), the CA the API server authenticates " +
        "x509 clients with (--client-ca-file). This one verifies only against front-proxy-ca.crt. That fault 5 also makes " +
        "--root-ca-file name front-proxy-ca.crt does not turn it into a cluster CA: the node agrees on ca.crt (--client-ca-file of " +
        "both kube-apiserver and kube-controller-manager, and four kubeconfigs), and the CA a role requires is that one.",
      fault: "admin-conf-signed-by-front-proxy-ca",
    },
    {
      id: "trust-edge-broken", severity: "critical", component: "admin.conf", path: "/etc/kubernetes/admin.conf", flag: "client-certificate-data",
      expected: "kubectl with admin.conf and kube-apiserver trust each other's certificates",
      actual: "kube-apiserver --client-ca-file (ca.crt) did not sign admin.conf's client certificate (front-proxy-ca.crt did)",
      why: "The connection kubectl → kube-apiserver with admin.conf: the API server rejects the client certificate and kubectl gets " +
        "\"error: You must be logged in to the server (Unauthorized)\". The certificate is the wrong end: re-issue it " +
        "(`kubeadm certs renew admin.conf` issues it from ca.crt).",
      fault: "admin-conf-signed-by-front-proxy-ca",
    },
    {
      id: "san-missing", severity: "critical", component: "etcd", path: `${PKI}/etcd/peer.crt`, flag: "--peer-cert-file",
      expected: "IP SAN 192.168.56.10 (the advertise address, host of --initial-advertise-peer-urls https://192.168.56.10:2380)",
      actual: "IP SANs 127.0.0.1, ::1 only",
      why: "kubeadm's peer certificate carries the node name, localhost, the advertise address, 127.0.0.1 and ::1 " +
        "(`pkiutil.GetEtcdPeerAltNames`). Other members dial this one at its advertised peer URL and check the host against these SANs; " +
        "since etcd v3.2 a member also checks a connecting peer's source IP against the IP SANs of its client certificate.",
      fault: "etcd-peer-missing-advertise-ip",
    },
    {
      id: "trust-edge-broken", severity: "critical", component: "etcd", path: `${PKI}/etcd/peer.crt`, flag: "--peer-cert-file",
      expected: "etcd members trust each other's peer certificates and find the dialed host in them",
      actual: "the peer URL host 192.168.56.10 is not a SAN of etcd/peer.crt",
      why: "The connection etcd member ↔ member on port 2380. This single member keeps running, but the next control-plane node " +
        "(`kubeadm join --control-plane` adds an etcd member) cannot talk to it: \"x509: certificate is valid for 127.0.0.1, ::1, not " +
        "192.168.56.10\", and the join fails or quorum is lost. Re-issue peer.crt with the advertise address.",
      fault: "etcd-peer-missing-advertise-ip",
    },
    {
      id: "ca-inconsistent", severity: "critical", component: "kube-controller-manager", path: `${PKI}/csr-signer.crt`,
      flag: "--cluster-signing-cert-file",
      expected: `the cluster CA of kube-apiserver --client-ca-file (${PKI}/ca.crt), as kubeadm sets it`,
      actual: "a separate self-signed CA, CN csr-signer, serial 6e21b0f7c4a8d913, in no bundle the API server trusts",
      why: "kubeadm points --cluster-signing-cert-file and --cluster-signing-key-file at ca.crt and ca.key (`manifests.go`) so that " +
        "certificates the controller manager issues through the CSR API (kubelet bootstrap and rotation, kube-apiserver-client " +
        "signers) are accepted by the API server's --client-ca-file. csr-signer.crt is a third CA for the cluster CA role.",
      fault: "csr-signer-not-client-ca",
    },
    {
      id: "trust-edge-broken", severity: "critical", component: "kube-controller-manager", path: `${PKI}/csr-signer.crt`,
      flag: "--cluster-signing-cert-file",
      expected: "certificates kube-controller-manager signs verify against kube-apiserver --client-ca-file",
      actual: "kube-apiserver --client-ca-file (ca.crt) does not hold csr-signer.crt",
      why: "Nothing fails today: the kubelet's current client certificate was signed by ca.crt. But the kubelet rotates it at a " +
        "random point between 70% and 90% of its lifetime (client-go certificate manager), here between 2026-09-27 and 2026-12-09; the " +
        "new certificate comes from csr-signer, the API server answers Unauthorized and the node goes NotReady. A new node's TLS " +
        "bootstrap fails at once. The fix is the controller manager's flag pair (or adding csr-signer.crt to --client-ca-file).",
      fault: "csr-signer-not-client-ca",
    },
    {
      id: "ca-inconsistent", severity: "critical", component: "kube-controller-manager", path: `${PKI}/front-proxy-ca.crt`, flag: "--root-ca-file",
      expected: `the cluster CA (${PKI}/ca.crt)`,
      actual: "front-proxy-ca.crt (CN front-proxy-ca)",
      why: "--root-ca-file is the CA the controller manager publishes to every namespace as ConfigMap kube-root-ca.crt and projects " +
        "into service-account token volumes as ca.crt; kubeadm sets it to ca.crt (`manifests.go`), the CA that signed apiserver.crt.",
      fault: "root-ca-is-front-proxy-ca",
    },
    {
      id: "trust-edge-broken", severity: "critical", component: "kube-controller-manager", path: `${PKI}/front-proxy-ca.crt`, flag: "--root-ca-file",
      expected: "pods verify the API server's certificate with kube-root-ca.crt",
      actual: "apiserver.crt (signed by ca.crt) does not verify against --root-ca-file (front-proxy-ca.crt)",
      why: "The connection pods → kube-apiserver through the kubernetes Service: in-cluster clients (CoreDNS, operators, anything " +
        "with a service account) verify apiserver.crt with kube-root-ca.crt and fail with \"x509: certificate signed by unknown " +
        "authority\". apiserver.crt is correct and carries every Service name and IP; the fix, and the anchor, is --root-ca-file.",
      fault: "root-ca-is-front-proxy-ca",
    },
    {
      id: "ca-inconsistent", severity: "critical", component: "kubelet", path: `${PKI}/etcd/ca.crt`, flag: "authentication.x509.clientCAFile",
      expected: `the cluster CA (${PKI}/ca.crt), as kubeadm writes it into /var/lib/kubelet/config.yaml`,
      actual: "etcd/ca.crt (CN etcd-ca)",
      why: "The kubelet authenticates x509 clients, the API server first, against clientCAFile; kubeadm sets it to ca.crt " +
        "(`componentconfigs/kubelet.go`). The etcd CA signed only etcd's certificates and the API server's etcd client.",
      fault: "kubelet-client-ca-is-etcd-ca",
    },
    {
      id: "trust-edge-broken", severity: "critical", component: "kubelet", path: `${PKI}/etcd/ca.crt`, flag: "authentication.x509.clientCAFile",
      expected: "the kubelet verifies the API server's client certificate with the CA that signed it",
      actual: "apiserver-kubelet-client.crt (signed by ca.crt) does not verify against clientCAFile (etcd/ca.crt)",
      why: "The connection kube-apiserver → kubelet (port 10250): the API server presents apiserver-kubelet-client.crt, issued from " +
        "ca.crt exactly as kubeadm does; the kubelet cannot authenticate it, anonymous requests are off, so kubectl logs, exec, attach " +
        "and port-forward get 401 Unauthorized. The certificate is right: the fix, and the anchor, is the kubelet's clientCAFile.",
      fault: "kubelet-client-ca-is-etcd-ca",
    },
    {
      id: "issuer-mismatch", severity: "critical", component: "kube-apiserver", path: `${PKI}/front-proxy-client.crt`,
      flag: "--proxy-client-cert-file",
      expected: `signed by front-proxy-ca: CN=front-proxy-ca (${PKI}/front-proxy-ca.crt)`,
      actual: `signed by CN=kubernetes (${PKI}/ca.crt)`,
      why: "kubeadm issues the aggregator's client certificate from front-proxy-ca (`certlist.go`), the CA extension API servers " +
        "trust for proxied requests. Signed by the cluster CA it is useless there, and it is also a valid ordinary client certificate " +
        "for the API server as user front-proxy-client, which a front-proxy certificate should never be.",
      fault: "front-proxy-client-signed-by-ca",
    },
    {
      id: "trust-edge-broken", severity: "critical", component: "kube-apiserver", path: `${PKI}/front-proxy-client.crt`,
      flag: "--proxy-client-cert-file",
      expected: "extension API servers verify the aggregator's client certificate with the requestheader CA",
      actual: "--requestheader-client-ca-file (front-proxy-ca.crt) did not sign front-proxy-client.crt (ca.crt did)",
      why: "The connection aggregator → extension API servers: they verify the aggregator's certificate against the requestheader CA " +
        "published in ConfigMap kube-system/extension-apiserver-authentication (front-proxy-ca.crt) and reject it, so metrics.k8s.io and " +
        "every other aggregated API fail (kubectl top, HPA). The certificate is the wrong end: re-issue it from front-proxy-ca.",
      fault: "front-proxy-client-signed-by-ca",
    },
    {
      id: "key-mismatch", severity: "critical", component: "kube-apiserver", path: `${PKI}/sa.key`, flag: "--service-account-signing-key-file",
      expected: `public half in kube-apiserver --service-account-key-file (${PKI}/sa.pub)`,
      actual: "sa.pub holds the public half of a different RSA-2048 key",
      why: "The API server signs every bound service-account token (TokenRequest, projected volumes) with sa.key and verifies every " +
        "token only with --service-account-key-file: its own tokens fail, and every pod's API call is 401 Unauthorized. kubeadm writes " +
        "the two halves together and only checks that both load (`certs.go`, `validatePrivatePublicKey`).",
      fault: "sa-pub-not-sa-key",
    },
    {
      id: "key-mismatch", severity: "critical", component: "kube-controller-manager", path: `${PKI}/sa.key`,
      flag: "--service-account-private-key-file",
      expected: `public half in kube-apiserver --service-account-key-file (${PKI}/sa.pub)`,
      actual: "sa.pub holds the public half of a different RSA-2048 key",
      why: "The controller manager signs the legacy tokens of kubernetes.io/service-account-token Secrets with sa.key; the API server " +
        "rejects those too. Same pair, second signer: one fix (`openssl pkey -in sa.key -pubout -out sa.pub`) mends both.",
      fault: "sa-pub-not-sa-key",
    },
    {
      id: "trust-edge-broken", severity: "critical", component: "kube-scheduler", path: "/etc/kubernetes/scheduler.conf", flag: "server",
      expected: "https://192.168.56.10:6443, the local endpoint kubeadm writes into scheduler.conf (a SAN of apiserver.crt)",
      actual: "server https://cp-1.example.internal:6443; cp-1.example.internal is not a SAN of apiserver.crt",
      why: "kubeadm ≥1.20 points scheduler.conf at the local API endpoint https://<advertise address>:6443 (`kubeconfig.go`, " +
        "kubernetes/kubernetes#94398). apiserver.crt carries every name kubeadm gives it and cp-1.example.internal is none of them, so " +
        "the scheduler fails hostname verification and new pods stay Pending. The kubeconfig departs from kubeadm's layout, so the fix " +
        "and the anchor are its server: field (adding the name to apiServer.certSANs and re-issuing apiserver.crt works too, if the " +
        "name is wanted).",
      fault: "scheduler-conf-unknown-server",
    },
  ],
  mayReport: [],
  mustNotReport: [
    "A correctly issued certificate is never blamed for a connection that another end breaks: apiserver.crt (faults 1, 5, 9) and " +
      "apiserver-kubelet-client.crt (fault 6) are exactly what kubeadm issues, so no `issuer-mismatch` or `san-missing` on them, and " +
      "no `trust-edge-broken` anchored on them telling the reader to re-issue them.",
    "`apiserver.crt` has every SAN kubeadm derives from the facts (cp-1, kubernetes, kubernetes.default, kubernetes.default.svc, " +
      "kubernetes.default.svc.cluster.local, 10.96.0.1, 192.168.56.10): no `san-missing`. The name scheduler.conf dials is fault 9, in " +
      "the kubeconfig.",
    "front-proxy-ca.crt (--root-ca-file), etcd/ca.crt (the kubelet's clientCAFile) and csr-signer.crt (--cluster-signing-cert-file) now " +
      "stand where the cluster CA is expected; their CNs are not kubernetes, which is at most info: the faults are the `ca-inconsistent` " +
      "and `trust-edge-broken` findings above, not a `cn-mismatch` worse than info. Being named there does not make them cluster CAs " +
      "that may sign the cluster's client certificates.",
    "The other cluster's CA in kubelet.conf is a well-formed kubeadm CA (CN kubernetes, CA:TRUE, keyCertSign, DNS SAN kubernetes, " +
      "RSA-2048, valid 2025-09-02T08:25:00Z to 2035-08-31T08:30:00Z): no `ca-not-ca`, `cert-expired` or `cn-mismatch`. Its CN equals " +
      "ca.crt's; only its key differs, which is the point.",
    "`csr-signer.crt` and `csr-signer.key` are a matching, well-formed CA pair (CN csr-signer, valid 2026-02-10T13:55:00Z to " +
      "2036-02-08T14:00:00Z, mode 0644 and 0600) inside the controller manager's k8s-certs volume: no `key-mismatch`, `file-missing`, " +
      "`not-mounted` or `file-permissions`.",
    "The kubelet's current client certificate (`kubelet-client-2026-01-15-10-00-00.pem`) was signed by ca.crt before fault 4 and is " +
      "still accepted by --client-ca-file: nothing on it. Fault 4 bites at the next rotation.",
    "`etcd/peer.crt` lacks only the advertise IP: CN cp-1, DNS SANs cp-1 and localhost, both EKUs, signed by etcd-ca, key matches. " +
      "`etcd/server.crt` keeps all its SANs, and etcd's client port is unaffected.",
    "`sa.key` and `sa.pub` are each a valid RSA-2048 key; only the pair is wrong. No `key-mismatch` on any certificate/key pair.",
    "`admin.conf`'s client certificate is otherwise right (CN kubernetes-admin, O kubeadm:cluster-admins, clientAuth, one year); its " +
      "certificate-authority-data is ca.crt. `front-proxy-client.crt` is otherwise right too (CN front-proxy-client, the CN " +
      "--requestheader-allowed-names lists, clientAuth): no `front-proxy-name-not-allowed`, no `cn-mismatch`.",
    ...KUBEADM_NORMAL,
  ],
  clean: [
    `${PKI}/ca.crt`, `${PKI}/apiserver.crt`, `${PKI}/apiserver-kubelet-client.crt`, `${PKI}/apiserver-etcd-client.crt`,
    `${PKI}/etcd/server.crt`, `${PKI}/etcd/healthcheck-client.crt`, "/etc/kubernetes/super-admin.conf",
    "/etc/kubernetes/controller-manager.conf", "/etc/kubernetes/scheduler.conf",
    "/var/lib/kubelet/pki/kubelet-client-2026-01-15-10-00-00.pem", "/var/lib/kubelet/pki/kubelet.crt",
  ],
};

const APISERVER_MANIFEST = "/etc/kubernetes/manifests/kube-apiserver.yaml";
const ETCD_MANIFEST = "/etc/kubernetes/manifests/etcd.yaml";
const KUBELET_CONFIG = "/var/lib/kubelet/config.yaml";

const INSECURE: SampleExpectations = {
  exitCode: 2,
  findings: [
    {
      id: "insecure-setting", severity: "warning", component: "kube-apiserver", path: APISERVER_MANIFEST, flag: "--token-auth-file",
      expected: "--token-auth-file not set",
      actual: "/etc/kubernetes/tokens.csv",
      why: "Static bearer tokens never expire and are revoked only by editing the file and restarting the API server (CIS Kubernetes " +
        "Benchmark: --token-auth-file not set). This one names a system:masters user: a permanent cluster-admin credential that needs " +
        "no certificate. The finding names the file, never its content: the token must not appear in any output.",
      fault: "apiserver-static-token-file",
    },
    {
      id: "insecure-setting", severity: "critical", component: "kube-apiserver", path: APISERVER_MANIFEST, flag: "--insecure-port",
      expected: "--insecure-port=0",
      actual: "8080",
      why: "On old releases a non-zero --insecure-port served the whole API over plain HTTP with no authentication or authorization " +
        "(kubeadm set it to 0 until v1.21). The flag was removed from kube-apiserver in v1.24 (kubernetes/kubernetes#95856 and " +
        "follow-ups), so this v1.31.4 API server exits with \"unknown flag: --insecure-port\" and the control plane is down. Critical " +
        "either way.",
      fault: "apiserver-insecure-port",
    },
    {
      id: "insecure-setting", severity: "warning", component: "kube-apiserver", path: APISERVER_MANIFEST, flag: "--anonymous-auth",
      expected: "--anonymous-auth not true",
      actual: "true",
      why: "Requests without credentials become system:anonymous in group system:unauthenticated (CIS 1.2.1). Alone that exposes only " +
        "what RBAC grants those, hence a warning; with fault 4 anyone who reaches port 6443 may do anything.",
      fault: "apiserver-anonymous-auth",
    },
    {
      id: "insecure-setting", severity: "critical", component: "kube-apiserver", path: APISERVER_MANIFEST, flag: "--authorization-mode",
      expected: "--authorization-mode without AlwaysAllow (kubeadm: Node,RBAC)",
      actual: "AlwaysAllow",
      why: "AlwaysAllow authorizes every request: every client certificate, every service-account token (so every pod), the static " +
        "token and, with fault 3, anonymous requests are cluster-admin. It also answers every kubelet SubjectAccessReview with " +
        "allowed, which is what makes fault 10 an open door.",
      fault: "apiserver-always-allow",
    },
    {
      id: "front-proxy-name-not-allowed", severity: "critical", component: "kube-apiserver", path: `${PKI}/front-proxy-client.crt`,
      flag: "--proxy-client-cert-file",
      expected: "CN in aggregator (--requestheader-allowed-names)",
      actual: "CN front-proxy-client",
      why: "Extension API servers accept the user headers the aggregator forwards only from a client certificate whose CN is in " +
        "--requestheader-allowed-names, published to them in ConfigMap kube-system/extension-apiserver-authentication. kubeadm sets " +
        "the list to front-proxy-client, the CN it issues; with aggregator, every aggregated request is rejected.",
      fault: "requestheader-allowed-names-wrong",
    },
    {
      id: "front-proxy-ca-shared", severity: "warning", component: "kube-apiserver", path: `${PKI}/ca.crt`, flag: "--requestheader-client-ca-file",
      expected: "a CA used only for the front proxy (kubeadm: front-proxy-ca.crt)",
      actual: "ca.crt, the same CA as --client-ca-file",
      why: "Extension API servers let any certificate from the requestheader CA with an allowed CN assert any user in headers. With the " +
        "cluster CA there, every client certificate the cluster issues is a candidate: one with CN aggregator (anyone allowed to get a " +
        "CSR approved can ask for it) impersonates any user towards aggregated APIs. The aggregation-layer docs warn against reusing " +
        "the client CA; kubeadm keeps front-proxy-ca separate for this reason.",
      fault: "requestheader-ca-is-client-ca",
    },
    {
      id: "ca-inconsistent", severity: "critical", component: "kube-apiserver", path: `${PKI}/ca.crt`, flag: "--requestheader-client-ca-file",
      expected: `the front-proxy CA that kube-controller-manager --requestheader-client-ca-file names (${PKI}/front-proxy-ca.crt), the CA that signed front-proxy-client.crt`,
      actual: "ca.crt (CN kubernetes), the cluster CA",
      why: "kubeadm points both components' --requestheader-client-ca-file at front-proxy-ca.crt (`manifests.go`). Here one reference " +
        "names each CA, so counting cannot decide; the role's own evidence does: front-proxy-ca.crt has the front-proxy-ca CN and signed " +
        "the front-proxy client certificate, ca.crt is the cluster CA. The API server's flag is the odd one and the one to change.",
      fault: "requestheader-ca-is-client-ca",
    },
    {
      id: "trust-edge-broken", severity: "critical", component: "kube-apiserver", path: `${PKI}/ca.crt`, flag: "--requestheader-client-ca-file",
      expected: "extension API servers verify the aggregator's client certificate with the requestheader CA",
      actual: "--requestheader-client-ca-file (ca.crt) did not sign front-proxy-client.crt (front-proxy-ca.crt did)",
      why: "The connection aggregator → extension API servers: they take the requestheader CA from ConfigMap " +
        "kube-system/extension-apiserver-authentication, which the API server fills from this flag. front-proxy-client.crt is issued " +
        "from front-proxy-ca as kubeadm does, so metrics-server and every other extension server reject the aggregator (kubectl top, " +
        "HPA fail) even before the allowed-names check of fault 5. Re-issuing front-proxy-client.crt from front-proxy-ca would change " +
        "nothing: the fix, and the anchor, is the flag.",
      fault: "requestheader-ca-is-client-ca",
    },
    {
      id: "insecure-setting", severity: "warning", component: "etcd", path: ETCD_MANIFEST, flag: "--client-cert-auth",
      expected: "--client-cert-auth=true",
      actual: "false",
      why: "CIS 2.2 fails, but etcd is not open: with --trusted-ca-file set, etcd requires and verifies a client certificate on every " +
        "https:// client URL whatever --client-cert-auth says (etcd `client/pkg/transport/listener.go`, `TLSInfo.ServerConfig`: " +
        "`if info.TrustedCAFile != \"\" || info.ClientCertAuth { cfg.ClientAuth = tls.RequireAndVerifyClientCert }`). A warning: the " +
        "flag says the opposite of what etcd does, and dropping --trusted-ca-file later would open etcd silently. The open door is fault 9.",
      fault: "etcd-client-cert-auth-false",
    },
    {
      id: "insecure-setting", severity: "warning", component: "etcd", path: ETCD_MANIFEST, flag: "--peer-auto-tls",
      expected: "--peer-auto-tls not true",
      actual: "true",
      why: "CIS 2.6 fails, but etcd ignores the flag while --peer-cert-file and --peer-key-file are set (etcd `server/embed/config.go`, " +
        "`PeerSelfCert`: \"ignoring peer auto TLS since certs given\"); peers still use peer.crt and --peer-client-cert-auth=true. A " +
        "warning: a trap that turns on self-signed peer certificates verifying nothing as soon as the certificate flags go.",
      fault: "etcd-peer-auto-tls",
    },
    {
      id: "insecure-setting", severity: "warning", component: "etcd", path: ETCD_MANIFEST, flag: "--listen-client-urls",
      expected: "--listen-client-urls with https:// URLs only",
      actual: "http://127.0.0.1:4001",
      why: "On an http:// client URL etcd uses no TLS and asks for no certificate (it logs that it ignores the key, certificate and " +
        "client-cert-auth settings for that URL): any process on the node, hostNetwork pods included, can read and write every Secret. " +
        "Loopback only, hence a warning rather than critical. kubeadm's own --listen-metrics-urls=http://127.0.0.1:2381 is a different " +
        "flag and serves only metrics and health.",
      fault: "etcd-plain-http-client-url",
    },
    {
      id: "insecure-setting", severity: "critical", component: "kubelet", path: KUBELET_CONFIG, flag: "authentication.anonymous.enabled",
      expected: "authentication.anonymous.enabled not true (kubeadm: false)",
      actual: "true",
      why: "Anyone who reaches port 10250 is system:anonymous (CIS 4.2.1). The kubelet's authorization mode is Webhook, so it asks the " +
        "API server, which with AlwaysAllow (fault 4) says yes: exec into every pod on the node, no credentials needed.",
      fault: "kubelet-anonymous-no-client-ca",
    },
    {
      id: "insecure-setting", severity: "critical", component: "kubelet", path: KUBELET_CONFIG, flag: "authentication.x509.clientCAFile",
      expected: "authentication.x509.clientCAFile set (kubeadm: /etc/kubernetes/pki/ca.crt)",
      actual: "not set",
      why: "The kubelet authenticates no client certificate (CIS 4.2.3): the API server's apiserver-kubelet-client.crt is ignored and its " +
        "requests arrive as system:anonymous, which work here only because of faults 4 and 10; fix those and kubectl logs and exec fail.",
      fault: "kubelet-anonymous-no-client-ca",
    },
    {
      id: "file-permissions", severity: "critical", component: "kube-apiserver", path: `${PKI}/apiserver.key`, flag: "--tls-private-key-file",
      expected: "0600 or stricter",
      actual: "0644",
      why: "Every local user can read the API server's serving key and impersonate the API server to every client that trusts ca.crt. " +
        "kubeadm writes keys 0600 (client-go keyutil); CIS 1.1.21.",
      fault: "pki-modes-too-open",
    },
    {
      id: "file-permissions", severity: "critical", component: "admin.conf", path: "/etc/kubernetes/admin.conf", flag: "",
      expected: "0600 or stricter",
      actual: "0644",
      why: "admin.conf embeds a client key of group kubeadm:cluster-admins: every local user who can read it is cluster-admin. kubeadm " +
        "writes kubeconfigs 0600; CIS 1.1.13. No flag names admin.conf (it is kubeadm's well-known path), so the finding has none.",
      fault: "pki-modes-too-open",
    },
    {
      id: "file-permissions", severity: "warning", component: "kube-apiserver", path: `${PKI}/front-proxy-client.key`,
      flag: "--proxy-client-key-file",
      expected: "0600 or stricter",
      actual: "0640",
      why: "Readable by the file's group (not by everyone, hence a warning): its members can act as the aggregator towards extension " +
        "API servers and assert any user there.",
      fault: "pki-modes-too-open",
    },
    {
      id: "file-permissions", severity: "warning", component: "kube-apiserver", path: `${PKI}/ca.crt`, flag: "--client-ca-file",
      expected: "0644 or stricter",
      actual: "0664",
      why: "The cluster CA certificate is writable by its group: a member can add a CA of their own to the bundle the API server, the " +
        "kubelet and every kubeconfig consumer trust, and mint any identity. CIS 1.1.19/1.1.20 want certificates 0644. Named first by " +
        "kube-apiserver --client-ca-file (also --requestheader-client-ca-file, kube-controller-manager's flags, the kubeconfigs).",
      fault: "pki-modes-too-open",
    },
  ],
  mayReport: [
    {
      id: "trust-edge-broken", severity: "critical", component: "kubelet", path: KUBELET_CONFIG, flag: "authentication.x509.clientCAFile",
      note: "The connection kube-apiserver → kubelet seen end to end: a kubelet without a client CA cannot verify the API server's client " +
        "certificate, so the API server's identity is lost. It still 'works' here only because anonymous requests are allowed and " +
        "AlwaysAllow authorizes them. Correct to report as a broken edge; the required kubelet-client-ca finding already covers it.",
    },
  ],
  mustNotReport: [
    "The PKI is the healthy node's, byte for byte: every certificate verifies against the CA its role requires and its consumers " +
      "name, every key matches, sa.pub is sa.key's public half. No `issuer-mismatch`, `san-missing`, `key-mismatch`, `cn-mismatch` or " +
      "`o-mismatch` worse than info. In particular front-proxy-client.crt is signed by front-proxy-ca.crt, the CA its role requires: no " +
      "`issuer-mismatch` on it, although the API server's requestheader flag now names ca.crt. ca.crt's CN kubernetes under role " +
      "front-proxy-ca is at most info.",
    "etcd's metrics listener `http://127.0.0.1:2381` (`--listen-metrics-urls`) is kubeadm's own and serves only metrics and the health " +
      "endpoints its probes use: no plain-HTTP finding on it. Only the client URL http://127.0.0.1:4001 is one.",
    "etcd keeps `--trusted-ca-file`, `--peer-trusted-ca-file` and `--peer-client-cert-auth=true`, and no `--auto-tls`: no " +
      "`etcd-peer-client-cert-auth`, `etcd-auto-tls` or `etcd-plain-http-peers` finding; neither `--client-cert-auth=false` nor " +
      "`--peer-auto-tls=true` changes what etcd does here (see their findings), so neither is critical.",
    "`/etc/kubernetes/tokens.csv` exists, is mode 0600 and is mounted read-only into the API server (extra volume static-tokens, " +
      "type File): no `file-missing`, `not-mounted` or `file-permissions`. Its token must never appear in any output, in any format " +
      "(test/security.test.ts sweeps every report for it).",
    "Every file the fault does not touch keeps kubeadm's mode: private keys, kubelet-client-*.pem, the other kubeconfigs and the static " +
      "pod manifests 0600, certificates 0644. No other `file-permissions` finding; ownership is not judged on the samples.",
    "`--requestheader-client-ca-file=ca.crt` is reported as the shared CA, the inconsistent front-proxy-ca role and the broken " +
      "aggregator connection; it does not make ca.crt a bad cluster CA: no `ca-inconsistent` for role ca (every cluster-CA flag and " +
      "kubeconfig still names ca.crt).",
    ...KUBEADM_NORMAL,
  ],
  clean: [
    `${PKI}/apiserver.crt`, `${PKI}/apiserver-kubelet-client.crt`, `${PKI}/front-proxy-ca.crt`, `${PKI}/apiserver-etcd-client.crt`,
    `${PKI}/etcd/ca.crt`, `${PKI}/etcd/server.crt`, `${PKI}/etcd/peer.crt`, `${PKI}/etcd/healthcheck-client.crt`,
    "/etc/kubernetes/super-admin.conf", "/etc/kubernetes/controller-manager.conf", "/etc/kubernetes/scheduler.conf",
    "/var/lib/kubelet/pki/kubelet-client-2026-01-15-10-00-00.pem", "/var/lib/kubelet/pki/kubelet.crt",
  ],
};

const FRONT_PROXY_CA_END = "2026-05-20T10:00:00Z";
const ETCD_CA_END = "2026-06-05T10:00:00Z";
const LEAF_END = "2027-01-15T10:00:00Z";

/** The ca-outlived finding of one etcd leaf of fault `etcd-ca-expiring`: what stops on the etcd CA's date. */
function etcdLeafOutlived(component: string, path: string, flag: string, stops: string): ExpectedFinding {
  return {
    id: "ca-outlived", severity: "warning", component, path, flag,
    expected: `notAfter no later than its CA's (${PKI}/etcd/ca.crt, ${ETCD_CA_END})`,
    actual: `notAfter ${LEAF_END}, 224 days after the CA's`,
    why: `A certificate works only while every certificate of its path is valid (RFC 5280 §6.1.3; Go checks the dates of the ` +
      `trust anchor too), so this one stops on ${ETCD_CA_END} with its CA, not on its own date: ${stops}. Its notAfter, and the ` +
      "RESIDUAL TIME `kubeadm certs check-expiration` shows for it, overstate its life by 224 days, and `kubeadm certs renew` " +
      "cannot help (the renewed certificate hangs off the same CA). A warning, one per leaf, as ca-outlived always is; the " +
      "deadline itself is the CA's critical cert-expiring finding.",
    fault: "etcd-ca-expiring",
  };
}

const CA_PROBLEMS: SampleExpectations = {
  exitCode: 2,
  findings: [
    {
      id: "cert-expired", severity: "critical", component: "kube-apiserver", path: `${PKI}/front-proxy-ca.crt`,
      flag: "--requestheader-client-ca-file",
      expected: `valid at ${AUDIT_AT}`,
      actual: `notAfter ${FRONT_PROXY_CA_END} (expired 11 days 14 hours earlier)`,
      why: "Extension API servers (metrics-server, every aggregated API) verify the aggregator's client certificate against the " +
        "requestheader CA, which the API server publishes from this flag in ConfigMap kube-system/extension-apiserver-authentication. " +
        "Go checks the validity period of every certificate of a chain, the trust anchor included (crypto/x509 `buildChains` calls " +
        "`isValid` on each root candidate), so since 2026-05-20 every proxied request fails with \"x509: certificate has expired or is not " +
        "yet valid: current time … is after 2026-05-20T10:00:00Z\" (the CA's date, while front-proxy-client.crt is within its own): " +
        "kubectl top, HPA and every aggregated API are down. The same file is named by " +
        "kube-controller-manager --requestheader-client-ca-file: one finding for the file, on the API server's flag. kubeadm never " +
        "renews CAs; front-proxy-ca.key is on the node, so re-signing front-proxy-ca.crt with it for a longer period (same key and " +
        "subject) mends the chain without touching the client certificate.",
      fault: "front-proxy-ca-expired",
    },
    {
      id: "ca-outlived", severity: "warning", component: "kube-apiserver", path: `${PKI}/front-proxy-client.crt`,
      flag: "--proxy-client-cert-file",
      expected: `notAfter no later than its CA's (${PKI}/front-proxy-ca.crt, ${FRONT_PROXY_CA_END})`,
      actual: `notAfter ${LEAF_END}, 240 days after the CA's`,
      why: "kubeadm init reused the existing front-proxy CA pair and, as for every leaf, issued this certificate for a year from " +
        "2026-01-15, past the CA's end. A certificate works only while its whole path is valid (RFC 5280 §6.1.3), so it has been " +
        "unusable since 2026-05-20, not until 2027-01-15; `kubeadm certs renew front-proxy-client` would change nothing, since the " +
        "renewed certificate is signed by the same expired CA. A warning like every ca-outlived: the outage is reported once, as " +
        "the CA's cert-expired. Not cert-expired on this certificate: its own validity has not ended.",
      fault: "front-proxy-ca-expired",
    },
    {
      id: "ca-not-ca", severity: "warning", component: "kube-apiserver", path: `${PKI}/client-ca-bundle.crt`, flag: "--client-ca-file",
      expected: "CA:TRUE with keyCertSign in every PEM block of the bundle",
      actual: "PEM block 2 is a copy of apiserver.crt: CN kube-apiserver, CA:FALSE, key usage digitalSignature, keyEncipherment, EKU serverAuth",
      why: "Every certificate of --client-ca-file is a trust anchor for every x509 client of the API server (and, through ConfigMap " +
        "extension-apiserver-authentication, for extension API servers and the controller manager's and scheduler's delegated " +
        "authentication). The API server loads the leaf without complaint (client-go `cert.NewPoolFromBytes` adds every PEM block), " +
        "but Go never accepts a parent without CA:TRUE and keyCertSign (`CheckSignatureFrom`: \"x509: invalid signature: parent certificate cannot sign this kind of certificate\"), so " +
        "the leaf vouches for nothing; as a root it verifies only itself, and apiserver.crt has serverAuth, not the clientAuth the " +
        "API server requires. Nothing is rejected and no trust is added: the first block is the cluster CA, which signed every " +
        "client certificate on the node. Hence a warning, not critical, unlike a CA file that holds only a leaf. Still a mistake to " +
        "fix: a leaf has no place among trust anchors, and whatever was meant to be appended (typically the next CA of a rotation) " +
        "is missing. Remove the second block, or point the flag back at ca.crt.",
      fault: "client-ca-bundle-with-leaf",
    },
    {
      id: "cert-expiring", severity: "critical", component: "etcd", path: `${PKI}/etcd/ca.crt`, flag: "--trusted-ca-file",
      expected: "more than 7 days left",
      actual: `notAfter ${ETCD_CA_END}: 4 days 10 hours left`,
      why: "Inside the 7-day critical window. On 2026-06-05T10:00:00Z every etcd connection fails at once: etcd rejects the API " +
        "server's client certificate (--trusted-ca-file), the API server rejects etcd's serving certificate (--etcd-cafile), members " +
        "reject each other's peer certificates (--peer-trusted-ca-file) and kubeadm's healthcheck client is locked out; the API " +
        "server loses its storage and the control plane stops. One finding for the file, which all three flags name. kubeadm never " +
        "renews CAs and `kubeadm certs renew` does not help. etcd/ca.key is on the node, so re-signing etcd/ca.crt with it for a " +
        "longer period (same key and subject, as this fault's own re-issue shows, keeps every etcd leaf verifying) and restarting " +
        "etcd and the API server is enough; otherwise a full etcd CA rotation.",
      fault: "etcd-ca-expiring",
    },
    etcdLeafOutlived("etcd", `${PKI}/etcd/server.crt`, "--cert-file",
      "the API server (--etcd-cafile) and kubeadm's etcd client then reject etcd's serving certificate"),
    etcdLeafOutlived("etcd", `${PKI}/etcd/peer.crt`, "--peer-cert-file",
      "members then reject each other's peer certificates, so a second control-plane node cannot join"),
    etcdLeafOutlived("etcdctl", `${PKI}/etcd/healthcheck-client.crt`, "",
      "etcd then rejects it, so kubeadm join, upgrade and reset and etcdctl with it fail (no flag names it; kubeadm's etcd client uses it)"),
    etcdLeafOutlived("kube-apiserver", `${PKI}/apiserver-etcd-client.crt`, "--etcd-certfile",
      "etcd then rejects the API server's client certificate and the API server loses its storage"),
  ],
  mayReport: [
    {
      id: "key-usage-missing", severity: "warning", component: "kube-apiserver", path: `${PKI}/client-ca-bundle.crt`, flag: "--client-ca-file",
      note: "The leaf in PEM block 2 plays role ca, whose key usage must include keyCertSign; it has digitalSignature and " +
        "keyEncipherment only. True, but the same fact the required ca-not-ca finding states (\"key usage without keyCertSign\"); an " +
        "auditor may report it again under this id.",
    },
  ],
  mustNotReport: [
    "`front-proxy-client.crt` and the four etcd leaves are byte-identical to `kubeadm-healthy`'s and valid until 2027-01-15: no " +
      "`cert-expired` or `cert-expiring` on them (they fail because of their CA's date, which the CA's own finding and ca-outlived " +
      "report). Each is signed by the key of the CA its role requires, and that CA's certificate (re-issued with the same key and " +
      "subject) verifies the signature, dates apart: no `issuer-mismatch`.",
    "No `trust-edge-broken`. Every connection's certificates verify by signature against the CA the other end names: the etcd " +
      "connections are intact at the audit time (the etcd CA is still valid), and the aggregator's connection fails only because " +
      "of a date, which is reported once as the front-proxy CA's cert-expired, as `kubeadm-broken` reports its expired " +
      "front-proxy-client.crt once rather than again as a broken connection.",
    "`front-proxy-ca.crt` is reported as `cert-expired` only: not also `cert-expiring` (its window is over), not `ca-outlived` (it is " +
      "self-signed), and it is still a well-formed CA (CA:TRUE, keyCertSign, DNS SAN front-proxy-ca): no `ca-not-ca`. Both " +
      "--requestheader-client-ca-file flags name it: no `ca-inconsistent`. Likewise `etcd/ca.crt`: `cert-expiring` only, and all three " +
      "etcd-ca flags name it.",
    "`client-ca-bundle.crt` holds the cluster CA as its first block, so it shares a CA with every other reference of role ca " +
      "(kube-controller-manager --client-ca-file, --root-ca-file and --cluster-signing-cert-file, the kubelet's clientCAFile, the five kubeconfigs' certificate-authority-data): no `ca-inconsistent`. Every client " +
      "certificate on the node (kubelet, controller manager, scheduler, admin, super-admin; the controller manager's signing CA " +
      "ca.crt) verifies against that block: no `trust-edge-broken` on any connection to the API server. It shares nothing with " +
      "front-proxy-ca.crt: no `front-proxy-ca-shared`. It exists, has mode 0644 and lies in the API server's k8s-certs volume: no " +
      "`file-missing`, `not-mounted` or `file-permissions`.",
    "The leaf in the bundle is reported as a leaf where a CA belongs, not as a bad API server certificate: no `issuer-mismatch`, " +
      "`san-missing` or `ext-key-usage-missing` on it; its CN kube-apiserver under role ca is at most info (cn-mismatch). " +
      "`apiserver.crt` itself (--tls-cert-file) is exactly kubeadm's.",
    "`ca.crt` is untouched; it is still the cluster CA of every other role-ca flag and of every kubeconfig.",
    ...KUBEADM_NORMAL,
  ],
  clean: [
    `${PKI}/ca.crt`, `${PKI}/apiserver.crt`, `${PKI}/apiserver-kubelet-client.crt`, "/etc/kubernetes/admin.conf",
    "/etc/kubernetes/super-admin.conf", "/etc/kubernetes/controller-manager.conf", "/etc/kubernetes/scheduler.conf",
    "/var/lib/kubelet/pki/kubelet-client-2026-01-15-10-00-00.pem", "/var/lib/kubelet/pki/kubelet.crt",
  ],
};

const ETCD_PKI = "/etc/etcd/pki";

const EXTERNAL_ETCD: SampleExpectations = {
  exitCode: 2,
  findings: [
    {
      id: "san-missing", severity: "critical", component: "etcd", path: `${ETCD_PKI}/server.crt`, flag: "--cert-file",
      expected: "IP SAN 127.0.0.1 (kubeadm's etcd serving SANs, and the host of kube-apiserver --etcd-servers=https://127.0.0.1:2379)",
      actual: "IP SANs 192.168.56.10, ::1 only (DNS cp-1, localhost)",
      why: "etcd.service serves its client port with this certificate (--cert-file). Role etcd-server (profile kubeadm, which the " +
        "mixed layout keeps in force) requires kubeadm's etcd serving names (`pkiutil.GetEtcdAltNames`: node name, localhost, the " +
        "advertise address, 127.0.0.1, ::1) plus every host of --etcd-servers; 127.0.0.1 is both. The DNS SAN localhost does not " +
        "stand in for it: Go matches an IP host against IP SANs only. The API server dials 127.0.0.1 and fails with \"x509: " +
        "certificate is valid for 192.168.56.10, ::1, not 127.0.0.1\".",
      fault: "etcd-server-no-loopback",
    },
    {
      id: "trust-edge-broken", severity: "critical", component: "etcd", path: `${ETCD_PKI}/server.crt`, flag: "--cert-file",
      expected: "kube-apiserver and etcd trust each other's certificates",
      actual: "kube-apiserver dials 127.0.0.1 (--etcd-servers), which the certificate etcd presents (--cert-file) does not carry as a SAN",
      why: "The connection kube-apiserver → etcd, seen end to end: both CA sides are fine (--etcd-cafile " +
        "/etc/kubernetes/pki/etcd/ca.crt and etcd's --trusted-ca-file /etc/etcd/pki/ca.crt are the same certificate, which signed " +
        "apiserver-etcd-client.crt and the serving certificate), but hostname verification fails, so the API server cannot reach " +
        "its storage. The certificate lacks a name its role requires, so the fix is at the certificate (re-issue it with 127.0.0.1), " +
        "not at the dialled URL: the finding is anchored on etcd --cert-file.",
      fault: "etcd-server-no-loopback",
    },
  ],
  mayReport: [],
  mustNotReport: [
    "The layout is `mixed` (three static pods, etcd from `etc/systemd/system/etcd.service`); both the `kubernetes` and the " +
      "`kubeadm` profiles apply. No `not-mounted` for etcd: a unit sees the host's files. No `unresolved-variable`: the drop-in " +
      "`etcd.service.d/10-env.conf` defines `ETCD_DATA_DIR` with `Environment=`, and `--data-dir` names no certificate anyway.",
    "`/etc/etcd/pki/ca.crt` (etcd --trusted-ca-file and --peer-trusted-ca-file) and `/etc/kubernetes/pki/etcd/ca.crt` (kube-apiserver " +
      "--etcd-cafile, kubeadm's healthcheck client) are byte-identical: every reference of role etcd-ca shares one CA, no " +
      "`ca-inconsistent`.",
    "`/etc/etcd/pki/server.crt` is re-issued from etcd-ca with the server key (the copy `/etc/etcd/pki/server.key` matches it): its " +
      "only fault is the missing SAN, reported once as `san-missing` and once as the broken connection. No `issuer-mismatch`, " +
      "`key-mismatch`, `cn-mismatch` or `ext-key-usage-missing` on it.",
    "The other etcd connections are intact. kubeadm's healthcheck client (`/etc/kubernetes/pki/etcd/healthcheck-client.crt`, trusting " +
      "`/etc/kubernetes/pki/etcd/ca.crt`) dials etcd's --advertise-client-urls host 192.168.56.10, which the serving certificate " +
      "carries, and etcd trusts its CA: no `trust-edge-broken` on `etcdctl-to-etcd`. Peers dial 192.168.56.10 " +
      "(--initial-advertise-peer-urls), which `/etc/etcd/pki/peer.crt` (a copy of kubeadm's, all SANs) carries: none on `etcd-peer`.",
    "etcd keeps kubeadm's settings: https:// client and peer URLs only, --client-cert-auth=true, --peer-client-cert-auth=true, " +
      "--trusted-ca-file and --peer-trusted-ca-file set: no etcd `insecure-setting`. The unit adds --listen-peer-urls and " +
      "--initial-cluster, which etcd needs to start as member cp-1 on https://192.168.56.10:2380.",
    "The copies under `/etc/etcd/pki/` keep kubeadm's modes (keys 0600, certificates 0644), the unit and drop-in are 0644: no " +
      "`file-permissions`.",
    "kubeadm's `/etc/kubernetes/pki/etcd/server.crt`, `peer.crt` and their keys stay on the node but no component names them any " +
      "more; leftovers are not a fault (at most info). The API server's etcd client certificate and every other kubeadm file are " +
      "unchanged.",
    ...KUBEADM_NORMAL,
  ],
  clean: [
    ...ALL_CERTS.filter((path) => path !== `${PKI}/etcd/server.crt` && path !== `${PKI}/etcd/peer.crt`),
    `${ETCD_PKI}/ca.crt`, `${ETCD_PKI}/peer.crt`,
  ],
};

// ---------------------------------------------------------------------------------------------
// Hand-built ("the hard way") nodes: scripts/samples/hardway.ts

const HW21_K8S = "/var/lib/kubernetes";

/** What hard-way nodes do differently from kubeadm, correctly: must not be reported worse than info. */
const HARDWAY_NORMAL: string[] = [
  "kubeadm's naming rules do not apply (layout `systemd`, profiles `kubernetes` and `hardway`): no `cn-mismatch`, `o-mismatch` " +
    "or `san-missing` for kubeadm's names (kube-apiserver, kube-apiserver-etcd-client, kubernetes-admin, …), no `file-missing` for " +
    "`/etc/kubernetes/pki/*`, `admin.conf`, `super-admin.conf`, `controller-manager.conf`, `scheduler.conf` or `kubelet.conf`, and the " +
    "edges that name those files (`admin-to-apiserver`, `super-admin-to-apiserver`, the client end of `etcdctl-to-etcd`) are not on this node.",
  "One CA for everything: the same CA is the client CA, the kubelet CA, the root CA for pods, the CSR signer and (where etcd has TLS) " +
    "the etcd CA. Its CN is not kubeadm's `kubernetes` / `etcd-ca`: at most info (the CA roles' CN expectations are info-level).",
  "Every leaf has EKU serverAuth and clientAuth, the client-only ones too, and subjects carry O values kubeadm never writes: nothing " +
    "to report. The CA has key usage keyCertSign and cRLSign without digitalSignature, and no SAN: a well-formed CA.",
  "The service-account key pair is a certificate (`--service-account-key-file`) and its private key (`--service-account-signing-key-file`, " +
    "kube-controller-manager `--service-account-private-key-file`): the API server takes the certificate's public key; the halves match. " +
    "No `key-mismatch`, and the certificate's CN `service-accounts` and usages are not role-checked.",
  "No front proxy (no `--requestheader-*`, `--proxy-client-*`): `front-proxy-to-extension-apiservers` and `front-proxy-ca-shared` do not apply.",
  "`--kubelet-certificate-authority` is set, `--authorization-mode=Node,RBAC`, no `--anonymous-auth`, `--token-auth-file` or " +
    "`--insecure-port`; `--runtime-config='api/all=true'` is single-quoted in the unit (systemd removes the quotes).",
  "Keys and kubeconfigs are 0600, certificates, units and configuration files 0644 (after `node scripts/restore-modes.mjs`): no " +
    "`file-permissions`. `encryption-config.yaml` is no certificate file and nothing references it as one; its aescbc key here is a fixed " +
    "throw-away value.",
];

const HARDWAY_2021: SampleExpectations = {
  exitCode: 2,
  findings: [
    {
      id: "trust-edge-broken", severity: "critical", component: "kube-apiserver", path: `${HW21_K8S}/kubernetes.pem`, flag: "--tls-cert-file",
      expected: "the API server certificate carries every name pods dial (kubernetes.default.svc, kubernetes.default.svc.cluster.local, 10.32.0.1)",
      actual: "kubernetes.default.svc.cluster.local is not a SAN (the certificate has kubernetes.default.svc.cluster and kubernetes.svc.cluster.local)",
      why: "The connection pods → kube-apiserver through the `kubernetes` Service (edge `pods-to-apiserver`): in-cluster clients verify the " +
        "API server with kube-root-ca.crt (--root-ca-file, ca.pem, which did sign kubernetes.pem) and check the host they dial against " +
        "the SANs. The Service IP 10.32.0.1 and kubernetes.default.svc are there, but a client configured with the Service's fully " +
        "qualified name fails with \"x509: certificate is valid for kubernetes, kubernetes.default, kubernetes.default.svc, " +
        "kubernetes.default.svc.cluster, kubernetes.svc.cluster.local, …, not kubernetes.default.svc.cluster.local\". Nothing is wrong " +
        "with the dialled name, so the fix, and the anchor, is the certificate: re-issue it with kubernetes.default.svc.cluster.local.",
      fault: "guide-fqdn-not-in-san",
    },
    {
      id: "trust-edge-broken", severity: "critical", component: "kube-apiserver", path: `${HW21_K8S}/kubernetes.pem`, flag: "--tls-cert-file",
      expected: "kubelet → kube-apiserver: the certificate the API server presents carries 203.0.113.10, the host /var/lib/kubelet/kubeconfig dials",
      actual: "IP SANs 10.32.0.1, 10.240.0.10, 10.240.0.11, 10.240.0.12, 127.0.0.1: no 203.0.113.10",
      why: "Edge `kubelet-to-apiserver`. Both CA sides are fine (ca.pem signed controller-0's client certificate and kubernetes.pem, " +
        "and both the kubeconfig's certificate-authority-data and --client-ca-file are ca.pem), but the kubelet dials " +
        "https://203.0.113.10:6443 and fails with \"x509: certificate is valid for …, not 203.0.113.10\": the node cannot register or " +
        "renew its lease and goes NotReady. In the guide every remote client dials the load balancer and the certificate is made to " +
        "carry KUBERNETES_PUBLIC_ADDRESS for exactly that; three clients on this node agree on the address, so the certificate is the " +
        "end to fix (re-issue kubernetes.pem with 203.0.113.10, copy it to /var/lib/kubernetes and /etc/etcd), not the kubeconfigs.",
      fault: "no-public-address-in-san",
    },
    {
      id: "trust-edge-broken", severity: "critical", component: "kube-apiserver", path: `${HW21_K8S}/kubernetes.pem`, flag: "--tls-cert-file",
      expected: "kube-proxy → kube-apiserver: the certificate the API server presents carries 203.0.113.10, the host /var/lib/kube-proxy/kubeconfig dials",
      actual: "no IP SAN 203.0.113.10",
      why: "Edge `kube-proxy-to-apiserver`, found through kube-proxy's --config (clientConnection.kubeconfig). Same cause and same fix as " +
        "the kubelet's connection: kube-proxy cannot list Services and EndpointSlices, so Service routing on this node goes stale. " +
        "(Fault 3 would stop it at authorization next; this one stops it at the TLS handshake first.)",
      fault: "no-public-address-in-san",
    },
    {
      id: "trust-edge-broken", severity: "critical", component: "kube-apiserver", path: `${HW21_K8S}/kubernetes.pem`, flag: "--tls-cert-file",
      expected: "kubectl with /root/admin.kubeconfig → kube-apiserver: the certificate the API server presents carries 203.0.113.10",
      actual: "no IP SAN 203.0.113.10",
      why: "Edge `admin-kubeconfig-to-apiserver`: `kubectl --kubeconfig /root/admin.kubeconfig` fails the same way, as would every remote " +
        "kubectl (lab 10). The admin certificate itself is fine (CN admin, O system:masters, from ca.pem).",
      fault: "no-public-address-in-san",
    },
    {
      id: "cn-mismatch", severity: "critical", component: "kube-proxy", path: "/var/lib/kube-proxy/kubeconfig", flag: "client-certificate-data",
      expected: "CN system:kube-proxy",
      actual: "CN kube-proxy (O system:node-proxier)",
      why: "The API server takes the user name from the CN. The default ClusterRoleBinding system:node-proxier grants ClusterRole " +
        "system:node-proxier (watch Services, EndpointSlices, Nodes, write Events) to the user system:kube-proxy only " +
        "(plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go); the O system:node-proxier matches no binding, so the user " +
        "kube-proxy is forbidden to list services and endpoints and kube-proxy never programs Service rules. Critical because " +
        "Kubernetes authorizes by this CN. Re-issue kube-proxy.pem with CN system:kube-proxy and rebuild the kubeconfig.",
      fault: "kube-proxy-cn-without-system-prefix",
    },
    {
      id: "unresolved-variable", severity: "warning", component: "etcd", path: "/etc/systemd/system/etcd.service", flag: "",
      expected: "every ${VAR} of ExecStart defined by Environment= or an EnvironmentFile= that exists",
      actual: "${ETCD_NAME} (--name) and ${INTERNAL_IP} (--initial-advertise-peer-urls, --listen-peer-urls, --listen-client-urls, --advertise-client-urls) are defined nowhere: EnvironmentFile=-/etc/etcd/etcd.env does not exist",
      why: "The `-` makes the environment file optional, so systemd starts etcd anyway and substitutes empty strings (`${VAR}` always " +
        "yields exactly one argument): `--name \"\"` and `https://:2380`. etcd then finds no member \"\" in --initial-cluster " +
        "(\"couldn't find local name \\\"\\\" in the initial cluster configuration\") and exits, and the API server loses its storage. " +
        "Defining INTERNAL_IP for kube-apiserver in /etc/default/kubernetes does not define it for etcd: the environment is per unit. " +
        "The flags these variables feed are not audited. Warning, as the check always reports an undefined variable (the same fault " +
        "in test/fixtures/independent/hardway-systemd-openssl); one finding naming both variables, or one per variable.",
      fault: "etcd-env-file-missing",
    },
  ],
  mayReport: [],
  mustNotReport: [
    "The multi-purpose kubernetes.pem: the API server's serving (`--tls-cert-file`), etcd client (`--etcd-certfile`) and kubelet client " +
      "(`--kubelet-client-certificate`) certificate, and through the byte-identical copy `/etc/etcd/kubernetes.pem` etcd's serving " +
      "(`--cert-file`) and peer (`--peer-cert-file`) certificate. It has serverAuth and clientAuth and is signed by ca.pem, which is " +
      "also the etcd CA: the `hardway-*` roles it plays (issuer and usages) all hold. Its CN `kubernetes` and O `Kubernetes` are nobody's " +
      "business: no `cn-mismatch`, `o-mismatch`, `issuer-mismatch` or \"reused certificate\" finding. Its two faults are SANs, reported " +
      "only as the connections they break.",
    "`/etc/etcd/ca.pem` (etcd `--trusted-ca-file`, `--peer-trusted-ca-file`) is byte-identical to `/var/lib/kubernetes/ca.pem` " +
      "(`--etcd-cafile`, `--client-ca-file`, …): no `ca-inconsistent`.",
    "The other connections hold. `apiserver-to-etcd`: the API server dials 10.240.0.10, 10.240.0.11 and 10.240.0.12 (--etcd-servers), " +
      "all SANs of the etcd copy of kubernetes.pem, and both certificates verify against the other side's ca.pem. `etcd-peer`: same " +
      "CA and usages; its dialled host (--initial-advertise-peer-urls) is unresolved, so not audited. `controller-manager-to-apiserver` " +
      "and `scheduler-to-apiserver` (the scheduler's kubeconfig found through --config): they dial 127.0.0.1, a SAN. " +
      "`apiserver-to-kubelet`: kubernetes.pem (clientAuth, ca.pem) against the kubelet's clientCAFile ca.pem, and controller-0.pem " +
      "(serverAuth, ca.pem) against --kubelet-certificate-authority ca.pem. `csr-signer-to-apiserver`: ca.pem is --client-ca-file. " +
      "`pods-to-apiserver` is broken only by fault 1 (10.32.0.1 and kubernetes.default.svc are SANs).",
    "The kubelet: `/var/lib/kubelet/controller-0.pem` is both its serving certificate (tlsCertFile, SANs controller-0, 198.51.100.10, " +
      "10.240.0.10) and, embedded in /var/lib/kubelet/kubeconfig, its client certificate, as the guide makes node certificates. CN " +
      "system:node:controller-0 and O system:nodes are what the Node authorizer needs: the node name is controller-0 (/etc/hostname; " +
      "etcd's --name is unresolved and must not be read as `${ETCD_NAME}` or \"\"). Anonymous authentication is off and clientCAFile is set.",
    "kube-controller-manager and kube-scheduler identities: CN and O system:kube-controller-manager and system:kube-scheduler, from ca.pem, " +
      "valid: nothing. The admin certificate (CN admin, O system:masters, from ca.pem) satisfies `admin-kubeconfig`.",
    "etcd's `--client-cert-auth` and `--peer-client-cert-auth` are bare boolean flags, hence true (the first follows the second on " +
      "the next line and is not its value): no etcd `insecure-setting`. The https://${INTERNAL_IP}… URLs and the literal " +
      "https://127.0.0.1:2379 of the same --listen-client-urls are not audited: no `etcd-plain-http`, no `san-missing` for an empty host.",
    "`--advertise-address=${INTERNAL_IP}` and `--service-account-issuer=https://${KUBERNETES_PUBLIC_ADDRESS}:443` resolve through " +
      "`EnvironmentFile=/etc/default/kubernetes` (10.240.0.10, 203.0.113.10): no `unresolved-variable` for kube-apiserver.",
    "Validity: CA 2025-12-01T09:55:00Z – 2030-11-30T09:55:00Z, leaves until 2026-12-01T09:55:00Z (183 days left at the audit): no " +
      "`cert-expiring`, no `ca-outlived`. kubeadm's 10-year and 1-year maximums do not apply.",
    ...HARDWAY_NORMAL,
  ],
  clean: [
    `${HW21_K8S}/ca.pem`, "/etc/etcd/ca.pem", "/etc/etcd/kubernetes.pem", `${HW21_K8S}/kube-controller-manager.kubeconfig`,
    `${HW21_K8S}/kube-scheduler.kubeconfig`, "/var/lib/kubelet/controller-0.pem", "/var/lib/kubelet/kubeconfig", "/root/admin.kubeconfig",
  ],
};

const HW24_K8S = "/var/lib/kubernetes";
const HW24_ETCD_UNIT = "/etc/systemd/system/etcd.service";

const HARDWAY_2024: SampleExpectations = {
  exitCode: 2,
  findings: [
    {
      id: "trust-edge-broken", severity: "critical", component: "kube-apiserver", path: `${HW24_K8S}/kube-api-server.crt`, flag: "--tls-cert-file",
      expected: "the API server certificate carries every name pods dial (kubernetes.default.svc, kubernetes.default.svc.cluster.local, the Service IP)",
      actual: "kubernetes.default.svc.cluster.local is not a SAN; and the Service IP is 10.0.0.1 (no --service-cluster-ip-range), while the certificate carries 10.32.0.1",
      why: "Edge `pods-to-apiserver`. kube-apiserver.service sets no --service-cluster-ip-range, so the API server falls back to its " +
        "default 10.0.0.0/24 and the `kubernetes` Service gets 10.0.0.1 (kelseyhightower/kubernetes-the-hard-way#905); " +
        "KUBERNETES_SERVICE_HOST in every pod is 10.0.0.1 and client-go's in-cluster config dials it: \"x509: certificate is valid for " +
        "127.0.0.1, 10.32.0.1, not 10.0.0.1\" for CoreDNS and everything else with a service account. Clients using the Service's " +
        "fully qualified name fail too: ca.conf lists kubernetes.default.svc.cluster and kubernetes.svc.cluster.local instead of " +
        "kubernetes.default.svc.cluster.local. An auditor that does not know the API server's default range can see only the second " +
        "cause (it cannot tell the Service IP); either way this connection is broken, one finding, anchored on the certificate.",
      fault: "guide-in-cluster-names",
    },
    {
      id: "insecure-setting", severity: "warning", component: "etcd", path: HW24_ETCD_UNIT, flag: "--listen-client-urls",
      expected: "--listen-client-urls with https:// URLs only",
      actual: "http://127.0.0.1:2379",
      why: "etcd serves its clients with no TLS and authenticates nobody: any process on the server can read and write every object, " +
        "Secrets included (CIS 2.1). Loopback only, and the guide's design, hence a warning rather than critical (rules/settings.yaml " +
        "`etcd-plain-http`: plain http on loopback is a warning).",
      fault: "guide-etcd-plain-http",
    },
    {
      id: "insecure-setting", severity: "warning", component: "etcd", path: HW24_ETCD_UNIT, flag: "--listen-peer-urls",
      expected: "--listen-peer-urls with https:// URLs only",
      actual: "http://127.0.0.1:2380",
      why: "Peer traffic would be unencrypted and unauthenticated (CIS 2.4). This single member's peer port listens on loopback only and " +
        "has no peer to talk to; a second member could not even reach it. Warning (`etcd-plain-http-peers`, loopback).",
      fault: "guide-etcd-plain-http",
    },
    {
      id: "insecure-setting", severity: "warning", component: "kube-apiserver", path: "/etc/systemd/system/kube-apiserver.service",
      flag: "--etcd-servers",
      expected: "https:// --etcd-servers with --etcd-cafile, --etcd-certfile, --etcd-keyfile",
      actual: "http://127.0.0.1:2379, and no --etcd-* certificate flag",
      why: "The API server's side of the same plain connection (CIS 1.2.29): every object crosses it unencrypted and etcd cannot tell the " +
        "API server from any other local process. Loopback: warning (`apiserver-etcd-plain-http`).",
      fault: "guide-etcd-plain-http",
    },
    {
      id: "cert-expired", severity: "critical", component: "kube-scheduler", path: `${HW24_K8S}/kube-scheduler.kubeconfig`,
      flag: "client-certificate-data",
      expected: `valid at ${AUDIT_AT}`,
      actual: "notAfter 2026-05-17T11:00:00Z (expired 14 days 13 hours earlier)",
      why: "The scheduler's kubeconfig (found through --config, clientConnection.kubeconfig) embeds a certificate re-signed with `-days " +
        "90`. The API server rejects it (\"x509: certificate has expired or is not yet valid\", 401), the scheduler cannot watch or bind " +
        "pods, and new pods stay Pending. Reported once, as the expired certificate: not also `cert-expiring`, and not as a broken " +
        "`scheduler-to-apiserver` connection (signatures, CAs and the dialled name server.kubernetes.local all fit), as the kubeadm " +
        "samples report an expired certificate once.",
      fault: "kube-scheduler-short-days",
    },
    {
      id: "issuer-mismatch", severity: "critical", component: "admin", path: "/root/admin.kubeconfig", flag: "client-certificate-data",
      expected: `signed by ca: CN=CA (${HW24_K8S}/ca.crt)`,
      actual: "issuer DN CN=CA, but the signature does not verify against ca.crt: signed by another key (the first run's CA, not on this node)",
      why: "Role `admin-kubeconfig`: a hand-built admin kubeconfig's client certificate must come from the cluster CA, the CA the API " +
        "server authenticates x509 clients with (--client-ca-file). Both runs of lab 04 used the same ca.conf, so both CAs are named " +
        "C=US, ST=Washington, L=Seattle, CN=CA: only the signature tells them apart.",
      fault: "admin-from-first-ca",
    },
    {
      id: "trust-edge-broken", severity: "critical", component: "admin", path: "/root/admin.kubeconfig", flag: "client-certificate-data",
      expected: "kubectl with /root/admin.kubeconfig and kube-apiserver trust each other's certificates",
      actual: "kube-apiserver --client-ca-file (ca.crt) did not sign admin.kubeconfig's client certificate",
      why: "Edge `admin-kubeconfig-to-apiserver`: the other half is fine (certificate-authority-data is the current ca.crt, which signed " +
        "kube-api-server.crt, and 127.0.0.1 is a SAN), but the API server rejects the client certificate and kubectl gets \"error: You " +
        "must be logged in to the server (Unauthorized)\", so lab 08's `kubectl apply -f kube-apiserver-to-kubelet.yaml --kubeconfig " +
        "admin.kubeconfig` fails. The certificate is the wrong end: re-issue admin.crt from the current ca.crt and rebuild the kubeconfig.",
      fault: "admin-from-first-ca",
    },
  ],
  mayReport: [
    {
      id: "insecure-setting", severity: "warning", component: "etcd", path: HW24_ETCD_UNIT, flag: "--client-cert-auth",
      note: "True (CIS 2.2: etcd requires no client certificate), but on an http:// listener etcd cannot ask for one whatever the flag " +
        "says, so this is the same fact as the `--listen-client-urls` finding and its fix (https:// with --client-cert-auth=true and " +
        "--trusted-ca-file) is that one's. At most a warning: the listener is loopback only, which the rules themselves rate a warning.",
    },
    {
      id: "insecure-setting", severity: "warning", component: "etcd", path: HW24_ETCD_UNIT, flag: "--peer-client-cert-auth",
      note: "Likewise for peers (CIS 2.5): the same fact as the `--listen-peer-urls` finding, on a loopback-only peer port of a single member.",
    },
    {
      id: "ca-outlived", severity: "warning", component: "kube-apiserver", path: `${HW24_K8S}/kube-api-server.crt`, flag: "--tls-cert-file",
      note: "The guide gives the CA and every leaf `-days 3653` and signs the leaves after the CA (here a minute later), so each leaf ends " +
        "a minute after ca.crt (2036-01-13T15:01:00Z vs 15:00:00Z). True and harmless; an auditor may report it for every leaf signed " +
        "by ca.crt.",
    },
    {
      id: "ca-outlived", severity: "warning", component: "kube-apiserver", path: `${HW24_K8S}/kube-api-server.crt`, flag: "--kubelet-client-certificate",
      note: "The same certificate through its other reference.",
    },
    {
      id: "ca-outlived", severity: "warning", component: "kube-apiserver", path: `${HW24_K8S}/service-accounts.crt`, flag: "--service-account-key-file",
      note: "The same one-minute overhang, if the auditor treats the certificate in --service-account-key-file as a certificate.",
    },
    {
      id: "ca-outlived", severity: "warning", component: "kube-controller-manager", path: `${HW24_K8S}/kube-controller-manager.kubeconfig`,
      flag: "client-certificate-data",
      note: "The same one-minute overhang.",
    },
  ],
  mustNotReport: [
    "etcd has no certificate at all: no etcd-ca, etcd server or peer role is played, the API server has no --etcd-cafile, " +
      "--etcd-certfile or --etcd-keyfile, and `apiserver-to-etcd`, `etcd-peer` and `etcdctl-to-etcd` have no certificate to check " +
      "(at most info). No `file-missing` for certificates etcd does not name. The copies lab 07 leaves in `/etc/etcd/` (ca.crt, " +
      "kube-api-server.crt, kube-api-server.key) are named by nothing: not audited, or at most info.",
    "etcd's --name is `controller` while the host is `server` (the guide's unit, unchanged): a member name, which no certificate on this " +
      "node has to match (no kubelet runs here).",
    "kube-api-server.crt is both the serving certificate and the kubelet client certificate (--kubelet-client-certificate): it has " +
      "clientAuth and serverAuth and comes from ca.crt; its CN `kubernetes` and missing O are nobody's business. Its SANs carry " +
      "server.kubernetes.local and 127.0.0.1, which the controller manager, scheduler and admin kubeconfigs dial: " +
      "`controller-manager-to-apiserver` holds, `scheduler-to-apiserver` holds apart from the expiry reported once as cert-expired, " +
      "and the admin connection's server half holds.",
    "kube-scheduler.crt's O is `system:system:kube-scheduler` (ca.conf's typo): RBAC binds the user system:kube-scheduler, so the O is " +
      "irrelevant: no `o-mismatch`. Its CN is right. It is reported as cert-expired only, not cert-expiring.",
    "The admin certificate's CN admin and O system:masters are right: no `o-mismatch`; its fault is its signer, reported as " +
      "issuer-mismatch and as the broken connection. The first run's CA is not on the node: no `ca-inconsistent` (every CA reference " +
      "on the node names ca.crt).",
    "The API server has no --advertise-address: an auditor cannot derive it, at most info (`fact-unknown`). It has no " +
      "--service-cluster-ip-range either, which is not unknown but the API server's default 10.0.0.0/24 (finding 1); " +
      "kube-controller-manager's --service-cluster-ip-range=10.32.0.0/24 is not the API server's range.",
    "`csr-signer-to-apiserver`: --cluster-signing-cert-file is ca.crt, which is --client-ca-file. `pods-to-apiserver` trusts " +
      "--root-ca-file ca.crt, which signed kube-api-server.crt: its only problem is the names.",
    "The guide's files end without a final newline (kube-controller-manager.service, kube-scheduler.service, kube-scheduler.yaml): " +
      "parsed like any other.",
    "Validity: the CA runs 2026-01-12T15:00:00Z – 2036-01-13T15:00:00Z, leaves until 2036-01-13T15:01:00Z: no `cert-expiring`.",
    ...HARDWAY_NORMAL,
  ],
  clean: [`${HW24_K8S}/ca.crt`],
};

/** Expectations by sample name. */
export const EXPECTATIONS: Readonly<Record<string, SampleExpectations>> = {
  "kubeadm-healthy": HEALTHY,
  "kubeadm-broken": BROKEN,
  "kubeadm-trust-broken": TRUST_BROKEN,
  "kubeadm-insecure": INSECURE,
  "kubeadm-ca-problems": CA_PROBLEMS,
  "kubeadm-external-etcd": EXTERNAL_ETCD,
  "hardway-systemd-2021": HARDWAY_2021,
  "hardway-systemd-2024": HARDWAY_2024,
};
