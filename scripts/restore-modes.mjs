#!/usr/bin/env node
// Git records only the executable bit, so a clone has every sample key at 0644. Each fixture
// tree that cares lists its intended modes in a MODES file beside it ("<path relative to the
// MODES file> <octal mode>" per line, # comments); this applies them. Run by `npm test` and
// `npm ci` (prepare) so permission checks see what the generator meant.
import { chmodSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const independent = join(repo, "test/fixtures/independent");
const MODES_FILES = [
  "sample-clusters/MODES",
  ...(existsSync(independent) ? readdirSync(independent).map((name) => `test/fixtures/independent/${name}/MODES`) : []),
];

let applied = 0;
for (const file of MODES_FILES) {
  const modesFile = join(repo, file);
  if (!existsSync(modesFile)) continue;
  for (const [number, raw] of readFileSync(modesFile, "utf8").split("\n").entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(\S+)\s+([0-7]{3,4})$/.exec(line);
    if (!match) throw new Error(`${file}:${number + 1}: expected "<path> <octal mode>", got "${line}"`);
    chmodSync(join(dirname(modesFile), match[1]), parseInt(match[2], 8));
    applied++;
  }
}
process.stdout.write(`restore-modes: ${applied} file modes applied\n`);
