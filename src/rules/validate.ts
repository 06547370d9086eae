import type { Ajv, ErrorObject, ValidateFunction } from "ajv";
import { ajvClass } from "./ajv.js";
import type { ReferenceRule, RoleRule, RuleSet, SecuritySetting, TrustEdge } from "./types.js";
import { compareText } from "../order.js";

/** A rules file that does not match its schema: names the file and the field. */
export class RulesError extends Error {}

export interface RuleValidators {
  role: ValidateFunction;
  references: ValidateFunction;
  edges: ValidateFunction;
  settings: ValidateFunction;
}

/**
 * The JSON Schemas under rules/schema as validators, each compiled when first used (passed in:
 * this module reads no files). Compiling costs more than the rest of an audit, so a run that
 * checks nothing against a schema compiles nothing.
 */
export function compileValidators(schemas: () => Record<keyof RuleValidators, object>): RuleValidators {
  let ajv: Ajv | undefined;
  const compiled = new Map<keyof RuleValidators, ValidateFunction>();
  const get = (name: keyof RuleValidators): ValidateFunction => {
    let validate = compiled.get(name);
    if (!validate) {
      ajv ??= new (ajvClass())({ allErrors: true, strict: false });
      validate = ajv.compile(schemas()[name]);
      compiled.set(name, validate);
    }
    return validate;
  };
  return {
    get role() {
      return get("role");
    },
    get references() {
      return get("references");
    },
    get edges() {
      return get("edges");
    },
    get settings() {
      return get("settings");
    },
  };
}

function describe(source: string, errors: ErrorObject[] | null | undefined): string {
  const lines = (errors ?? []).slice(0, 5).map((error) => {
    if (error.keyword === "additionalProperties") {
      const unknown = (error.params as { additionalProperty: string }).additionalProperty;
      return `  ${error.instancePath}/${unknown}: unknown field (misspelt?)`;
    }
    const allowed = error.keyword === "enum" ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(", ")})` : "";
    return `  ${error.instancePath || "(top level)"}: ${error.message}${allowed}`;
  });
  return `${source}: invalid rules\n${lines.join("\n")}`;
}

export function validateRole(validators: RuleValidators, value: unknown, source: string): RoleRule {
  const { role } = validators;
  if (!role(value)) throw new RulesError(describe(source, role.errors));
  return { ...(value as Omit<RoleRule, "source">), source };
}

export function validateReferences(validators: RuleValidators, value: unknown, source: string): Record<string, ReferenceRule[]> {
  const { references } = validators;
  if (!references(value)) throw new RulesError(describe(source, references.errors));
  return value as Record<string, ReferenceRule[]>;
}

export function validateEdges(validators: RuleValidators, value: unknown, source: string): TrustEdge[] {
  if (!validators.edges(value)) throw new RulesError(describe(source, validators.edges.errors));
  return value as TrustEdge[];
}

export function validateSettings(validators: RuleValidators, value: unknown, source: string): SecuritySetting[] {
  if (!validators.settings(value)) throw new RulesError(describe(source, validators.settings.errors));
  return value as SecuritySetting[];
}

/**
 * Overlay user rules on the bundled ones: a role, edge or setting with a known id replaces it, a new id is added;
 * reference rows are added to their component (a row for an existing flag replaces it).
 */
export function mergeRules(base: RuleSet, overlay: Partial<RuleSet>): RuleSet {
  const roles = new Map(base.roles.map((role) => [role.id, role]));
  for (const role of overlay.roles ?? []) roles.set(role.id, role);
  const references: Record<string, ReferenceRule[]> = { ...base.references };
  for (const [component, rows] of Object.entries(overlay.references ?? {})) {
    const kept = (references[component] ?? []).filter(
      (existing) => !rows.some((row) => (row.flag ?? row.field) === (existing.flag ?? existing.field)),
    );
    references[component] = [...kept, ...rows];
  }
  const edges = new Map(base.edges.map((edge) => [edge.id, edge]));
  for (const edge of overlay.edges ?? []) edges.set(edge.id, edge);
  const settings = new Map(base.settings.map((setting) => [setting.id, setting]));
  for (const setting of overlay.settings ?? []) settings.set(setting.id, setting);
  return {
    references,
    roles: [...roles.values()].sort((a, b) => compareText(a.id, b.id)),
    edges: [...edges.values()],
    settings: [...settings.values()],
  };
}
