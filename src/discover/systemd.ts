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

/** A unit directory and the names in it: unit files, and the `<unit>.d` drop-in directories. */
interface UnitDirectory {
  dir: string;
  names: ReadonlySet<string>;
}

/**
 * The unit and its drop-ins as systemd loads them: the unit file from the highest-precedence
 * directory that has it, then every `<unit>.d/*.conf` sorted by file name, a name in a higher
 * directory masking the same name below. A node has hundreds of units: only the drop-in
 * directories its listings name are looked into.
 */
function loadFragments(fs: RootFs, unit: string, unitDirs: readonly UnitDirectory[], problems: DiscoveryProblem[]): UnitFragment[] {
  const fragments: UnitFragment[] = [];
  const unitDir = unitDirs.find(({ names }) => names.has(unit));
  if (!unitDir) return fragments;
  const dropIns = new Map<string, string>();
  for (const { dir, names } of unitDirs) {
    if (!names.has(`${unit}.d`)) continue;
    for (const name of fs.listDir(`${dir}/${unit}.d`)) {
      if (name.endsWith(".conf") && !dropIns.has(name)) dropIns.set(name, `${dir}/${unit}.d/${name}`);
    }
  }
  const files = [`${unitDir.dir}/${unit}`, ...[...dropIns.keys()].sort().map((name) => dropIns.get(name) as string)];
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
  const unitDirs = SYSTEMD_DIRS.map((dir) => ({ dir, names: new Set(fs.listDir(dir)) }));
  const units = [...new Set(unitDirs.flatMap(({ names }) => [...names].filter((name) => name.endsWith(".service"))))].sort();
  const components: DiscoveredComponent[] = [];
  for (const unit of units) {
    const fragments = loadFragments(fs, unit, unitDirs, problems);
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
