/**
 * The layout of dist/kube-cert-audit.cjs, in one place for the build that writes it and for the
 * bench and tests that look into it: a loader; the CLI's code as one function expression in a
 * string (CODE); and V8's code cache of that code, base64 in the comment that ends the file after
 * the code's SHA-256. A start scans past a comment at a third of a string's cost.
 *
 * The loader reads the cache back only on the V8 that made it, only from its own file (not when
 * node reads the code from stdin), and only for the very code it carries: V8 itself compares no
 * more than the code's length. A node whose V8 differs (a copy on another machine) pays about
 * 1 ms for carrying the cache. The code's import() is the loader's, passed in as __kcaImport:
 * code compiled by node:vm with a code cache has no module loader of its own on Node 20.
 */
import * as crypto from "node:crypto";

/** The name the code runs under (V8 keeps the name a cache was made under, so both are this). */
export const CODE_NAME = "kube-cert-audit.cjs";

/** The CLI's bundled CommonJS code as the one function the loader compiles. */
export function wrapCode(bundle) {
  return `(function (exports, require, module, __filename, __dirname, __kcaImport) {${bundle.replace(/^#!.*\n/, "")}\n})`;
}

function digestOf(code) {
  return crypto.createHash("sha256").update(code).digest("hex");
}

/** The file's text: the loader, the code, and the cache made on V8 `v8Version`. */
export function singleFileSource(code, cache, v8Version) {
  return `#!/usr/bin/env node
"use strict";
const CODE = ${JSON.stringify(code)};
let cachedData;
if (process.versions.v8 === ${JSON.stringify(v8Version)} && require("node:path").isAbsolute(__filename)) {
  try {
    const self = require("node:fs").readFileSync(__filename, "latin1");
    const [digest, cache] = self.slice(self.lastIndexOf("/*") + 2, self.lastIndexOf("*/")).split(" ");
    if (digest === require("node:crypto").createHash("sha256").update(CODE).digest("hex")) cachedData = Buffer.from(cache, "base64");
  } catch {
    // Unreadable: the code compiles without it.
  }
}
new (require("node:vm").Script)(CODE, { filename: ${JSON.stringify(CODE_NAME)}, cachedData })
  .runInThisContext()(exports, require, module, __filename, __dirname, (specifier) => import(specifier));
/*${digestOf(code)} ${cache.toString("base64")}*/
`;
}

/** The code a file carries and its cache, as the loader finds them (cache null when it is not this code's). */
export function singleFileParts(text) {
  const code = JSON.parse(/^const CODE = (".*");$/m.exec(text)?.[1] ?? "null");
  if (typeof code !== "string") throw new Error("not a kube-cert-audit single-file build");
  const [digest, cache] = text.slice(text.lastIndexOf("/*") + 2, text.lastIndexOf("*/")).split(" ");
  return { code, cachedData: digest === digestOf(code) && cache ? Buffer.from(cache, "base64") : null };
}
