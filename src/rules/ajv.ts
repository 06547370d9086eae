/**
 * The JSON Schema validator, loaded on first use: only --rules, merge and the build validate
 * anything, and loading ajv costs a plain scan about a tenth of its start-up. The single-file
 * build swaps this module for one whose require() esbuild bundles as a call made on first use.
 */
import { createRequire } from "node:module";
import type { Ajv } from "ajv";

let loaded: typeof Ajv | undefined;

export function ajvClass(): typeof Ajv {
  loaded ??= (createRequire(import.meta.url)("ajv") as { Ajv: typeof Ajv }).Ajv;
  return loaded;
}
