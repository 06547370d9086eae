import type { Discovery } from "../discover/discover.js";
import { flagValue } from "../discover/flags.js";
import { KUBELET_DEFAULT_PORT, type KubeletEndpoint } from "./plan.js";

function portOf(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  const port = Number(value);
  return port >= 0 && port < 65536 ? port : undefined;
}

/**
 * Where the kubelet on this node serves, when a kubelet is here (its config file or its unit was
 * found): `--port`/`--address` on its command line win over `port`/`address` in its
 * KubeletConfiguration, as in the kubelet; the default is port 10250 on every address.
 */
export function kubeletEndpoint(discovery: Discovery): KubeletEndpoint | undefined {
  const unit = discovery.components.find((component) => component.name === "kubelet");
  if (!discovery.kubelet && !unit) return undefined;
  const config = discovery.kubelet?.config;
  const flagPort = unit ? portOf(flagValue(unit.flags, "--port")) : undefined;
  const configPort = portOf(config?.port);
  const address = (unit && flagValue(unit.flags, "--address")) ?? config?.address;
  const configSource = discovery.kubelet?.source;
  const [port, source, setting] =
    flagPort !== undefined && unit
      ? [flagPort, unit.source, "--port"]
      : configPort !== undefined && configSource
        ? [configPort, configSource, "port"]
        : [KUBELET_DEFAULT_PORT, configSource ?? unit?.source ?? "kubelet", "default port"];
  return { port, source, setting, ...(address ? { address } : {}) };
}
