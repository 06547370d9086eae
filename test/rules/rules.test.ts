import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { CHECKS } from "../../src/check/registry.js";
import { listPackageDir, readPackageFile } from "../../src/load/package-files.js";
import { loadRules } from "../../src/load/rules-files.js";
import { RulesError } from "../../src/rules/validate.js";
import { BUNDLED_RULES } from "../helpers/context.js";

const CHECKS_DIR = new URL("../../src/check/checks/", import.meta.url);
const TESTS_DIR = new URL("../check/", import.meta.url);
/** Modules in checks/ that are shared helpers, not check kinds. */
const SHARED_MODULES = ["file-problems.ts"];

describe("check registry", () => {
  test("every module in src/check/checks is registered, and nothing else", () => {
    const modules = fs.readdirSync(CHECKS_DIR).filter((name) => name.endsWith(".ts") && !SHARED_MODULES.includes(name));
    expect(CHECKS.map((check) => `${check.id}.ts`).sort()).toEqual(modules.sort());
  });

  test("ids are unique and sorted", () => {
    const ids = CHECKS.map((check) => check.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort());
  });

  test.each(CHECKS.map((check) => [check.id, check] as const))("%s has metadata and its own test table", (id, check) => {
    for (const field of ["title", "description", "citation", "explanation", "remediation"] as const) {
      expect(check[field].trim().length, `${id}.${field}`).toBeGreaterThan(10);
    }
    expect(fs.existsSync(new URL(`${id}.test.ts`, TESTS_DIR)), `test/check/${id}.test.ts`).toBe(true);
  });
});

describe("bundled rules", () => {
  const caRoles = new Set(BUNDLED_RULES.roles.filter((role) => role.isCA).map((role) => role.id));

  test("every issuer is a CA role, 'self' or 'bundled'", () => {
    for (const role of BUNDLED_RULES.roles) {
      if (role.issuer === undefined || role.issuer === "self" || role.issuer === "bundled") continue;
      expect(caRoles, `${role.id} issuer ${role.issuer}`).toContain(role.issuer);
    }
  });

  test("every component flag a role matches is in the flag map", () => {
    for (const role of BUNDLED_RULES.roles) {
      for (const match of role.match) {
        if (!match.component || match.kubeconfig || match.path) continue;
        const rows = BUNDLED_RULES.references[match.component] ?? [];
        const kubeconfigField = match.field === "client-certificate" || match.field === "certificate-authority";
        if (kubeconfigField && !match.flag) {
          expect(rows.some((row) => row.kind === "kubeconfig"), `${role.id}: ${match.component} uses a kubeconfig`).toBe(true);
        } else if (match.flag && match.field) {
          expect(rows.some((row) => row.flag === match.flag && row.kind === "kubeconfig"), `${role.id}: ${match.component} ${match.flag}`).toBe(true);
        } else if (match.flag) {
          expect(rows.some((row) => row.flag === match.flag), `${role.id}: ${match.component} ${match.flag}`).toBe(true);
        } else if (match.field) {
          expect(rows.some((row) => row.field === match.field), `${role.id}: ${match.component} ${match.field}`).toBe(true);
        }
      }
    }
  });

  test("every certificate flag with a key flag, and key pairs are complete", () => {
    for (const rows of Object.values(BUNDLED_RULES.references)) {
      for (const row of rows) if (row.keyFlag) expect(row.kind).toBe("certificate");
    }
  });

  test("kubeadm's certificate list is covered (reference §1.1)", () => {
    const ids = BUNDLED_RULES.roles.map((role) => role.id);
    for (const id of ["ca", "apiserver", "apiserver-kubelet-client", "apiserver-etcd-client", "front-proxy-ca", "front-proxy-client", "etcd-ca", "etcd-server", "etcd-peer", "etcd-healthcheck-client", "admin.conf", "super-admin.conf", "controller-manager.conf", "scheduler.conf", "kubelet-client", "kubelet-serving"]) {
      expect(ids).toContain(id);
    }
  });
});

describe("rules validation", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "kca-rules-"));
  const write = (name: string, text: string) => {
    const file = path.join(scratch, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const base = "roles:\n  - id: custom\n    title: t\n    profile: kubeadm\n    match: [{ component: etcd, flag: --cert-file }]\n    citation: c\n";

  test("a valid overlay adds a role", () => {
    expect(loadRules(write("ok.yaml", base)).roles.map((role) => role.id)).toContain("custom");
  });

  test.each([
    ["a misspelt key", base + "    sanz: {}\n", "/sanz"],
    ["a wrong severity", base + "    cn: { anyOf: [x], severity: fatal }\n", "/cn/severity"],
    ["a flag without dashes", base.replace("--cert-file", "cert-file"), "/match/0/flag"],
    ["an unknown top-level key", "rolez: []\n", "unknown top-level key"],
    ["broken YAML", "roles: [\n", "not valid YAML"],
  ])("%s is refused with the file and the field", (_name, text, field) => {
    const file = write("bad.yaml", text);
    let error: unknown;
    try {
      loadRules(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RulesError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain(field);
  });

  test("a missing rules file is a clear error", () => {
    expect(() => loadRules(path.join(scratch, "absent.yaml"))).toThrow(/cannot read \(ENOENT\)/);
  });

  test("the CLI's unchecked load of the shipped rules is exactly the checked one", () => {
    expect(loadRules()).toEqual(BUNDLED_RULES);
  });

  test("the rules ship with the package, beside its code", () => {
    expect(listPackageDir("rules")).toEqual(expect.arrayContaining(["edges.yaml", "references.yaml", "roles", "schema", "settings.yaml"]));
    expect(readPackageFile("rules/references.yaml")).toContain("kube-apiserver");
  });
});
