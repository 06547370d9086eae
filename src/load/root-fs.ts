import * as fs from "node:fs";
import * as path from "node:path";

/** Why a path inside the audited root could not be read. Each becomes a finding, never a crash. */
export type FileProblemKind = "missing" | "not-a-file" | "unreadable" | "too-large" | "symlink-loop";

export interface FileProblem {
  problem: FileProblemKind;
  /** The node path that was asked for. */
  path: string;
  message: string;
}

/** Permission bits and owner of a file, for the permission checks. */
export interface FileMode {
  mode: number;
  uid: number;
  gid: number;
}

export interface ReadFile extends FileMode {
  /** The node path that was asked for ("/etc/kubernetes/pki/ca.crt"). */
  path: string;
  /** Where it led after following symlinks, still a node path inside the root. */
  resolvedPath: string;
  bytes: Buffer;
}

/** Largest file we read: certificates, keys, manifests and kubeconfigs are all far smaller. */
export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;
const MAX_SYMLINK_HOPS = 40;
/** What lstat of an absent path leaves in the cache. */
const ABSENT: Error = Object.assign(new Error("ENOENT"), { code: "ENOENT" });

export function isFileProblem(value: unknown): value is FileProblem {
  return typeof value === "object" && value !== null && "problem" in value;
}

/**
 * A read-only view of a node's file tree mounted at `root`. Every path is a node path ("/etc/…")
 * and resolves the way it would under chroot: absolute symlink targets start again at the root and
 * ".." stops at it, so nothing outside the root is ever opened. Each file is read at most once.
 */
export class RootFs {
  readonly root: string;
  readonly maxFileBytes: number;
  /** The root with one trailing slash, to which node path parts are appended. */
  private readonly rootPrefix: string;
  private readonly cache = new Map<string, ReadFile | FileProblem>();
  private readonly listings = new Map<string, string[]>();
  /** lstat of each path component, once per audit: every resolution walks the same directories. */
  private readonly lstats = new Map<string, fs.Stats | Error>();
  /** Each node path's resolution: the same files are named by many flags and fields. */
  private readonly resolutions = new Map<string, string | FileProblem>();

  constructor(root: string, maxFileBytes = DEFAULT_MAX_FILE_BYTES) {
    this.root = path.resolve(root);
    this.rootPrefix = this.root.endsWith("/") ? this.root : `${this.root}/`;
    this.maxFileBytes = maxFileBytes;
  }

  /** Resolve a node path, following symlinks inside the root. Returns the resolved node path. */
  resolve(nodePath: string): string | FileProblem {
    let resolution = this.resolutions.get(nodePath);
    if (resolution === undefined) {
      resolution = this.resolveUncached(nodePath);
      this.resolutions.set(nodePath, resolution);
    }
    return resolution;
  }

  private resolveUncached(nodePath: string): string | FileProblem {
    const pending = splitPath(nodePath);
    const resolved: string[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.shift() as string;
      if (part === "." || part === "") continue;
      if (part === "..") {
        resolved.pop();
        continue;
      }
      const hostPath = this.hostPathOf(resolved, part);
      let stat = this.lstats.get(hostPath);
      if (stat === undefined) {
        try {
          // An absent path is common (optional files, unit directories): no exception for it.
          stat = fs.lstatSync(hostPath, { throwIfNoEntry: false }) ?? ABSENT;
        } catch (error) {
          stat = error as Error;
        }
        this.lstats.set(hostPath, stat);
      }
      if (stat instanceof Error) return this.problemFromError(nodePath, stat);
      if (!stat.isSymbolicLink()) {
        resolved.push(part);
        continue;
      }
      if (++hops > MAX_SYMLINK_HOPS) {
        return { problem: "symlink-loop", path: nodePath, message: `too many levels of symbolic links resolving ${nodePath}` };
      }
      let target: string;
      try {
        target = fs.readlinkSync(hostPath);
      } catch (error) {
        return this.problemFromError(nodePath, error);
      }
      // An absolute target is absolute on the node, so it starts again at the root.
      if (path.posix.isAbsolute(target)) resolved.length = 0;
      pending.unshift(...splitPath(target));
    }
    return "/" + resolved.join("/");
  }

  /** Read a regular file of at most `maxFileBytes`, or say why not. */
  readFile(nodePath: string): ReadFile | FileProblem {
    const resolvedPath = this.resolve(nodePath);
    if (isFileProblem(resolvedPath)) return resolvedPath;
    const cached = this.cache.get(resolvedPath);
    // The same file under another name (a symlink to it): what was read, as asked for by this name.
    if (cached) return { ...cached, path: nodePath };
    const result = this.readResolved(nodePath, resolvedPath);
    this.cache.set(resolvedPath, result);
    return result;
  }

  /** Names in a directory, sorted; an absent directory is an empty list. Each directory is read once. */
  listDir(nodePath: string): string[] {
    const resolvedPath = this.resolve(nodePath);
    if (isFileProblem(resolvedPath)) return [];
    let names = this.listings.get(resolvedPath);
    if (!names) {
      try {
        names = fs.readdirSync(this.hostPath(resolvedPath)).sort();
      } catch {
        names = [];
      }
      this.listings.set(resolvedPath, names);
    }
    return [...names];
  }

  /** True when the node path exists (after following symlinks). */
  exists(nodePath: string): boolean {
    return !isFileProblem(this.resolve(nodePath));
  }

  private hostPath(resolvedNodePath: string): string {
    return this.hostPathOf(splitPath(resolvedNodePath));
  }

  /** The host path of resolved node path parts (plain names, no "." or ".."), and then `last`. */
  private hostPathOf(parts: readonly string[], last?: string): string {
    const all = last === undefined ? parts : [...parts, last];
    return this.rootPrefix + all.join("/");
  }

  private readResolved(nodePath: string, resolvedPath: string): ReadFile | FileProblem {
    const hostPath = this.hostPath(resolvedPath);
    let fd: number;
    try {
      // O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: the path is resolved.
      fd = fs.openSync(hostPath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW);
    } catch (error) {
      return this.problemFromError(nodePath, error);
    }
    try {
      // Resolution just took lstat of this very path (O_NOFOLLOW keeps it from being a symlink now);
      // should it have become something else since, the bounded read below still holds.
      const seen = this.lstats.get(hostPath);
      const stat = seen instanceof fs.Stats && seen.isFile() ? seen : fs.fstatSync(fd);
      if (!stat.isFile()) {
        const what = stat.isDirectory() ? "a directory" : "not a regular file";
        return { problem: "not-a-file", path: nodePath, message: `${nodePath} is ${what}` };
      }
      if (stat.size > this.maxFileBytes) {
        return {
          problem: "too-large",
          path: nodePath,
          message: `${nodePath} is ${stat.size} bytes, more than the ${this.maxFileBytes}-byte limit for a certificate, key or config file`,
        };
      }
      // Read at most one byte past the limit: a file that grows while we read is still bounded.
      const buffer = Buffer.alloc(Math.min(stat.size, this.maxFileBytes) + 1);
      let length = 0;
      for (;;) {
        const read = fs.readSync(fd, buffer, length, buffer.length - length, null);
        if (read === 0) break;
        length += read;
        // Done at the size stat gave (no read just to see the end); a zero size (procfs) reads on.
        if (length === buffer.length || length === stat.size) break;
      }
      if (length > this.maxFileBytes) {
        return { problem: "too-large", path: nodePath, message: `${nodePath} is larger than the ${this.maxFileBytes}-byte limit` };
      }
      return { path: nodePath, resolvedPath, bytes: buffer.subarray(0, length), mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid };
    } catch (error) {
      return this.problemFromError(nodePath, error);
    } finally {
      fs.closeSync(fd);
    }
  }

  private problemFromError(nodePath: string, error: unknown): FileProblem {
    const code = (error as NodeJS.ErrnoException).code;
    switch (code) {
      case "ENOENT":
        return { problem: "missing", path: nodePath, message: `${nodePath} does not exist` };
      case "ENOTDIR":
        return { problem: "missing", path: nodePath, message: `${nodePath} does not exist (a parent is not a directory)` };
      case "ELOOP":
        return { problem: "symlink-loop", path: nodePath, message: `too many levels of symbolic links at ${nodePath}` };
      case "EACCES":
      case "EPERM":
        return { problem: "unreadable", path: nodePath, message: `${nodePath} is not readable (permission denied)` };
      case "EISDIR":
        return { problem: "not-a-file", path: nodePath, message: `${nodePath} is a directory` };
      default:
        return { problem: "unreadable", path: nodePath, message: `${nodePath} could not be read (${code ?? String(error)})` };
    }
  }
}

function splitPath(p: string): string[] {
  return p.split("/").filter((part) => part.length > 0);
}
