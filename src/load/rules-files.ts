import * as fs from "node:fs";
import { ConfigParseError, asArray, asRecord, parseYamlDocument } from "../discover/yaml.js";
import { compileValidators, mergeRules, RulesError, validateEdges, validateReferences, validateRole, validateSettings } from "../rules/validate.js";
import type { RoleRule, RuleSet } from "../rules/types.js";

import { listPackageDir, preparsedPackageYaml, readPackageFile } from "./package-files.js";

/** Parse a rules file: one the package ships (read by its package path) or the user's --rules FILE. */
function readYaml(read: () => string, label: string): unknown {
  let text: string;
  try {
    text = read();
  } catch (error) {
    throw new RulesError(`${label}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return parseYamlDocument(text, label);
  } catch (error) {
    if (error instanceof ConfigParseError) throw new RulesError(error.message);
    throw error;
  }
}

/**
 * The package's rules, validated against their schemas when `validateBundled` is set (the tests
 * and the single-file build do: the rules ship with the code and change only with it), then a
 * user's `--rules FILE` overlaid, which is always validated.
 */
export function loadRules(userRulesFile?: string, { validateBundled = false }: { validateBundled?: boolean } = {}): RuleSet {
  const readSchema = (name: string) => JSON.parse(readPackageFile(`rules/schema/${name}`)) as object;
  const validators = compileValidators(() => ({
    role: readSchema("role.schema.json"),
    references: readSchema("references.schema.json"),
    edges: readSchema("edges.schema.json"),
    settings: readSchema("settings.schema.json"),
  }));
  const shipped = (file: string) => preparsedPackageYaml(`rules/${file}`)?.value ?? readYaml(() => readPackageFile(`rules/${file}`), `rules/${file}`);
  const check = <T>(validate: (value: unknown, label: string) => T, file: string): T => {
    const value = shipped(file);
    return validateBundled ? validate(value, `rules/${file}`) : (value as T);
  };
  const references = check((v, label) => validateReferences(validators, v, label), "references.yaml");
  const roles: RoleRule[] = [];
  for (const name of listPackageDir("rules/roles")) {
    if (!name.endsWith(".yaml")) continue;
    const label = `rules/roles/${name}`;
    const role = validateBundled ? validateRole(validators, shipped(`roles/${name}`), label) : ({ ...(shipped(`roles/${name}`) as Omit<RoleRule, "source">), source: label } as RoleRule);
    if (`${role.id}.yaml` !== name) throw new RulesError(`${label}: id '${role.id}' does not match the file name`);
    roles.push(role);
  }
  const edges = check((v, label) => validateEdges(validators, v, label), "edges.yaml");
  const settings = check((v, label) => validateSettings(validators, v, label), "settings.yaml");
  const bundled: RuleSet = { references, roles, edges, settings };
  if (!userRulesFile) return bundled;
  const doc = asRecord(readYaml(() => fs.readFileSync(userRulesFile, "utf8"), userRulesFile));
  if (!doc) throw new RulesError(`${userRulesFile}: expected a mapping with 'roles' and/or 'references'`);
  const unknown = Object.keys(doc).filter((key) => !["roles", "references", "edges", "settings"].includes(key));
  if (unknown.length > 0) throw new RulesError(`${userRulesFile}: unknown top-level key '${unknown[0]}' (expected roles, references, edges or settings)`);
  const overlay: Partial<RuleSet> = {
    roles: asArray(doc.roles).map((role, index) => validateRole(validators, role, `${userRulesFile} roles[${index}]`)),
  };
  if (doc.references !== undefined) overlay.references = validateReferences(validators, doc.references, `${userRulesFile} references`);
  if (doc.edges !== undefined) overlay.edges = validateEdges(validators, doc.edges, `${userRulesFile} edges`);
  if (doc.settings !== undefined) overlay.settings = validateSettings(validators, doc.settings, `${userRulesFile} settings`);
  return mergeRules(bundled, overlay);
}
