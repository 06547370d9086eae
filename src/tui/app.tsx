/**
 * The ink app: draws the rows of the current screen (view-model.ts) in a viewport, a status bar
 * with where you are and the keys, and the help overlay. All key handling is the reducer's.
 */
import { Box, Text, useApp, useInput, useStdout } from "ink";
import { useEffect, useMemo, useReducer } from "react";
import { initialState, reduce, viewport, visibleRows, type KeyPress, type TuiState } from "./state.js";
import { screenFor, truncate, type Row, type ScreenRef, type TuiModel } from "./view-model.js";

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
  "Press any key to close this help.",
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
  const width = Math.max(40, stdout.columns || 80);
  const height = Math.max(5, (stdout.rows || 24) - CHROME_ROWS);
  const rowsOf = useMemo(() => {
    const cache = new Map<string, Row[]>();
    return (ref: ScreenRef) => {
      const key = JSON.stringify(ref);
      let rows = cache.get(key);
      if (!rows) cache.set(key, (rows = screenFor(model, ref, width - 2).rows));
      return rows;
    };
  }, [model, width]);
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
  const crumbs = state.stack.map((place) => screenFor(model, place.ref, width).title).join(" › ");
  const filters = [state.filter || state.typingFilter ? `filter "${state.filter}${state.typingFilter ? "▏" : ""}"` : "", state.severity !== "all" ? `severity ≥ ${state.severity}` : ""].filter(Boolean).join(" · ");
  const keys = state.typingFilter ? "type to filter · Enter keep · Esc clear" : "↑↓ move  Enter open  Esc back  / filter  f severity  g guide  ? help  q quit";

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
  const { cursor, top } = viewport(here, rows, height);
  const shown = rows.slice(top, top + height);
  const position = rows.length > height ? ` (${top + 1}-${Math.min(rows.length, top + height)} of ${rows.length})` : "";
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {truncate(`kube-cert-audit › ${crumbs}${position}`, width)}
      </Text>
      {shown.map((row, i) => (
        <RowLine key={top + i} row={row} selected={top + i === cursor} width={width} />
      ))}
      {shown.length === 0 ? <Text color="gray">{truncate("  nothing matches the filter (Esc clears it)", width)}</Text> : null}
      <Text color="gray" wrap="truncate-end">
        {truncate("─".repeat(width), width)}
      </Text>
      <Text wrap="truncate-end">{truncate(filters ? `${filters} · ${keys}` : keys, width)}</Text>
    </Box>
  );
}
