import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { renderReport, OUTPUT_FORMATS } from "../src/report/render.js";
import { auditTree } from "./helpers/audit.js";
import { REPO, runCli } from "./helpers/cli.js";
import { BUNDLED_RULES } from "./helpers/context.js";
import { reachableScreens } from "./helpers/tui.js";

/** Every sample cluster and every independently built tree, whatever exist. */
const TREES = [
  ...fs
    .readdirSync(path.join(REPO, "sample-clusters"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `sample-clusters/${entry.name}`),
  ...fs.readdirSync(path.join(REPO, "test/fixtures/independent")).map((name) => `test/fixtures/independent/${name}/tree`),
];

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return entry.isFile() ? [full] : [];
  });
}

/**
 * Every secret in a tree, as the text that could leak: PEM bodies of private key blocks in any
 * file, kubeconfig `client-key-data` and `token` values, and the tokens of static token files
 * (`--token-auth-file`, first CSV column). Fragments of 24 characters are searched, so even a
 * partial leak (one wrapped line) is caught; shorter tokens are searched whole.
 */
function secretFragments(root: string): string[] {
  const fragments = new Set<string>();
  for (const file of walk(path.join(REPO, root))) {
    const text = fs.readFileSync(file, "latin1");
    for (const match of text.matchAll(/-----BEGIN ([A-Z ]*PRIVATE KEY)-----([\s\S]*?)-----END \1-----/g)) {
      const body = (match[2] as string).replace(/\s+/g, "");
      for (let i = 0; i + 24 <= body.length; i += 24) fragments.add(body.slice(i, i + 24));
    }
    for (const match of text.matchAll(/(?:client-key-data|token):\s*(\S+)/g)) {
      const value = match[1] as string;
      for (let i = 0; i + 24 <= value.length; i += 24) fragments.add(value.slice(i, i + 24));
    }
    if (/tokens?\.csv$/.test(file)) {
      for (const line of text.split("\n")) {
        const token = line.split(",")[0]?.trim();
        if (token && token.length >= 16) fragments.add(token.slice(0, 24));
      }
    }
  }
  return [...fragments];
}

describe.each(TREES)("no private key material leaves %s", (root) => {
  const fragments = secretFragments(root);

  test("the tree has keys to protect (the sweep is not vacuous)", () => {
    expect(fragments.length).toBeGreaterThan(100);
  });

  test.each(OUTPUT_FORMATS)("%s report", (format) => {
    const report = auditTree(root, new Date("2026-06-01T00:00:00Z"));
    const text = renderReport(report, format, { color: false, width: 200 });
    for (const fragment of fragments) expect(text.includes(fragment), `key fragment in ${format} output`).toBe(false);
  });

  test("every screen of the terminal UI", () => {
    const report = auditTree(root, new Date("2026-06-01T00:00:00Z"));
    const screens = reachableScreens({ report, rules: BUNDLED_RULES }, 78);
    const text = [...screens.values()].flatMap((rows) => rows.map((row) => row.text)).join("\n");
    for (const fragment of fragments) expect(text.includes(fragment), "key fragment on a TUI screen").toBe(false);
  });

  test("CLI stdout and stderr, including rules and explain", () => {
    const outputs = [
      runCli(["--root", root, "--at", "2026-06-01", "-o", "json"]),
      runCli(["--root", root, "--at", "2026-06-01"]),
      runCli(["--root", root, "--at", "2026-06-01", "-o", "yaml"]),
    ].flatMap((run) => [run.stdout, run.stderr]);
    for (const text of outputs) for (const fragment of fragments) expect(text.includes(fragment)).toBe(false);
  });
});

describe("read-only", () => {
  test("an audit changes nothing in the tree: contents, modes and mtimes", () => {
    const root = path.join(REPO, "sample-clusters/kubeadm-broken");
    const snapshot = () =>
      walk(root).map((file) => {
        const stat = fs.statSync(file);
        return `${file} ${stat.mode} ${stat.mtimeMs} ${fs.readFileSync(file).toString("base64").length}`;
      });
    const before = snapshot();
    runCli(["--root", root, "--at", "2026-06-01", "-o", "json"]);
    expect(snapshot()).toEqual(before);
  });
});
