/**
 * Run by scripts/build-binary.mjs as `node code-cache-training.cjs CODE_FILE NAME CACHE_FILE ARGS...`:
 * compiles the single-file build's code (one function expression) under NAME as its loader does,
 * runs the CLI once with ARGS (an audit of a bundled sample), and at exit writes V8's code cache of
 * that code to CACHE_FILE. The cache then holds the bytecode of every function that run compiled,
 * so a start that accepts it skips compiling them again.
 */
"use strict";
const fs = require("node:fs");
const vm = require("node:vm");

const [codeFile, name, cacheFile, ...args] = process.argv.slice(2);
const script = new vm.Script(fs.readFileSync(codeFile, "utf8"), { filename: name });
process.argv = [process.argv[0], codeFile, ...args];
process.on("exit", () => fs.writeFileSync(cacheFile, script.createCachedData()));
script.runInThisContext()(exports, require, module, codeFile, __dirname, (specifier) => import(specifier));
