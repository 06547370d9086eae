/**
 * Renders `sample-clusters/README.md` and each sample's README from the spec (facts, faults,
 * certificate inventory) and from expected.ts (the findings a correct audit reports).
 */
import { AUDIT_AT, EXPECTATIONS, type SampleExpectations } from "./expected.js";
import type { CertSpec, NodeSpec, Sample } from "./spec.js";

const DAY_MS = 86_400_000;

/** Markdown table cell: pipes escaped, newlines flattened. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Time left at the audit time, e.g. `228.4` days, negative once expired. */
function daysLeft(notAfter: string): string {
  return ((Date.parse(notAfter) - Date.parse(AUDIT_AT)) / DAY_MS).toFixed(1);
}

/** Where each certificate of a spec lives in the tree (a PEM file and block, or a kubeconfig). */
function certLocations(spec: NodeSpec): Map<string, string[]> {
  const where = new Map<string, string[]>();
  const add = (id: string, location: string) => where.set(id, [...(where.get(id) ?? []), location]);
  for (const file of spec.files) {
    if (file.kind === "pem") {
      file.certs.forEach((id, index) => add(id, `/${file.path}${index > 0 ? ` (PEM block ${index + 1})` : ""}`));
    } else if (file.kind === "kubeconfig" && file.kubeconfig.credentials.kind === "embedded") {
      add(file.kubeconfig.credentials.cert, `/${file.path} (client-certificate-data)`);
    }
  }
  return where;
}

function issuerCN(spec: NodeSpec, cert: CertSpec): string {
  return cert.issuer === "self" ? `${cert.cn} (self-signed)` : spec.certs[cert.issuer]?.cn ?? cert.issuer;
}

function inventory(spec: NodeSpec): string {
  const where = certLocations(spec);
  const rows = Object.keys(spec.certs).sort().map((id) => {
    const c = spec.certs[id] as CertSpec;
    const sans = [...c.sans.dns.map((d) => `DNS:${d}`), ...c.sans.ip.map((ip) => `IP:${ip}`)].join(", ");
    return [
      `\`${id}\``, (where.get(id) ?? ["(not written)"]).join("<br>"), c.cn, c.o.join(", ") || "—", issuerCN(spec, c),
      c.keyAlgorithm, c.extKeyUsage.join(", ") || (c.isCA ? "— (CA)" : "—"), sans || "—",
      `${c.notBefore} – ${c.notAfter}`, daysLeft(c.notAfter),
    ];
  });
  return table(["id", "file", "CN", "O", "issuer", "key", "EKU", "SANs", "validity", `days left at ${AUDIT_AT}`], rows);
}

function treeListing(spec: NodeSpec): string {
  const lines = [...spec.files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => (f.kind === "symlink" ? `${f.path} -> ${f.target}` : f.path));
  return ["```", ...lines, "```"].join("\n");
}

function factsTable(spec: NodeSpec): string {
  const f = spec.facts;
  return table(["fact", "value"], [
    ["hostname / node name", `${f.hostname} / ${f.nodeName}`],
    ["advertise address, API server port", `${f.advertiseAddress}, ${f.bindPort}`],
    ["service CIDR (service IP)", `${f.serviceSubnet} (${f.serviceIP})`],
    ["cluster DNS, cluster domain", `${f.clusterDNS}, ${f.clusterDomain}`],
    ["etcd servers (kube-apiserver --etcd-servers)", f.etcdServers.join(",")],
    ["Kubernetes, etcd", `${f.kubernetesVersion}, ${f.etcdImage}`],
    ["certificates issued at", `${f.issuedAt} (${f.issuance ?? "kubeadm v1.31+: notBefore 5 minutes earlier; leaves 365 days, CAs 3650 days"})`],
  ]);
}

const EXIT_MEANING: Record<SampleExpectations["exitCode"], string> = {
  0: "nothing worse than info",
  1: "at least one warning",
  2: "at least one critical finding",
};

function expectationsSection(name: string, faultNames: string[]): string {
  const e = EXPECTATIONS[name];
  if (!e) throw new Error(`no expectations for sample ${name}`);
  const out: string[] = [];
  out.push(`## Expected audit result at \`--at ${AUDIT_AT}\``, "");
  out.push(`Exit code **${e.exitCode}** (${EXIT_MEANING[e.exitCode]}).`, "");
  if (e.findings.length === 0) {
    out.push("A correct audit reports **no finding worse than info**.", "");
  } else {
    out.push("### Findings a correct audit must report", "");
    out.push(table(
      ["#", "id", "severity", "component", "path", "flag / field", "expected", "actual"],
      e.findings.map((f) => [String(faultNames.indexOf(f.fault) + 1), `\`${f.id}\``, f.severity, f.component, `\`${f.path}\``, f.flag, f.expected, f.actual]),
    ), "");
    out.push("Why each must be reported:", "");
    for (const f of e.findings) out.push(`${faultNames.indexOf(f.fault) + 1}. **\`${f.id}\`** on \`${f.path}\`: ${f.why}`);
    out.push("");
  }
  if (e.mayReport.length > 0) {
    out.push("### Consequences an auditor may also report (correct, not required)", "");
    out.push(table(
      ["id", "severity", "component", "path", "flag", "why"],
      e.mayReport.map((f) => [`\`${f.id}\``, f.severity, f.component, `\`${f.path}\``, f.flag, f.note]),
    ), "");
  }
  out.push("### What must not be reported (worse than info)", "");
  for (const line of e.mustNotReport) out.push(`- ${line}`);
  out.push("");
  out.push("### Certificates with nothing to report", "");
  out.push(e.mayReport.length > 0
    ? "Beyond the optional consequences above, a correct audit reports nothing worse than info on:"
    : "A correct audit reports nothing worse than info on any certificate:", "");
  for (const path of e.clean) out.push(`- \`${path}\``);
  out.push("");
  return out.join("\n");
}

/** The README of one sample. */
export function renderSampleReadme(sample: Sample): string {
  const faultNames = sample.faults.map((f) => f.name);
  const out: string[] = [];
  out.push(`# ${sample.name}`, "");
  out.push("<!-- Generated by scripts/samples/generate.ts from scripts/samples/spec.ts and expected.ts; do not edit. -->", "");
  if (sample.faults.length === 0) {
    out.push(
      "The file tree of a control-plane node right after `kubeadm init` with kubeadm v1.31: stacked (local) etcd, RSA-2048 keys " +
        "(kubeadm's default), the v1.29+ O values, `super-admin.conf` (this is the init node), and a `kubelet.conf` that the " +
        "kubelet-finalize phase has pointed at the rotating `kubelet-client-current.pem`. Everything is as kubeadm lays it out " +
        "(kubeadm `phases/certs/certlist.go`, `phases/kubeconfig/kubeconfig.go`, `phases/controlplane/manifests.go`, " +
        "`phases/etcd/local.go`, `cmd/phases/init/kubeletfinalize.go`).",
      "",
    );
  } else {
    const list = sample.faultList;
    if (!list) throw new Error(`sample ${sample.name} has faults but no faultList`);
    out.push(
      list.intro ??
      `The \`kubeadm-healthy\` node with ${sample.faults.length} ${list.kind} applied as named overrides of the ` +
        `healthy spec (\`${list.exportName}\` in \`scripts/samples/spec.ts\`). Every file the faults do not touch is byte-identical ` +
        "to `kubeadm-healthy`.",
      "",
      ...(list.note ? [list.note, ""] : []),
      "## Faults",
      "",
      table(["#", "fault", "what it breaks"], sample.faults.map((f, i) => [String(i + 1), `\`${f.name}\``, f.breaks])),
      "",
    );
  }
  out.push("## Facts", "", factsTable(sample.spec), "");
  out.push(expectationsSection(sample.name, faultNames));
  out.push("## Certificates", "", inventory(sample.spec), "");
  out.push("## Files", "", treeListing(sample.spec), "");
  out.push(
    "Run it: `kube-cert-audit --root sample-clusters/" + sample.name + ` --at ${AUDIT_AT}\`. All key material here is ` +
      "throw-away test material; see `../README.md`.",
    "",
  );
  return out.join("\n");
}

/** The index README of `sample-clusters/`. */
export function renderIndexReadme(samples: readonly Sample[]): string {
  const rows = samples.map((s) => {
    const e = EXPECTATIONS[s.name];
    return [`[\`${s.name}\`](${s.name}/README.md)`, s.title, e ? String(e.exitCode) : "?", e ? String(e.findings.length) : "?"];
  });
  return [
    "# Sample clusters",
    "",
    "<!-- Generated by scripts/samples/generate.ts; do not edit. -->",
    "",
    "Complete file trees of Kubernetes control-plane nodes, to audit with `--root`. Each sample's README lists the facts of the " +
      "node, every certificate, and the findings a correct audit reports, with the reason for each, reasoned from the spec " +
      "and kubeadm's behaviour rather than from any tool's output.",
    "",
    table(["sample", "what it is", `exit code at ${AUDIT_AT}`, "required findings"], rows),
    "",
    "```sh",
    `kube-cert-audit --root sample-clusters/kubeadm-broken --at ${AUDIT_AT}`,
    "```",
    "",
    "## Time",
    "",
    "Every certificate of the kubeadm samples is issued at a fixed reference instant (2026-01-15T10:00:00Z, unless a fault says " +
      "otherwise), those of the hard-way samples at the fixed instants their READMEs give, and the " +
      `READMEs describe an audit at \`--at ${AUDIT_AT}\`. Audit with that \`--at\`: without it the result depends on today's date ` +
      "(from 2026-12-01 the `hardway-systemd-2021` leaves expire, from 2027-01-15 every kubeadm leaf).",
    "",
    "## Regenerating",
    "",
    "The trees are generated from a declarative spec, `scripts/samples/spec.ts`: node facts, every certificate (CN, O, SANs, " +
      "key usage, EKU, issuer, key id, serial, validity), every file, and each fault as a named list of overrides of the healthy " +
      "spec. The expected findings live in `scripts/samples/expected.ts`.",
    "",
    "```sh",
    "npm run samples              # rewrite sample-clusters/ from the spec",
    "npm run samples -- --check   # regenerate into a temporary directory and compare byte for byte; exit 1 on any difference",
    "```",
    "",
    "Generation is deterministic: private keys come from the committed key store `scripts/samples/keys/<keyId>.pem` (PKCS#8; " +
      "`npm run samples` creates a key only when it is missing), all signing keys are RSA-2048 so every signature is " +
      "RSASSA-PKCS1-v1_5/SHA-256 (no randomness), and serial numbers and dates come from the spec. Two runs write identical bytes.",
    "",
    "Tests can build the same trees without the CLI: `generateAll(outDir)` and `checkAll(committedDir)` from " +
      "`scripts/samples/generate.ts`, `SAMPLES` from `spec.ts`, and the expected findings as data, `EXPECTATIONS` and " +
      "`AUDIT_AT`, from `expected.ts`.",
    "",
    "Git does not keep file modes other than the executable bit: the generator writes private keys, kubeconfigs and static pod " +
      "manifests with mode 0600 as kubeadm does (and a few files of `kubeadm-insecure` too open, on purpose), but a fresh checkout " +
      "has them 0644. `sample-clusters/MODES`, generated with the trees and compared by `--check`, lists every file whose " +
      "intended mode is not 0644; `node scripts/restore-modes.mjs` applies it (`npm test` and `npm ci` run it). Audit a " +
      "checkout only after that, or every key and kubeconfig is reported as readable by others.",
    "",
    "## Key material",
    "",
    "**Every private key in these trees and in `scripts/samples/keys/` is throw-away test material**, published on purpose. " +
      "It protects nothing; never use it, or anything signed with it, outside tests.",
    "",
  ].join("\n");
}
