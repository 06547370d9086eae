import type { Severity } from "../model.js";

/** ANSI styling that is a no-op when colour is off; the CLI decides (TTY, NO_COLOR, --no-color). */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  severity(severity: Severity | "ok", text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const COLOURS: Record<Severity | "ok", (text: string) => string> = {
  ok: wrap(32, 39),
  info: wrap(36, 39),
  warning: wrap(33, 39),
  critical: wrap(31, 39),
};

export function createStyle(color: boolean): Style {
  if (!color) return { bold: (t) => t, dim: (t) => t, severity: (_s, t) => t };
  return { bold: wrap(1, 22), dim: wrap(2, 22), severity: (s, t) => COLOURS[s](t) };
}
