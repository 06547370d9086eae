/**
 * The ink app: draws the rows of the current screen (view-model.ts) in a viewport, a status bar
 * with where you are and the keys, and the help overlay. All key handling is the reducer's.
 */
import { Box, Text, useApp, useInput, useStdout } from "ink";
import { useEffect, useMemo, useReducer, useState } from "react";
import { initialState, reduce, viewport, visibleRows, type KeyPress, type TuiState } from "./state.js";
import { printableCopy } from "../report/printable.js";
import { screenFor, truncate, type Row, type Screen, type ScreenRef, type TuiModel } from "./view-model.js";

const TONE_COLORS: Record<string, string | undefined> = { critical: "red", warning: "yellow", info: "cyan", ok: "green", muted: "gray" };

export const HELP_LINES = [
  "kube-cert-audit tui: walk through this node's certificate health check.",
  "",
  "  ↑ ↓  j k       move            PgUp PgDn Space   page",
  "  Enter          open            Esc Backspace ←   back",
  "  /              filter by text (Enter keeps it, Esc clears it)",
  "  f              cycle the severity filter: all, warning and worse, critical",
  "  g              guided health check   (n / p: next / previous step)",
  "  ?              this help             q: quit",
  "",
  "Screens: overview → component → certificate → finding. A finding says what is",
  "wrong, how to fix it (the exact commands) and why the check matters.",
  "",
  "Connections: TRUSTED both ends are here and trust each other; ONE END only one",
  "end is on this node (the other runs elsewhere); BROKEN opens the finding.",
  "",
  "Press any key to close this help (q quits).",
];

/** Rows of chrome around the viewport: the title line and the two status lines. */
const CHROME_ROWS = 3;

function RowLine({ row, selected, width }: { row: Row; selected: boolean; width: number }) {
  const text = truncate(`${selected ? "> " : row.target ? "  " : ""}${row.text}`, width);
  const color = row.tone === "heading" ? undefined : TONE_COLORS[row.tone ?? ""];
  return (
    <Text color={color} bold={row.tone === "heading"} inverse={selected} wrap="truncate-end">
      {text || " "}
    </Text>
  );
}

export function App({ model, guided = false }: { model: TuiModel; guided?: boolean }) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  // Lay out again when the terminal is resized.
  const [, setSize] = useState({ columns: stdout.columns, rows: stdout.rows });
  useEffect(() => {
    const onResize = () => setSize({ columns: stdout.columns, rows: stdout.rows });
    stdout.on("resize", onResize);
    return () => {
      stdout.off("resize", onResize);
    };
  }, [stdout]);
  const width = Math.max(40, stdout.columns || 80);
  const height = Math.max(5, (stdout.rows || 24) - CHROME_ROWS);
  // What the audited tree wrote (names, paths) reaches the terminal only as printable text.
  const printableModel = useMemo<TuiModel>(() => ({ ...model, report: printableCopy(model.report) }), [model]);
  // Each screen is laid out once per width (keys only move over it); rows leave room for "> ".
  const screenOf = useMemo(() => {
    const cache = new Map<string, Screen>();
    return (ref: ScreenRef) => {
      const key = JSON.stringify(ref);
      let screen = cache.get(key);
      if (!screen) cache.set(key, (screen = screenFor(printableModel, ref, width - 2)));
      return screen;
    };
  }, [printableModel, width]);
  const rowsOf = (ref: ScreenRef) => screenOf(ref).rows;
  const [state, dispatch] = useReducer(
    (current: TuiState, key: KeyPress) => reduce(current, key, rowsOf, height),
    undefined,
    () => initialState(rowsOf, height, guided),
  );
  // A fast typist or a paste arrives as one chunk ("jjj"): each character is a key of its own.
  useInput((input, key) => {
    const chars = [...input];
    if (chars.length > 1 && !key.ctrl && !key.meta) for (const char of chars) dispatch({ input: char });
    else dispatch({ ...key, input });
  });
  useEffect(() => {
    if (state.quit) exit();
  }, [state.quit, exit]);

  const here = state.stack[state.stack.length - 1] as TuiState["stack"][number];
  const rows = visibleRows(rowsOf(here.ref), state);
  const { cursor, top } = viewport(here, rows, height);
  const position = rows.length > height ? `${top + 1}-${Math.min(rows.length, top + height)} of ${rows.length}` : "";
  const crumbs = state.stack.map((place) => screenOf(place.ref).title).join(" › ");
  const filters = [state.filter || state.typingFilter ? `filter "${state.filter}${state.typingFilter ? "▏" : ""}"` : "", state.severity !== "all" ? `severity ≥ ${state.severity}` : ""].filter(Boolean).join(" · ");
  const keys = state.typingFilter ? "type to filter · Enter keep · Esc clear" : "↑↓ move  Enter open  Esc back  / filter  f severity  g guide  ? help  q quit";
  // Where you are keeps its end (the current screen) when it is too long; filters go beside it.
  const title = `kube-cert-audit › ${crumbs}`;
  const status = [filters, position.trim()].filter(Boolean).join(" · ");
  const room = width - (status ? status.length + 3 : 0);
  const shownTitle = title.length > room ? `…${title.slice(title.length - room + 1)}` : title;

  if (state.help) {
    return (
      <Box flexDirection="column" width={width}>
        {HELP_LINES.map((line, i) => (
          <Text key={i} wrap="truncate-end">
            {truncate(line, width) || " "}
          </Text>
        ))}
      </Box>
    );
  }
  const shown = rows.slice(top, top + height);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {truncate(status ? `${shownTitle} · ${status}` : shownTitle, width)}
      </Text>
      {shown.map((row, i) => (
        <RowLine key={top + i} row={row} selected={top + i === cursor} width={width} />
      ))}
      {shown.length === 0 ? <Text color="gray">{truncate("  nothing matches the filter (Esc clears it)", width)}</Text> : null}
      <Text color="gray" wrap="truncate-end">
        {truncate("─".repeat(width), width)}
      </Text>
      <Text wrap="truncate-end">{truncate(keys, width)}</Text>
    </Box>
  );
}
