import { GUIDED_STEPS, screenFor, type Row, type ScreenRef, type TuiModel } from "../../src/tui/view-model.js";

/** Every screen of the terminal UI reachable from the overview by opening rows (and the guided steps), each once. */
export function reachableScreens(model: TuiModel, width: number): Map<string, Row[]> {
  const seen = new Map<string, Row[]>();
  const queue: ScreenRef[] = [{ kind: "overview" }, { kind: "findings" }, ...GUIDED_STEPS.map((_, step): ScreenRef => ({ kind: "guided", step }))];
  while (queue.length > 0) {
    const ref = queue.shift() as ScreenRef;
    const key = JSON.stringify(ref);
    if (seen.has(key)) continue;
    const rows = screenFor(model, ref, width).rows;
    seen.set(key, rows);
    for (const row of rows) if (row.target) queue.push(row.target);
  }
  return seen;
}
