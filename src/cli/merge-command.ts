/**
 * `kube-cert-audit merge REPORT.json…`: per-node JSON reports (from the DaemonSet, a CronJob or
 * a loop over nodes) combined into one fleet view. Each input is validated against the report
 * schema first, so a truncated or foreign file is named, not half-merged.
 */
import * as fs from "node:fs";
import { dump } from "js-yaml";
import { readPackageFile } from "../load/package-files.js";
import type { Report } from "../model.js";
import { mergeReports, renderFleetTable, type FleetReport } from "../report/fleet.js";
import type { OutputFormat } from "../report/render.js";
import { UsageError } from "./options.js";
import { ajvClass } from "../rules/ajv.js";

function reportValidator() {
  const schema = JSON.parse(readPackageFile("schema/report.schema.json")) as object;
  return new (ajvClass())({ allErrors: false, strict: false, validateFormats: false }).compile(schema);
}

/** Read and validate the reports; any bad input is a UsageError naming the file. */
export function readReports(files: readonly string[]): Report[] {
  if (files.length === 0) throw new UsageError("merge takes one or more JSON reports, e.g. 'kube-cert-audit merge cp-1.json cp-2.json'");
  const validate = reportValidator();
  return files.map((file) => {
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (error) {
      throw new UsageError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new UsageError(`${file}: not JSON; merge reads the reports of 'kube-cert-audit -o json'`);
    }
    if (!validate(value)) {
      const first = validate.errors?.[0];
      throw new UsageError(`${file}: not a kube-cert-audit report (schemaVersion 1): ${first ? `${first.instancePath || "(top level)"} ${first.message}` : "invalid"}`);
    }
    return value as Report;
  });
}

export function renderFleet(fleet: FleetReport, format: OutputFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(fleet, null, 2) + "\n";
    case "yaml":
      return dump(fleet, { noRefs: true, lineWidth: -1 });
    case "table":
      return renderFleetTable(fleet);
    case "prom":
      throw new UsageError("merge writes table, json or yaml; for metrics, scrape each node's -o prom file");
  }
}

export function mergeCommand(files: readonly string[], format: OutputFormat): { text: string; exitCode: 0 | 1 | 2 } {
  const fleet = mergeReports(readReports(files));
  return { text: renderFleet(fleet, format), exitCode: fleet.summary.exitCode };
}
