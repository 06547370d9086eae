/**
 * etcd takes its settings from three places (etcd op-guide configuration): command-line flags,
 * `ETCD_<FLAG>` environment variables for the flags not given, or, with `--config-file`, a YAML
 * file alone — etcd then ignores every other flag and variable. Hand-built etcd units use all three
 * (distribution packages ship `/etc/etcd/etcd.conf` full of `ETCD_*` variables). Each is turned
 * into the flag map the rules speak about.
 */
import { parseFlags, type FlagMap } from "./flags.js";
import { asRecord, asString, ConfigParseError, parseYamlDocument } from "./yaml.js";

/** The TLS settings the config file nests under a section, and the flag prefix each section stands for. */
const TRANSPORT_SECTIONS: ReadonlyArray<{ key: string; prefix: string }> = [
  { key: "client-transport-security", prefix: "--" },
  { key: "peer-transport-security", prefix: "--peer-" },
];
const TRANSPORT_KEYS = ["cert-file", "key-file", "trusted-ca-file", "client-cert-auth", "auto-tls", "crl-file"];

/** The flags an etcd `--config-file` stands for. */
export function etcdFlagsFromConfigFile(text: string, source: string): FlagMap {
  const document = parseYamlDocument(text, source);
  const config = asRecord(document);
  if (!config) throw new ConfigParseError(`${source} is not an etcd configuration file: expected a YAML mapping`);
  const argv: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    const scalar = asString(value);
    if (scalar !== undefined) argv.push(`--${key}=${scalar}`);
  }
  for (const { key, prefix } of TRANSPORT_SECTIONS) {
    const section = asRecord(config[key]);
    if (!section) continue;
    for (const name of TRANSPORT_KEYS) {
      const scalar = asString(section[name]);
      if (scalar !== undefined) argv.push(`${prefix}${name}=${scalar}`);
    }
  }
  return parseFlags(argv);
}

/** `ETCD_CERT_FILE` → `--cert-file`; not an etcd setting → undefined. */
function flagOfVariable(name: string): string | undefined {
  const match = /^ETCD_([A-Z0-9_]+)$/.exec(name);
  return match ? "--" + (match[1] as string).toLowerCase().replace(/_/g, "-") : undefined;
}

/** etcd's flags with the `ETCD_*` variables of its environment filled in where no flag is given. */
export function withEtcdEnvironment(flags: FlagMap, environment: ReadonlyMap<string, string>): FlagMap {
  const merged = new Map(flags);
  for (const [name, value] of environment) {
    const flag = flagOfVariable(name);
    if (flag && !merged.has(flag)) merged.set(flag, [value]);
  }
  return merged;
}
