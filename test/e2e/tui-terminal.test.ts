import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { CLI, REPO, runCli } from "../helpers/cli.js";

// The TUI in a real terminal: tmux gives the app a pseudo-terminal of 80x24, sends keys as a
// keyboard would, and captures what is on screen. (.ci/run installs tmux where it is missing.)
describe("kube-cert-audit tui in a real terminal", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "kca-tui-"));
  const socket = path.join(work, "tmux.sock");
  const status = path.join(work, "status");
  const tmux = (...args: string[]) => execFileSync("tmux", ["-S", socket, "-f", "/dev/null", ...args], { encoding: "utf8" });
  afterAll(() => {
    spawnSync("tmux", ["-S", socket, "kill-server"]);
    fs.rmSync(work, { recursive: true, force: true });
  });

  const screen = () => tmux("capture-pane", "-p", "-t", "tui");
  const waitFor = async (text: string | RegExp, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const shown = screen();
      if (typeof text === "string" ? shown.includes(text) : text.test(shown)) return shown;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; the screen shows:\n${shown}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  // A gap after each key: Escape followed at once by another byte reads as Alt+key.
  const send = async (...keys: string[]) => {
    for (const key of keys) {
      tmux("send-keys", "-t", "tui", key);
      await new Promise((resolve) => setTimeout(resolve, 80));
    }
  };

  // The single-file build carries the UI as a module of its own, imported only here: it must run the same.
  test.each([
    ["installed CLI", CLI],
    ["single-file build", path.join(REPO, "dist/kube-cert-audit.cjs")],
  ])("%s: opens on the overview, navigates to a finding and its fix, and quits with exit code 0", async (_name, cli) => {
    spawnSync("tmux", ["-S", socket, "kill-session", "-t", "tui"]);
    fs.rmSync(status, { force: true });
    // ink draws nothing until exit when it believes it runs in CI; a person's terminal has no CI variable.
    const command = `cd '${REPO}' && env -u CI -u CONTINUOUS_INTEGRATION '${process.execPath}' '${cli}' tui --root sample-clusters/kubeadm-broken --at 2026-06-01; echo $? > '${status}'; sleep 60`;
    tmux("new-session", "-d", "-s", "tui", "-x", "80", "-y", "24", command);
    const overview = await waitFor("kube-cert-audit › Overview");
    expect(overview).toMatch(/> CRITICAL +etcd/);
    for (const line of overview.split("\n")) expect([...line].length).toBeLessThanOrEqual(80);

    await send("Down", "Enter");
    await waitFor("Overview › kube-apiserver");
    // Down to the findings of kube-apiserver: the first one is the etcd client certificate's issuer.
    let shown = screen();
    for (let i = 0; i < 40 && !/> CRITICAL issuer-mismatch/.test(shown); i++) {
      await send("j");
      shown = screen();
    }
    expect(shown).toMatch(/> CRITICAL issuer-mismatch/);
    await send("Enter");
    const finding = await waitFor("kube-apiserver › issuer-mismatch");
    expect(finding).toContain("How to fix it");
    // The fix as the report gives it: re-issue the certificate from the right CA, then restart.
    // Commands wrap the way a shell reads them (" \\" at the end of a line): joined, they are the report's.
    expect(finding).toMatch(/^ {2}\$ mv /m);
    expect(finding.replace(/ \\\n\s*/g, " ").replace(/\s+/g, " ")).toContain("kubeadm init phase certs apiserver-etcd-client");

    await send("Escape");
    await waitFor(/Overview › kube-apiserver · \d+-\d+ of \d+/);
    await send("q");
    const deadline = Date.now() + 15_000;
    while (!(fs.existsSync(status) && fs.readFileSync(status, "utf8").trim() !== "") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fs.readFileSync(status, "utf8").trim()).toBe("0");
  });

  test("colours follow NO_COLOR", async () => {
    const colourOf = async (session: string, env: string) => {
      const command = `cd '${REPO}' && env -u CI -u CONTINUOUS_INTEGRATION -u FORCE_COLOR ${env} TERM=xterm-256color '${process.execPath}' '${CLI}' tui --root sample-clusters/kubeadm-broken --at 2026-06-01; sleep 60`;
      tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command);
      const deadline = Date.now() + 15_000;
      let shown = "";
      while (!shown.includes("Overview") && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        shown = tmux("capture-pane", "-p", "-e", "-t", session);
      }
      tmux("send-keys", "-t", session, "q");
      // A foreground colour is an SGR sequence with a 3x or 9x parameter (red critical, green ok, …).
      return /\u001b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7])m/.test(shown);
    };
    expect(await colourOf("coloured", "")).toBe(true);
    expect(await colourOf("plain", "NO_COLOR=1")).toBe(false);
  });

  test("without a terminal it refuses at once with exit code 3 and points to --output", () => {
    const run = runCli(["tui", "--root", "sample-clusters/kubeadm-broken"]);
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("tui needs an interactive terminal");
    expect(run.stderr).toContain("--output");
  });
});

describe("the plain scan does not load the terminal UI", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "kca-lazy-"));
  // A module hook that refuses ink and React: a scan that imported them would fail.
  fs.writeFileSync(
    path.join(work, "hooks.mjs"),
    'export async function resolve(specifier, context, next) { if (/^(ink|react)(\\/|$)/.test(specifier)) throw new Error(`refused import of ${specifier}`); return next(specifier, context); }\n',
  );
  fs.writeFileSync(path.join(work, "register.mjs"), 'import { register } from "node:module"; register("./hooks.mjs", import.meta.url);\n');
  const guard = ["--import", path.join(work, "register.mjs")];
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test("the guard does refuse ink (so the next test means something)", () => {
    const run = spawnSync(process.execPath, [...guard, "--input-type=module", "-e", "await import('ink')"], { cwd: REPO, encoding: "utf8" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("refused import of ink");
  });

  test("a scan runs to its report with ink and React refused", () => {
    const run = spawnSync(process.execPath, [...guard, CLI, "--root", "sample-clusters/kubeadm-broken", "--at", "2026-06-01", "-o", "json"], { cwd: REPO, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout).summary.exitCode).toBe(2);
  });
});
