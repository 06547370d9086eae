import { pathToFileURL } from "node:url";

/**
 * Run `main` when the module at `moduleUrl` is the script node was started with (not when a test
 * imports it): its number becomes the exit code, an error's message goes to stderr with exit 2.
 */
export function runWhenMain(moduleUrl: string, main: (argv: string[]) => Promise<number>): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 2;
    },
  );
}
