import type { Discovery } from "../discover/discover.js";
import { flagValue } from "../discover/flags.js";
import { asRecord, asString, ConfigParseError, parseYamlDocument } from "../discover/yaml.js";
import { isFileProblem, type RootFs } from "../load/root-fs.js";
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
export function kubeletEndpoint(fs: RootFs, discovery: Discovery): KubeletEndpoint | undefined {
  const unit = discovery.components.find((component) => component.name === "kubelet");
  if (!discovery.kubelet && !unit) return undefined;
  let config: Record<string, unknown> | undefined;
  if (discovery.kubelet) {
    const read = fs.readFile(discovery.kubelet.source);
    if (!isFileProblem(read)) {
      try {
        config = asRecord(parseYamlDocument(read.bytes.toString("utf8"), discovery.kubelet.source));
      } catch (error) {
        if (!(error instanceof ConfigParseError)) throw error;
      }
    }
  }
  const flagPort = unit ? portOf(flagValue(unit.flags, "--port")) : undefined;
  const configPort = portOf(asString(config?.port));
  const address = (unit && flagValue(unit.flags, "--address")) ?? asString(config?.address);
  const configSource = discovery.kubelet?.source;
  const [port, source, setting] =
    flagPort !== undefined && unit
      ? [flagPort, unit.source, "--port"]
      : configPort !== undefined && configSource
        ? [configPort, configSource, "port"]
        : [KUBELET_DEFAULT_PORT, configSource ?? unit?.source ?? "kubelet", "default port"];
  return { port, source, setting, ...(address ? { address } : {}) };
}
