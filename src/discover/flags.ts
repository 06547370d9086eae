/** Command-line flags of one component: every value of every flag, in order. */
export type FlagMap = ReadonlyMap<string, readonly string[]>;

/**
 * Parse a component's argv the way Go's pflag reads it: `--name=value`, `--name value`, and a bare
 * `--name` (a boolean). A token after a bare flag is its value unless it is itself a flag. Single-
 * dash flags (`-v=2`) are normalised to two dashes. The first token, the binary, is skipped when
 * it is not a flag; positional arguments are ignored.
 */
export function parseFlags(argv: readonly string[]): FlagMap {
  const flags = new Map<string, string[]>();
  const add = (name: string, value: string) => {
    const key = "--" + name.replace(/^-+/, "");
    const values = flags.get(key);
    if (values) values.push(value);
    else flags.set(key, [value]);
  };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (!token.startsWith("-") || token === "-" || token === "--") continue;
    const eq = token.indexOf("=");
    if (eq > 0) {
      add(token.slice(0, eq), token.slice(eq + 1));
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("-")) {
      add(token, next);
      i++;
    } else {
      add(token, "true");
    }
  }
  return flags;
}

/** The effective value of a flag: pflag keeps the last occurrence. */
export function flagValue(flags: FlagMap, name: string): string | undefined {
  const values = flags.get(name);
  return values?.[values.length - 1];
}
