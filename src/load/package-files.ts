/**
 * The files the package ships beside its code — rules/, schema/, package.json — read by path
 * relative to the package root. The single-file build (scripts/build-binary.mjs) replaces this
 * module with one that serves copies embedded at build time, so that file runs with nothing
 * beside it, and that also carries the shipped YAML rules already parsed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: dist/ and src/ both sit one level below it. */
const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A shipped file's text; throws a Node error (code ENOENT, …) when it is not there. */
export function readPackageFile(relative: string): string {
  return fs.readFileSync(path.join(PACKAGE_ROOT, relative), "utf8");
}

/** The names in a shipped directory, sorted. */
export function listPackageDir(relative: string): string[] {
  return fs.readdirSync(path.join(PACKAGE_ROOT, relative)).sort();
}

/**
 * A shipped YAML file as the build parsed it, when this build carries it parsed; undefined when
 * it must be read and parsed (as here). The single-file build carries every rules file parsed:
 * parsing them is a tenth of a node's audit.
 */
export function preparsedPackageYaml(_relative: string): { value: unknown } | undefined {
  return undefined;
}
