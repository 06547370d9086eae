import fc from "fast-check";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { discover } from "../../src/discover/discover.js";
import { etcdFlagsFromConfigFile, withEtcdEnvironment } from "../../src/discover/etcd-config.js";
import { flagValue } from "../../src/discover/flags.js";
import { ConfigParseError } from "../../src/discover/yaml.js";
import { RootFs } from "../../src/load/root-fs.js";

// The layout of etcd's etcd.conf.yml.sample: TLS settings nested per transport.
const ETCD_CONFIG = `name: etcd-1
data-dir: /var/lib/etcd
listen-client-urls: https://10.0.0.5:2379,https://127.0.0.1:2379
advertise-client-urls: https://10.0.0.5:2379
initial-advertise-peer-urls: https://10.0.0.5:2380
snapshot-count: 10000
client-transport-security:
  cert-file: /etc/etcd/pki/server.crt
  key-file: /etc/etcd/pki/server.key
  client-cert-auth: true
  trusted-ca-file: /etc/etcd/pki/ca.crt
  auto-tls: false
peer-transport-security:
  cert-file: /etc/etcd/pki/peer.crt
  key-file: /etc/etcd/pki/peer.key
  client-cert-auth: false
  trusted-ca-file: /etc/etcd/pki/ca.crt
`;

describe("etcdFlagsFromConfigFile", () => {
  const flags = etcdFlagsFromConfigFile(ETCD_CONFIG, "/etc/etcd/etcd.conf.yml");

  test.each([
    ["--name", "etcd-1"],
    ["--listen-client-urls", "https://10.0.0.5:2379,https://127.0.0.1:2379"],
    ["--snapshot-count", "10000"],
    ["--cert-file", "/etc/etcd/pki/server.crt"],
    ["--key-file", "/etc/etcd/pki/server.key"],
    ["--client-cert-auth", "true"],
    ["--trusted-ca-file", "/etc/etcd/pki/ca.crt"],
    ["--auto-tls", "false"],
    ["--peer-cert-file", "/etc/etcd/pki/peer.crt"],
    ["--peer-key-file", "/etc/etcd/pki/peer.key"],
    ["--peer-client-cert-auth", "false"],
    ["--peer-trusted-ca-file", "/etc/etcd/pki/ca.crt"],
  ])("%s = %s", (flag, value) => {
    expect(flagValue(flags, flag)).toBe(value);
  });

  test("sections are not flags themselves", () => {
    expect(flags.has("--client-transport-security")).toBe(false);
    expect(flags.has("--peer-transport-security")).toBe(false);
  });

  test.each([
    ["a list", "- a\n- b\n"],
    ["a scalar", "just text\n"],
    ["invalid YAML", "cert-file: [unclosed\n"],
  ])("%s is a ConfigParseError", (_name, text) => {
    expect(() => etcdFlagsFromConfigFile(text, "/c.yml")).toThrow(ConfigParseError);
  });

  test("property: any text fails only with ConfigParseError", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v))), (text) => {
        try {
          etcdFlagsFromConfigFile(text, "/c.yml");
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigParseError);
        }
      }),
    );
  });
});

describe("withEtcdEnvironment", () => {
  const env = new Map([
    ["ETCD_CERT_FILE", "/etc/etcd/env.crt"],
    ["ETCD_PEER_TRUSTED_CA_FILE", "/etc/etcd/ca.crt"],
    ["ETCD_CLIENT_CERT_AUTH", "true"],
    ["INTERNAL_IP", "10.0.0.5"],
    ["ETCDCTL_API", "3"],
  ]);

  test("ETCD_<FLAG> sets the flag when the command line does not", () => {
    const flags = withEtcdEnvironment(new Map([["--name", ["e"]]]), env);
    expect(flagValue(flags, "--cert-file")).toBe("/etc/etcd/env.crt");
    expect(flagValue(flags, "--peer-trusted-ca-file")).toBe("/etc/etcd/ca.crt");
    expect(flagValue(flags, "--client-cert-auth")).toBe("true");
  });

  test("a flag on the command line wins over its variable", () => {
    const flags = withEtcdEnvironment(new Map([["--cert-file", ["/flag.crt"]]]), env);
    expect(flagValue(flags, "--cert-file")).toBe("/flag.crt");
  });

  test("variables that are not etcd settings are ignored", () => {
    const flags = withEtcdEnvironment(new Map(), env);
    expect([...flags.keys()].sort()).toEqual(["--cert-file", "--client-cert-auth", "--peer-trusted-ca-file"]);
  });
});

describe("discovery of etcd's configuration", () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));
  const tree = (files: Record<string, string>) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "kca-etcd-config-"));
    roots.push(root);
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    return discover(new RootFs(root));
  };
  const etcdOf = (files: Record<string, string>) => {
    const discovery = tree(files);
    return { discovery, etcd: discovery.components.find((c) => c.name === "etcd") };
  };

  test("--config-file replaces the unit's flags and becomes the source", () => {
    const { etcd } = etcdOf({
      "etc/systemd/system/etcd.service": "[Service]\nExecStart=/usr/local/bin/etcd --config-file=/etc/etcd/etcd.conf.yml --cert-file=/ignored.crt\n",
      "etc/etcd/etcd.conf.yml": ETCD_CONFIG,
    });
    expect(etcd?.source).toBe("/etc/etcd/etcd.conf.yml");
    expect(flagValue(etcd!.flags, "--cert-file")).toBe("/etc/etcd/pki/server.crt");
    expect(flagValue(etcd!.flags, "--peer-cert-file")).toBe("/etc/etcd/pki/peer.crt");
  });

  test("ETCD_CONFIG_FILE from an EnvironmentFile names the config file too", () => {
    const { etcd } = etcdOf({
      "etc/systemd/system/etcd.service": "[Service]\nEnvironmentFile=/etc/etcd/etcd.env\nExecStart=/usr/bin/etcd\n",
      "etc/etcd/etcd.env": "ETCD_CONFIG_FILE=/etc/etcd/etcd.conf.yml\n",
      "etc/etcd/etcd.conf.yml": ETCD_CONFIG,
    });
    expect(flagValue(etcd!.flags, "--trusted-ca-file")).toBe("/etc/etcd/pki/ca.crt");
  });

  test("ETCD_* variables of a distribution's /etc/etcd/etcd.conf become flags, through a shell wrapper too", () => {
    // The unit Fedora and CentOS ship: etcd runs under bash -c with systemd-expanded variables.
    const { etcd } = etcdOf({
      "usr/lib/systemd/system/etcd.service":
        '[Service]\nEnvironmentFile=-/etc/etcd/etcd.conf\nExecStart=/bin/bash -c "GOMAXPROCS=$(nproc) /usr/bin/etcd --name=\\"${ETCD_NAME}\\" --data-dir=\\"${ETCD_DATA_DIR}\\""\n',
      "etc/etcd/etcd.conf": 'ETCD_NAME=default\nETCD_DATA_DIR="/var/lib/etcd/default.etcd"\nETCD_CERT_FILE="/etc/etcd/server.pem"\nETCD_TRUSTED_CA_FILE="/etc/etcd/ca.pem"\n',
    });
    expect(flagValue(etcd!.flags, "--name")).toBe("default");
    expect(flagValue(etcd!.flags, "--data-dir")).toBe("/var/lib/etcd/default.etcd");
    expect(flagValue(etcd!.flags, "--cert-file")).toBe("/etc/etcd/server.pem");
    expect(flagValue(etcd!.flags, "--trusted-ca-file")).toBe("/etc/etcd/ca.pem");
    const { etcd: direct } = etcdOf({
      "usr/lib/systemd/system/etcd.service": "[Service]\nEnvironmentFile=-/etc/etcd/etcd.conf\nExecStart=/usr/bin/etcd --name=override\n",
      "etc/etcd/etcd.conf": "ETCD_NAME=default\n",
    });
    expect(flagValue(direct!.flags, "--name")).toBe("override");
  });

  test.each([
    ["missing", {}, "file-missing"],
    ["not YAML", { "etc/etcd/etcd.conf.yml": "cert-file: [oops\n" }, "config-invalid"],
  ])("a %s config file is a critical problem and no flag is guessed", (_name, extra, id) => {
    const { discovery, etcd } = etcdOf({
      "etc/systemd/system/etcd.service": "[Service]\nExecStart=/usr/local/bin/etcd --config-file=/etc/etcd/etcd.conf.yml --cert-file=/ignored.crt\n",
      ...extra,
    });
    expect(etcd?.flags.size).toBe(0);
    expect(discovery.problems).toEqual([expect.objectContaining({ id, severity: "critical", component: "etcd", path: "/etc/etcd/etcd.conf.yml", flag: "--config-file" })]);
  });
});
