import { isFileProblem, type FileMode, type FileProblem, type RootFs } from "./root-fs.js";
import { decodeEmbeddedMaterial, decodeMaterial, type Material } from "./material.js";

export interface LoadedMaterial {
  /** The node path that was referenced. */
  path: string;
  /** Where symlinks led, inside the root. */
  resolvedPath: string;
  material: Material;
  fileMode: FileMode;
}

/**
 * Decodes each referenced file once, however many flags name it, and each embedded kubeconfig
 * value once. Results are keyed by the referenced node path.
 */
export class MaterialStore {
  private readonly files = new Map<string, LoadedMaterial | FileProblem>();
  private readonly byResolved = new Map<string, Material>();
  private readonly embedded = new Map<string, Material>();

  constructor(private readonly fs: RootFs) {}

  file(path: string): LoadedMaterial | FileProblem {
    const cached = this.files.get(path);
    if (cached) return cached;
    const read = this.fs.readFile(path);
    let result: LoadedMaterial | FileProblem;
    if (isFileProblem(read)) {
      result = read;
    } else {
      let material = this.byResolved.get(read.resolvedPath);
      if (!material) {
        material = decodeMaterial(read.bytes);
        this.byResolved.set(read.resolvedPath, material);
      }
      result = { path, resolvedPath: read.resolvedPath, material, fileMode: { mode: read.mode, uid: read.uid, gid: read.gid } };
    }
    this.files.set(path, result);
    return result;
  }

  embeddedData(value: string): Material {
    let material = this.embedded.get(value);
    if (!material) {
      material = decodeEmbeddedMaterial(value);
      this.embedded.set(value, material);
    }
    return material;
  }
}
