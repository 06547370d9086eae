import { dump } from "js-yaml";
import type { Report } from "../model.js";
import { renderPrometheus } from "./prometheus.js";
import { createStyle } from "./style.js";
import { renderTable } from "./table.js";

export const OUTPUT_FORMATS = ["table", "json", "yaml", "prom"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface RenderOptions {
  color: boolean;
  width: number;
  /** For prom: how long the scan took. */
  scanDurationSeconds?: number;
}

/** Render the report in one of the output formats; all of them draw from the same model. */
export function renderReport(report: Report, format: OutputFormat, options: RenderOptions): string {
  switch (format) {
    case "json":
      return JSON.stringify(report, null, 2) + "\n";
    case "yaml":
      return dump(report, { noRefs: true, lineWidth: -1, sortKeys: false });
    case "table":
      return renderTable(report, { style: createStyle(options.color), width: options.width });
    case "prom":
      return renderPrometheus(report, options.scanDurationSeconds !== undefined ? { scanDurationSeconds: options.scanDurationSeconds } : {});
  }
}
