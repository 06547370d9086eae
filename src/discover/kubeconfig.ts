import { asArray, asRecord, asString, ConfigParseError, parseYamlDocument } from "./yaml.js";

/** The credentials of a kubeconfig's current context: what a client presents and trusts. */
export interface KubeconfigCredentials {
  contextName: string | null;
  userName: string | null;
  clusterName: string | null;
  server: string | null;
  certificateAuthority?: string;
  certificateAuthorityData?: string;
  clientCertificate?: string;
  clientCertificateData?: string;
  clientKey?: string;
  clientKeyData?: string;
  /** A bearer token or token file is in use; its value is never kept. */
  usesToken: boolean;
}

function named(list: unknown, name: string | null, key: string): Record<string, unknown> | undefined {
  for (const item of asArray(list)) {
    const entry = asRecord(item);
    if (entry && asString(entry.name) === name) return asRecord(entry[key]);
  }
  return undefined;
}

/**
 * Parse a kubeconfig and pick the current context's user and cluster, as kubectl and client-go
 * do. With no current-context, a file with exactly one context uses that one.
 */
export function parseKubeconfig(text: string, source: string): KubeconfigCredentials {
  const doc = asRecord(parseYamlDocument(text, source));
  if (!doc || (!("users" in doc) && !("clusters" in doc) && !("contexts" in doc))) {
    throw new ConfigParseError(`${source} is not a kubeconfig (no clusters, users or contexts)`);
  }
  let contextName = asString(doc["current-context"]) ?? null;
  const contexts = asArray(doc.contexts);
  if (!contextName && contexts.length === 1) contextName = asString(asRecord(contexts[0])?.name) ?? null;
  const context = named(doc.contexts, contextName, "context");
  const userName = asString(context?.user) ?? null;
  const clusterName = asString(context?.cluster) ?? null;
  const user = named(doc.users, userName, "user") ?? {};
  const cluster = named(doc.clusters, clusterName, "cluster") ?? {};
  // client-go refuses a context whose user or cluster the file does not define.
  for (const [kind, name, list] of [["user", userName, doc.users], ["cluster", clusterName, doc.clusters]] as const) {
    if (name !== null && !asArray(list).some((item) => asString(asRecord(item)?.name) === name)) throw new ConfigParseError(`${source}: context '${contextName}' names ${kind} '${name}', which the file does not define`);
  }
  const credentials: KubeconfigCredentials = {
    contextName,
    userName,
    clusterName,
    server: asString(cluster.server) ?? null,
    usesToken: asString(user.token) !== undefined || asString(user.tokenFile) !== undefined,
  };
  const fields: Array<[keyof KubeconfigCredentials, Record<string, unknown>, string]> = [
    ["certificateAuthority", cluster, "certificate-authority"],
    ["certificateAuthorityData", cluster, "certificate-authority-data"],
    ["clientCertificate", user, "client-certificate"],
    ["clientCertificateData", user, "client-certificate-data"],
    ["clientKey", user, "client-key"],
    ["clientKeyData", user, "client-key-data"],
  ];
  for (const [property, holder, key] of fields) {
    const value = asString(holder[key]);
    if (value) (credentials as unknown as Record<string, unknown>)[property] = value;
  }
  return credentials;
}
