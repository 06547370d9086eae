/**
 * Navigation of the terminal UI as a pure reducer: a key and the rows on screen in, the next state
 * out. Keeping it out of React means fast typing never acts on stale state, and it is tested
 * without a terminal.
 */
import { SEVERITY_ORDER, type Severity } from "../model.js";
import { GUIDED_STEPS, type Row, type ScreenRef } from "./view-model.js";

/** Which rows a severity filter keeps: every row, or rows at least this bad. */
export const SEVERITY_FILTERS = ["all", "warning", "critical"] as const;
export type SeverityFilter = (typeof SEVERITY_FILTERS)[number];

export interface Place {
  ref: ScreenRef;
  /**
   * Which selectable row is selected, counted among the selectable visible rows (-1: none), so
   * the selection survives a re-layout (a resized terminal wraps text into more or fewer rows).
   */
  selected: number;
  /** First row in the viewport. */
  top: number;
}

export interface TuiState {
  stack: Place[];
  filter: string;
  /** The filter line is being typed. */
  typingFilter: boolean;
  severity: SeverityFilter;
  help: boolean;
  quit: boolean;
}

/** The keys the UI reacts to, as ink reports them. */
export interface KeyPress {
  input: string;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
}

/** The first screen (the overview, or guided step 1 above it), each with its first selectable row selected. */
export function initialState(rowsOf: (ref: ScreenRef) => Row[], height: number, guided = false): TuiState {
  const refs: ScreenRef[] = guided ? [{ kind: "overview" }, { kind: "guided", step: 0 }] : [{ kind: "overview" }];
  return { stack: refs.map((ref) => first(ref, rowsOf(ref), height)), filter: "", typingFilter: false, severity: "all", help: false, quit: false };
}

const rank = (tone: Row["tone"]) => (tone === undefined || tone === "heading" || tone === "muted" || tone === "ok" ? -1 : SEVERITY_ORDER.indexOf(tone as Severity));

/** The rows a filter leaves: selectable rows must match the text and severity filters; their detail lines follow them. */
export function visibleRows(rows: readonly Row[], state: Pick<TuiState, "filter" | "severity">): Row[] {
  const text = state.filter.toLowerCase();
  const minimum = state.severity === "all" ? -1 : SEVERITY_ORDER.indexOf(state.severity);
  const out: Row[] = [];
  let keepDetails = true;
  for (const row of rows) {
    if (row.detail) {
      if (keepDetails) out.push(row);
      continue;
    }
    if (!row.target) {
      out.push(row);
      keepDetails = true;
      continue;
    }
    const severityOk = minimum < 0 || rank(row.tone) >= minimum;
    keepDetails = severityOk && (text === "" || row.text.toLowerCase().includes(text));
    if (keepDetails) out.push(row);
  }
  return out;
}

const selectable = (rows: readonly Row[]) => rows.flatMap((row, index) => (row.target ? [index] : []));

/** The selected row's index and the first row to show, with the selection inside the viewport. */
export function viewport(place: Place, rows: readonly Row[], height: number): { cursor: number; top: number } {
  const indices = selectable(rows);
  const cursor = indices.length === 0 || place.selected < 0 ? -1 : (indices[Math.min(place.selected, indices.length - 1)] as number);
  let top = place.top;
  if (cursor >= 0 && cursor < top) top = cursor;
  if (cursor >= top + height) top = cursor - height + 1;
  return { cursor, top: Math.min(Math.max(0, top), Math.max(0, rows.length - height)) };
}

/**
 * A screen as it opens: from its top, the first selectable row selected if it is on the first
 * page; otherwise nothing yet (a certificate's checks come below its decoded fields).
 */
const first = (ref: ScreenRef, rows: readonly Row[], height: number): Place => {
  const at = selectable(rows)[0];
  return { ref, selected: at !== undefined && at < height ? 0 : -1, top: 0 };
};

function move(place: Place, rows: readonly Row[], delta: number, height: number): Place {
  const indices = selectable(rows);
  const count = indices.length;
  const view = viewport(place, rows, height);
  if (count === 0 || place.selected < 0) {
    // Nothing selected: scroll, and select the first selectable row once it comes into view.
    const top = viewport({ ...place, top: view.top + delta }, rows, height).top;
    const visible = indices.findIndex((i) => i >= top && i < top + height);
    return { ...place, top, selected: delta > 0 && visible >= 0 ? visible : place.selected };
  }
  const selected = Math.min(count - 1, Math.max(0, place.selected + delta));
  // At either end, scroll on so text above the first or below the last selectable row can be read.
  if (selected === place.selected) return { ...place, top: Math.max(0, Math.min(view.top + Math.sign(delta), rows.length - height)) };
  return { ...place, selected, top: viewport({ ...place, selected }, rows, height).top };
}

/**
 * The next state after a key. `rowsOf` gives the unfiltered rows of a screen; `height` is how many
 * rows fit in the viewport.
 */
export function reduce(state: TuiState, key: KeyPress, rowsOf: (ref: ScreenRef) => Row[], height: number): TuiState {
  const here = state.stack[state.stack.length - 1] as Place;
  const rows = visibleRows(rowsOf(here.ref), state);
  const replace = (place: Place): TuiState => ({ ...state, stack: [...state.stack.slice(0, -1), place] });
  const refilter = (next: TuiState): TuiState => {
    const top = next.stack[next.stack.length - 1] as Place;
    return { ...next, stack: [...next.stack.slice(0, -1), first(top.ref, visibleRows(rowsOf(top.ref), next), height)] };
  };

  if (key.ctrl && key.input === "c") return { ...state, quit: true };
  if (state.help) return key.input === "q" ? { ...state, quit: true } : { ...state, help: false };
  if (state.typingFilter) {
    if (key.return) return { ...state, typingFilter: false };
    if (key.escape) return refilter({ ...state, typingFilter: false, filter: "" });
    if (key.backspace || key.delete) return refilter({ ...state, filter: state.filter.slice(0, -1) });
    if (key.input && !key.ctrl && !key.upArrow && !key.downArrow) return refilter({ ...state, filter: state.filter + key.input });
  }

  if (key.upArrow || key.input === "k") return replace(move(here, rows, -1, height));
  if (key.downArrow || key.input === "j") return replace(move(here, rows, 1, height));
  if (key.pageUp) return replace(move(here, rows, -height, height));
  if (key.pageDown || key.input === " ") return replace(move(here, rows, height, height));
  if (key.return) {
    const target = rows[viewport(here, rows, height).cursor]?.target;
    if (!target) return state;
    // A filter narrows one screen; the screen opened from it starts unfiltered.
    return { ...state, filter: "", stack: [...state.stack, first(target, visibleRows(rowsOf(target), { filter: "", severity: state.severity }), height)] };
  }
  if (key.escape || key.backspace || key.delete || key.leftArrow) {
    if (state.filter !== "") return refilter({ ...state, filter: "" });
    if (state.stack.length <= 1) return state;
    return { ...state, stack: state.stack.slice(0, -1) };
  }
  if (here.ref.kind === "guided" && (key.input === "n" || key.input === "p" || key.rightArrow)) {
    const step = here.ref.step + (key.input === "p" ? -1 : 1);
    if (step < 0 || step >= GUIDED_STEPS.length) return state;
    const ref: ScreenRef = { kind: "guided", step };
    return replace(first(ref, visibleRows(rowsOf(ref), state), height));
  }
  switch (key.input) {
    case "q":
      return { ...state, quit: true };
    case "?":
      return { ...state, help: true };
    case "/":
      return { ...state, typingFilter: true };
    case "f":
      return refilter({ ...state, severity: SEVERITY_FILTERS[(SEVERITY_FILTERS.indexOf(state.severity) + 1) % SEVERITY_FILTERS.length] as SeverityFilter });
    case "g": {
      const ref: ScreenRef = { kind: "guided", step: 0 };
      return { ...state, stack: [...state.stack, first(ref, visibleRows(rowsOf(ref), state), height)] };
    }
    default:
      return state;
  }
}
