import type { Connection, Finding } from "../model.js";
import { pick } from "./checks/trust-edge-broken.js";
import type { CheckContext } from "./types.js";

/**
 * The connections of rules/edges.yaml this node takes part in, and whether they hold: those whose
 * client is here, and those whose server is here for a client component elsewhere.
 */
export function connectionsOf(ctx: CheckContext, findings: readonly Finding[]): Connection[] {
  const broken = new Set(findings.map((finding) => finding.connection).filter((id) => id !== undefined));
  const connections: Connection[] = [];
  for (const edge of ctx.rules.edges) {
    const here = (selectors: Array<typeof edge.client.cert>) => selectors.some((selector) => pick(ctx, selector, true).refs.length > 0);
    const clientHere = here([edge.client.cert, edge.client.trusts]);
    const serverHere = here([edge.server.cert, edge.server.trusts]);
    // A client that is a component (a kubelet, kube-proxy) may run on other nodes and connect to a
    // server here; one named by a kubeconfig file (admin.conf) exists only where that file does.
    const clientElsewhere = edge.client.cert?.component !== undefined && edge.client.cert.kubeconfig === undefined && edge.client.cert.path === undefined;
    if (!clientHere && !(serverHere && clientElsewhere)) continue;
    const status = broken.has(edge.id) ? "broken" : clientHere && serverHere ? "ok" : "partial";
    connections.push({ id: edge.id, title: edge.title, client: edge.client.component, server: edge.server.component, status });
  }
  return connections;
}
