/**
 * Builds the sample control-plane node trees in `sample-clusters/` from `spec.ts`.
 *
 *   npm run samples               regenerate sample-clusters/ (creates keys missing from keys/)
 *   npm run samples -- --check    generate into a temporary directory and compare byte for byte
 *                                 with sample-clusters/; exit 1 and list the differing files
 *
 * Everything is deterministic: keys come from keys/, dates and serials from the spec, and RSA
 * PKCS#1 v1.5 signatures have no randomness, so two runs write identical bytes.
 */
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { KeyStore } from "./pki.js";
import { renderIndexReadme, renderSampleReadme } from "./readme.js";
import { renderTree, type RenderedEntry } from "./render.js";
import { SAMPLES, type Sample } from "./spec.js";

/** The committed key store. */
export const KEYS_DIR = fileURLToPath(new URL("./keys/", import.meta.url));
/** The committed sample trees. */
export const SAMPLES_DIR = fileURLToPath(new URL("../../sample-clusters/", import.meta.url));

/** Options of {@link generateAll}. */
export interface GenerateOptions {
  /** Create keys missing from the key store (default true). A check run passes false. */
  createMissingKeys?: boolean;
  /** Key store directory (default {@link KEYS_DIR}). */
  keysDir?: string;
  /** Samples to build (default all of {@link SAMPLES}). */
  samples?: readonly Sample[];
}

/** Every entry under `sample-clusters/` that the generator owns, keyed by path relative to it. */
export async function renderAll(options: GenerateOptions = {}): Promise<Map<string, RenderedEntry>> {
  const keys = new KeyStore(options.keysDir ?? KEYS_DIR, options.createMissingKeys ?? true);
  const samples = options.samples ?? SAMPLES;
  const out = new Map<string, RenderedEntry>();
  const text = (content: string): RenderedEntry => ({ kind: "file", content: Buffer.from(content), mode: 0o644 });
  out.set("README.md", text(renderIndexReadme(samples)));
  for (const sample of samples) {
    const tree = await renderTree(sample.spec, keys);
    out.set(`${sample.name}/README.md`, text(renderSampleReadme(sample)));
    for (const [path, entry] of tree) out.set(`${sample.name}/${path}`, entry);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Writes every sample into `outDir` (normally `sample-clusters/`): `outDir/README.md` and one
 * directory per sample, each replaced wholesale so no stale file survives. Returns the written
 * paths, relative to `outDir`, sorted.
 */
export async function generateAll(outDir: string, options: GenerateOptions = {}): Promise<string[]> {
  const entries = await renderAll(options);
  for (const sample of options.samples ?? SAMPLES) await rm(join(outDir, sample.name), { recursive: true, force: true });
  for (const [path, entry] of entries) {
    const target = join(outDir, path);
    await mkdir(dirname(target), { recursive: true });
    if (entry.kind === "symlink") {
      await symlink(entry.target, target);
    } else {
      await writeFile(target, entry.content);
      await chmod(target, entry.mode);
    }
  }
  return [...entries.keys()];
}

/** Paths of all files and symlinks under `dir`, relative to it, with `/` separators, sorted. */
async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out.push(relative(dir, path).split(sep).join("/"));
    }
  };
  await walk(dir);
  return out.sort();
}

/** How one side holds a path: file bytes, a link target, or nothing. */
async function describe(path: string): Promise<{ kind: "file"; bytes: Buffer } | { kind: "symlink"; target: string } | undefined> {
  try {
    const stat = await lstat(path);
    if (stat.isSymbolicLink()) return { kind: "symlink", target: await readlink(path) };
    return { kind: "file", bytes: await readFile(path) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Result of {@link checkAll}. */
export interface CheckResult {
  identical: boolean;
  /** One line per differing path: `<path>: <why>`. */
  differences: string[];
}

/**
 * Generates every sample into a temporary directory and compares it byte for byte (symlinks by
 * target) with `committedDir` (default `sample-clusters/`). Files only on one side count as
 * differences, except that only the samples' directories and the index README are compared.
 * File modes are not compared: git keeps only the executable bit.
 */
export async function checkAll(committedDir: string = SAMPLES_DIR, options: GenerateOptions = {}): Promise<CheckResult> {
  const tmp = await mkdtemp(join(tmpdir(), "kube-cert-audit-samples-"));
  try {
    await generateAll(tmp, { ...options, createMissingKeys: options.createMissingKeys ?? false });
    const samples = options.samples ?? SAMPLES;
    const owned = (path: string) => path === "README.md" || samples.some((s) => path.startsWith(`${s.name}/`));
    const committed = (await listTree(committedDir).catch(() => [])).filter(owned);
    const paths = [...new Set([...(await listTree(tmp)), ...committed])].sort();
    const differences: string[] = [];
    for (const path of paths) {
      const want = await describe(join(tmp, path));
      const have = await describe(join(committedDir, path));
      if (!have) differences.push(`${path}: missing from the committed tree`);
      else if (!want) differences.push(`${path}: not produced by the generator`);
      else if (want.kind !== have.kind) differences.push(`${path}: is a ${have.kind}, the generator writes a ${want.kind}`);
      else if (want.kind === "symlink" && have.kind === "symlink" && want.target !== have.target) {
        differences.push(`${path}: links to ${have.target}, the generator links to ${want.target}`);
      } else if (want.kind === "file" && have.kind === "file" && !want.bytes.equals(have.bytes)) {
        differences.push(`${path}: content differs`);
      }
    }
    return { identical: differences.length === 0, differences };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  const unknown = argv.filter((arg) => arg !== "--check");
  if (unknown.length > 0) {
    console.error(`usage: npm run samples [-- --check]\nunknown argument: ${unknown.join(" ")}`);
    return 2;
  }
  if (argv.includes("--check")) {
    const result = await checkAll();
    if (result.identical) {
      console.log("sample-clusters/ is identical to the generator's output");
      return 0;
    }
    console.error(`sample-clusters/ differs from the generator's output (run \`npm run samples\`):`);
    for (const line of result.differences) console.error(`  ${line}`);
    return 1;
  }
  const written = await generateAll(SAMPLES_DIR);
  console.log(`wrote ${written.length} entries under sample-clusters/ (${SAMPLES.map((s) => s.name).join(", ")})`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 2;
    },
  );
}
