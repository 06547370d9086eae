/**
 * Text order for everything the reports sort: by UTF-16 code unit, the same on every machine.
 * (localeCompare follows the environment's locale, so a report's order would depend on LANG, and
 * its first call loads ICU's collation data, a few milliseconds of every run.)
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
