import type { CheckKind } from "../types.js";
import { fileProblemFindings } from "./file-problems.js";

export const fileUnreadable: CheckKind = {
  id: "file-unreadable",
  title: "Referenced file cannot be read",
  description: "Every referenced file is a readable regular file of sane size, reachable without a symlink loop.",
  citation: "component reference pages on kubernetes.io (file flags must name readable PEM files)",
  explanation:
    "A directory, FIFO or device where a certificate should be, a permission error, an oversized file or a symlink loop all stop the component that needs the file. The auditor never blocks on such files and never reads past its size limit.",
  remediation: "Replace the path with a regular PEM file readable by root (check `ls -l` and `readlink -f` on it), then restart the component.",
  run(ctx) {
    return fileProblemFindings(ctx, ["not-a-file", "unreadable", "too-large", "symlink-loop"], this.remediation);
  },
};
