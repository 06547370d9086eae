import type { ProbeCheckKind } from "../types.js";

const short = (fingerprint: string) => `${fingerprint.slice(0, 23)}…`;
const day = (date: Date) => date.toISOString().slice(0, 10);

export const probeStaleCertificate: ProbeCheckKind = {
  id: "probe-stale-certificate",
  title: "A component serves a different certificate than the file its configuration names",
  description:
    "With --probe: the certificate each endpoint serves (read in a TLS handshake) is the certificate in the file the component's flag names (kube-apiserver --tls-cert-file, etcd --cert-file and --peer-cert-file, the kubelet's tlsCertFile or its self-signed or rotated serving certificate), compared by SHA-256 fingerprint.",
  citation: "Go crypto/tls (the certificate a server presents is what it loaded); kubeadm certs renew (\"you must restart the control plane components\"): https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/#manual-certificate-renewal",
  explanation:
    "Renewing a certificate changes a file; the running process keeps what it loaded until it reloads or restarts. After `kubeadm certs renew` the files look perfect and the file audit is green, while the API server may still serve the old certificate until it expires — and the cluster breaks on that day although every file is fine. The same happens when a manifest or unit is changed to name a new file and the component is not restarted. etcd reads its certificate files at every new connection and recent kube-apiserver versions reload a changed serving certificate, so a file replaced in place is usually picked up; a changed path, a failed reload or a component that does not reload needs a restart.",
  remediation:
    "Restart the component so it loads the certificate on disk (static pods: move the manifest out of /etc/kubernetes/manifests and back; systemd: systemctl restart UNIT). If the served certificate is the newer one, the file was replaced by an older copy: restore the current certificate instead.",
  evaluate(result) {
    const { target, served } = result;
    const onDisk = target.onDisk;
    if (!served || !onDisk || served.fingerprintSha256 === onDisk.fingerprintSha256) return [];
    const older = served.notAfter.getTime() <= onDisk.notAfter.getTime();
    const sameKey = served.spkiHex === onDisk.spkiHex;
    const sameName = served.subjectCN !== null && served.subjectCN === onDisk.subjectCN;
    const what = older ? "an old certificate" : "a different certificate than the file (a newer one)";
    const relation = sameKey
      ? "both are for the same key (a renewal not yet loaded)"
      : sameName
        ? "both are for the same name with different keys (a re-issued certificate not yet loaded)"
        : `the served certificate (CN ${served.subjectCN ?? "none"}, issued by ${served.issuerCN ?? "no CN"}) has neither the file's key nor its name: if something other than ${target.component} answers at ${target.url}, the probe did not reach ${target.component}`;
    const restore = `The file ${onDisk.path} is older than what ${target.component} serves: restore the current certificate to ${onDisk.path} (a restart now would load the older one). If the older file is intended, restart ${target.restart}`;
    return [
      {
        severity: "critical",
        component: target.component,
        path: onDisk.path,
        flag: onDisk.flag,
        role: onDisk.role ?? null,
        message:
          `${target.component} ${target.endpoint} ${target.url} is serving ${what}; restart ${target.component}: it serves serial ${served.serial} (expires ${day(served.notAfter)}), ` +
          `while ${onDisk.flag} names ${onDisk.path}, serial ${onDisk.serial} (expires ${day(onDisk.notAfter)}); ${relation}`,
        expected: `the certificate in ${onDisk.path} (SHA-256 ${short(onDisk.fingerprintSha256)}, serial ${onDisk.serial}, expires ${day(onDisk.notAfter)})`,
        actual: `served SHA-256 ${short(served.fingerprintSha256)}, serial ${served.serial}, expires ${day(served.notAfter)}${served.subjectCN ? `, CN ${served.subjectCN}` : ""}`,
        remediation: older || !(sameKey || sameName) ? `Restart ${target.restart}` : restore,
      },
    ];
  },
};
