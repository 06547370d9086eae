import { asRecord, asString, ConfigParseError, parseYamlDocument } from "./yaml.js";

/** The fields of a KubeletConfiguration that name certificates or feed the facts. */
export interface KubeletConfig {
  clientCAFile?: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  clusterDomain?: string;
  serverTLSBootstrap: boolean;
  anonymousAuth?: boolean;
  /** Where it serves (`port`, `address`), as written. */
  port?: string;
  address?: string;
}

export function parseKubeletConfig(text: string, source: string): KubeletConfig {
  const doc = asRecord(parseYamlDocument(text, source));
  if (!doc) throw new ConfigParseError(`${source} is not a KubeletConfiguration (no top-level mapping)`);
  if (doc.kind !== undefined && doc.kind !== "KubeletConfiguration") {
    throw new ConfigParseError(`${source} is a ${asString(doc.kind)}, not a KubeletConfiguration`);
  }
  const authentication = asRecord(doc.authentication);
  const config: KubeletConfig = { serverTLSBootstrap: doc.serverTLSBootstrap === true };
  const clientCAFile = asString(asRecord(authentication?.x509)?.clientCAFile);
  if (clientCAFile) config.clientCAFile = clientCAFile;
  const tlsCertFile = asString(doc.tlsCertFile);
  if (tlsCertFile) config.tlsCertFile = tlsCertFile;
  const tlsPrivateKeyFile = asString(doc.tlsPrivateKeyFile);
  if (tlsPrivateKeyFile) config.tlsPrivateKeyFile = tlsPrivateKeyFile;
  const clusterDomain = asString(doc.clusterDomain);
  if (clusterDomain) config.clusterDomain = clusterDomain.replace(/\.$/, "");
  const anonymous = asRecord(authentication?.anonymous)?.enabled;
  if (typeof anonymous === "boolean") config.anonymousAuth = anonymous;
  const port = asString(doc.port);
  if (port !== undefined) config.port = port;
  const address = asString(doc.address);
  if (address) config.address = address;
  return config;
}
