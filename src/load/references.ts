import type { LoadResult, LoadedReference } from "../check/types.js";
import type { MaterialLocation, ResolvedReference } from "../resolve/references.js";
import { isFileProblem } from "./root-fs.js";
import type { MaterialStore } from "./store.js";

function loadLocation(store: MaterialStore, location: MaterialLocation | null): LoadResult {
  if (location === null) return { notMounted: true };
  if (location.kind === "embedded") return { material: store.embeddedData(location.data) };
  const loaded = store.file(location.path);
  if (isFileProblem(loaded)) return { problem: loaded };
  return { material: loaded.material, resolvedPath: loaded.resolvedPath, fileMode: loaded.fileMode };
}

/** Load the material behind every reference; the store reads and decodes each file once. */
export function loadReferences(store: MaterialStore, references: ResolvedReference[]): LoadedReference[] {
  return references.map((resolved) => {
    const loaded: LoadedReference = { resolved, result: loadLocation(store, resolved.location) };
    if (resolved.key) loaded.keyResult = loadLocation(store, resolved.key.location);
    return loaded;
  });
}
