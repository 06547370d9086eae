#!/usr/bin/env node
/**
 * Build dist/kube-cert-audit.cjs: the whole CLI in one file that needs only `node` (20 or later)
 * to run — copy it to a control-plane node and run it, no install. It is CommonJS: a copy without
 * its extension (/usr/local/bin/kube-cert-audit) is read as CommonJS by every Node 20 (ES module
 * syntax there needs 20.19's detection), and CommonJS starts a few milliseconds sooner. The rules, schemas and
 * package.json it reads at run time are embedded (src/load/package-files.ts is swapped for a
 * module that serves them from memory). The terminal UI and its dependencies are in the same
 * file as a module carried in a string, parsed and evaluated only when `tui` runs, so a plain scan
 * starts fast. The file is a small loader of the bundled code, with V8's code cache of that code
 * (scripts/single-file-format.mjs has the layout).
 */
import * as esbuild from "esbuild";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { brotliCompressSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { CODE_NAME, singleFileSource, wrapCode } from "./single-file-format.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const out = path.join(root, "dist", "kube-cert-audit.cjs");

/** Every file under the given package directories, by package-relative path. */
function packageFiles(dirs, files) {
  const collected = {};
  const walk = (relative) => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else collected[child] = fs.readFileSync(path.join(root, child), "utf8");
    }
  };
  dirs.forEach(walk);
  for (const file of files) collected[file] = fs.readFileSync(path.join(root, file), "utf8");
  return collected;
}

const embedded = packageFiles(["rules", "schema"], ["package.json"]);
// The CLI trusts the rules it ships; the build checks them against their schemas first.
const { loadRules } = await import(path.join(root, "dist/load/rules-files.js"));
loadRules(undefined, { validateBundled: true });

/** Every shipped rules YAML file parsed as the CLI parses it, carried as JSON (JSON.parse is far faster than YAML). */
const { parseYamlDocument } = await import(path.join(root, "dist/discover/yaml.js"));
const preparsed = {};
for (const [file, text] of Object.entries(embedded)) {
  if (!file.startsWith("rules/") || !file.endsWith(".yaml")) continue;
  const value = parseYamlDocument(text, file);
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(value)), value)) throw new Error(`${file}: parses to values JSON cannot carry`);
  preparsed[file] = value;
}

/** Replace the package-files module with one that serves the embedded copies. */
const embedPackageFiles = {
  name: "embed-package-files",
  setup(build) {
    build.onResolve({ filter: /\/package-files\.js$/ }, () => ({ path: "package-files", namespace: "embedded" }));
    build.onLoad({ filter: /.*/, namespace: "embedded" }, () => ({
      loader: "js",
      contents: `
const FILES = ${JSON.stringify(embedded)};
const PREPARSED = JSON.parse(${JSON.stringify(JSON.stringify(preparsed))});
const missing = (relative) => Object.assign(new Error("ENOENT: not in this build: " + relative), { code: "ENOENT" });
export function readPackageFile(relative) {
  if (!(relative in FILES)) throw missing(relative);
  return FILES[relative];
}
export function listPackageDir(relative) {
  const prefix = relative.replace(/\\/$/, "") + "/";
  const names = new Set(Object.keys(FILES).filter((file) => file.startsWith(prefix)).map((file) => file.slice(prefix.length).split("/")[0]));
  if (names.size === 0) throw missing(relative);
  return [...names].sort();
}
export function preparsedPackageYaml(relative) {
  return relative in PREPARSED ? { value: structuredClone(PREPARSED[relative]) } : undefined;
}
`,
    }));
  },
};

/** ink uses react-devtools-core only when DEV=true; the build ships a stand-in that does nothing. */
const stubDevtools = {
  name: "stub-react-devtools",
  setup(build) {
    build.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: "react-devtools-core", namespace: "stub" }));
    build.onLoad({ filter: /.*/, namespace: "stub" }, () => ({ loader: "js", contents: "export default { initialize() {}, connectToDevTools() {} };" }));
  },
};

/**
 * cli-table3 measures every cell line with string-width 4, whose first call compiles a regular
 * expression of every emoji (about a tenth of a table report's run). A line of printable ASCII is
 * as wide as it is long, so only other text goes to string-width, and the table comes out the same.
 */
const asciiFirstWidth = {
  name: "ascii-first-string-width",
  setup(build) {
    build.onResolve({ filter: /^string-width$/ }, (args) => (/[\\/]node_modules[\\/]cli-table3[\\/]/.test(args.importer) ? { path: "string-width", namespace: "ascii-first" } : undefined));
    build.onLoad({ filter: /.*/, namespace: "ascii-first" }, () => ({
      loader: "js",
      resolveDir: path.join(root, "node_modules/cli-table3"),
      contents: "const stringWidth = require('string-width'); module.exports = (text) => typeof text === 'string' && /^[\\x20-\\x7e]*$/.test(text) ? text.length : stringWidth(text);",
    }));
  },
};

const started = performance.now();

/** One minified bundle for Node 20. */
const bundleOptions = {
  bundle: true,
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "none",
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
};

/**
 * The terminal UI (ink, React, yoga: half of all the code) is bundled on its own and carried as a
 * data: URL module that only `tui` imports, so a scan never even parses it.
 */
const tui = await esbuild.build({
  ...bundleOptions,
  format: "esm",
  // Its CommonJS dependencies require() Node built-ins only; a data: URL is no base for require(), node's own path is.
  banner: { js: "import { createRequire as __kcaCreateRequire } from 'node:module'; const require = __kcaCreateRequire(process.execPath);" },
  entryPoints: [path.join(root, "src/tui/run.ts")],
  write: false,
  plugins: [embedPackageFiles, stubDevtools],
});
// Brotli, then base64: a fifth of the bytes for every start to read and scan past.
const tuiModule = brotliCompressSync(tui.outputFiles[0].contents).toString("base64");
const lazyTui = {
  name: "lazy-tui",
  setup(build) {
    build.onResolve({ filter: /\/tui\/run\.js$/ }, () => ({ path: "tui-run", namespace: "lazy-tui" }));
    build.onLoad({ filter: /.*/, namespace: "lazy-tui" }, () => ({
      loader: "js",
      // __kcaImport is the loader's import() (see below): this code's own would have no loader.
      contents: `const TUI = ${JSON.stringify(tuiModule)};
export async function runTui(...args) {
  const { brotliDecompressSync } = require("node:zlib");
  const source = brotliDecompressSync(Buffer.from(TUI, "base64")).toString("base64");
  return (await __kcaImport("data:text/javascript;base64," + source)).runTui(...args);
}
`,
    }));
  },
};

/**
 * ajv and its dependencies (a third of all the scanner's code) validate only a user's --rules
 * and merge's inputs: they are bundled on their own and carried as a string, compiled on first
 * use (src/rules/ajv.ts is swapped for this), so a plain scan never parses them.
 */
const ajv = await esbuild.build({
  ...bundleOptions,
  format: "cjs",
  stdin: { contents: "module.exports = require('ajv').Ajv;", resolveDir: root, loader: "js" },
  write: false,
});
const lazyAjv = {
  name: "lazy-ajv",
  setup(build) {
    const module = path.join(root, "src/rules/ajv.ts");
    build.onResolve({ filter: /(^|\/)ajv\.js$/ }, (args) =>
      path.resolve(args.resolveDir, args.path).replace(/\.js$/, ".ts") === module ? { path: "ajv-on-first-use", namespace: "lazy-ajv" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "lazy-ajv" }, () => ({
      loader: "js",
      contents: `const AJV = ${JSON.stringify(ajv.outputFiles[0].text)};
let loaded;
export function ajvClass() {
  if (!loaded) {
    const module = { exports: {} };
    require("node:vm").runInThisContext("(function (module, exports, require) {" + AJV + "\\n})", { filename: "ajv" })(module, module.exports, require);
    loaded = module.exports;
  }
  return loaded;
}
`,
    }));
  },
};

const cli = await esbuild.build({
  ...bundleOptions,
  format: "cjs",
  // The fleet's workers start this file again: its own URL, as import.meta.url gives it in the ES module build.
  define: { ...bundleOptions.define, "import.meta.url": "__kcaModuleUrl" },
  banner: { js: "\"use strict\";const __kcaModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  entryPoints: [path.join(root, "src/cli/main.ts")],
  // import() of a Node built-in (node:tls for --probe, node:worker_threads for fleet) as require() on first use.
  supported: { "dynamic-import": false },
  write: false,
  plugins: [embedPackageFiles, lazyTui, lazyAjv, asciiFirstWidth],
});
const code = wrapCode(cli.outputFiles[0].text);

/**
 * V8's code cache of the CLI after one audit of a bundled sample (scripts/code-cache-training.cjs):
 * the bytecode of every function a scan runs, so a start compiles almost nothing (about 11 ms of a
 * 60–85 ms scan). V8 takes it only from the same V8 with the same flags; any other node rejects
 * it and compiles the code as usual, so the file runs everywhere it did.
 */
const training = fs.mkdtempSync(path.join(os.tmpdir(), "kca-code-cache-"));
let codeCache;
try {
  fs.writeFileSync(path.join(training, "code.js"), code);
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // flags change V8's flag hash: the cache would be rejected at every start
  const run = spawnSync(
    process.execPath,
    [path.join(root, "scripts/code-cache-training.cjs"), path.join(training, "code.js"), CODE_NAME, path.join(training, "cache"), "--root", path.join(root, "sample-clusters/kubeadm-healthy"), "--at", "2026-06-01"],
    { env, stdio: ["ignore", "ignore", "inherit"] },
  );
  // Any report will do (0, 1 or 2: a checkout's loose file modes make the sample warn).
  if (run.status === null || run.status > 2) throw new Error(`the code-cache training audit exited ${run.status ?? run.signal}`);
  codeCache = fs.readFileSync(path.join(training, "cache"));
} finally {
  fs.rmSync(training, { recursive: true, force: true });
}

fs.writeFileSync(out, singleFileSource(code, codeCache, process.versions.v8));
fs.chmodSync(out, 0o755);
const size = fs.statSync(out).size;
process.stdout.write(`built ${path.relative(root, out)}: ${(size / 1024 / 1024).toFixed(1)} MiB in ${Math.round(performance.now() - started)} ms\n`);
