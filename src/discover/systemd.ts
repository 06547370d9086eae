import * as path from "node:path";
import type { RootFs } from "../load/root-fs.js";
import { isFileProblem } from "../load/root-fs.js";
import type { DiscoveredComponent, DiscoveryProblem } from "./discover.js";
import { withEtcdEnvironment } from "./etcd-config.js";
import { parseFlags, type FlagMap } from "./flags.js";
import { expandCommand, mergeFragments, parseEnvironmentFile, parseUnitFragment, UNRESOLVED, unwrapShell, type UnitFragment } from "./systemd-unit.js";

/** Unit directories, highest precedence first (systemd.unit(5), "Unit File Load Path"). */
export const SYSTEMD_DIRS = ["/etc/systemd/system", "/run/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"];

/** Binaries whose units are audited, and the component each runs. */
export const SYSTEMD_COMPONENTS = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd", "kubelet", "kube-proxy"] as const;

/** Drop the flags whose value depends on an undefined variable: their value is unknown, not literal. */
function withoutUnresolved(flags: FlagMap): FlagMap {
  return new Map([...flags].filter(([, values]) => !values.some((value) => value.includes(UNRESOLVED))));
}

/**
 * The unit and its drop-ins as systemd loads them: the unit file from the highest-precedence
 * directory that has it, then every `<unit>.d/*.conf` sorted by file name, a name in a higher
 * directory masking the same name below.
 */
function loadFragments(fs: RootFs, unit: string, problems: DiscoveryProblem[]): UnitFragment[] {
  const fragments: UnitFragment[] = [];
  const unitDir = SYSTEMD_DIRS.find((dir) => fs.listDir(dir).includes(unit));
  if (!unitDir) return fragments;
  const dropIns = new Map<string, string>();
  for (const dir of SYSTEMD_DIRS) {
    for (const name of fs.listDir(`${dir}/${unit}.d`)) {
      if (name.endsWith(".conf") && !dropIns.has(name)) dropIns.set(name, `${dir}/${unit}.d/${name}`);
    }
  }
  const files = [`${unitDir}/${unit}`, ...[...dropIns.keys()].sort().map((name) => dropIns.get(name) as string)];
  for (const file of files) {
    const read = fs.readFile(file);
    if (isFileProblem(read)) {
      problems.push({ id: "file-unreadable", severity: "warning", component: unit, path: file, flag: null, message: read.message });
      continue;
    }
    fragments.push(parseUnitFragment(read.bytes.toString("utf8"), file));
  }
  return fragments;
}

/** Components run by systemd units: the certificate flags of hand-built clusters, and every kubelet. */
export function discoverSystemdComponents(fs: RootFs, problems: DiscoveryProblem[]): DiscoveredComponent[] {
  const units = [...new Set(SYSTEMD_DIRS.flatMap((dir) => fs.listDir(dir).filter((name) => name.endsWith(".service"))))].sort();
  const components: DiscoveredComponent[] = [];
  for (const unit of units) {
    const fragments = loadFragments(fs, unit, problems);
    const definition = mergeFragments(fragments);
    if (!definition.execStart) continue;
    const binary = path.posix.basename(unwrapShell(expandCommand(definition.execStart, new Map()).argv)[0] ?? "");
    const component = SYSTEMD_COMPONENTS.find((name) => name === binary);
    if (!component || components.some((c) => c.name === component)) continue;
    const source = fragments[0]?.source ?? unit;
    // EnvironmentFile= settings override Environment= (systemd.exec(5)).
    const environment = new Map(definition.environment);
    for (const file of definition.environmentFiles) {
      const read = fs.readFile(file.path);
      if (isFileProblem(read)) {
        if (!file.optional || read.problem !== "missing") {
          problems.push({ id: file.optional ? "file-unreadable" : "file-missing", severity: "warning", component, path: file.path, flag: "EnvironmentFile", message: `${unit}: ${read.message}; systemd refuses to start the unit` });
        }
        continue;
      }
      for (const [key, value] of parseEnvironmentFile(read.bytes.toString("utf8"))) environment.set(key, value);
    }
    const expanded = expandCommand(definition.execStart, environment);
    const argv = unwrapShell(expanded.argv);
    const unresolved = expanded.unresolved;
    for (const name of unresolved) {
      problems.push({
        id: "unresolved-variable",
        severity: "warning",
        component,
        path: source,
        flag: null,
        message: `${unit}'s ExecStart uses \${${name}}, which no Environment= or EnvironmentFile= defines; the flags that use it have no known value and were not audited`,
      });
    }
    components.push({
      name: component,
      kind: "systemd",
      source,
      flags: component === "etcd" ? withEtcdEnvironment(withoutUnresolved(parseFlags(argv)), environment) : withoutUnresolved(parseFlags(argv)),
      // systemd runs units with WorkingDirectory=/ unless told otherwise.
      toNodePath: (componentPath) => path.posix.resolve("/", componentPath),
    });
  }
  return components;
}
