import { cleanup, render } from "ink-testing-library";
import { afterEach, describe, expect, test } from "vitest";
import { App, HELP_LINES } from "../../src/tui/app.js";
import type { TuiModel } from "../../src/tui/view-model.js";
import { auditTree } from "../helpers/audit.js";
import { BUNDLED_RULES } from "../helpers/context.js";

const KEY = { up: "\u001B[A", down: "\u001B[B", enter: "\r", escape: "\u001B", backspace: "\u007F" } as const;
const WIDTH = 80;

/** Let ink's input handling and React's commit run (a lone Escape waits a tick for more bytes). */
const settle = async (turns = 4) => {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

const model: TuiModel = { report: auditTree("sample-clusters/kubeadm-broken", new Date("2026-06-01T00:00:00Z")), rules: BUNDLED_RULES };

async function open(guided = false, shown: TuiModel = model) {
  const app = render(<App model={shown} guided={guided} />);
  // ink-testing-library's fake terminal is 100 columns; this one is 80, like a plain terminal.
  Object.defineProperty(app.stdout, "columns", { value: WIDTH, configurable: true });
  Object.defineProperty(app.stdout, "rows", { value: 24, configurable: true });
  app.rerender(<App model={shown} guided={guided} />);
  await settle();
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      app.stdin.write(key);
      await settle();
    }
  };
  const frame = () => app.lastFrame() ?? "";
  const selected = () => frame().split("\n").find((line) => line.startsWith("> ")) ?? "";
  return { ...app, press, frame, selected };
}

afterEach(() => cleanup());

describe("kube-cert-audit tui on kubeadm-broken", () => {
  test("the overview shows the layout, the facts, the summary and the components with their worst status", async () => {
    const { frame } = await open();
    expect(frame()).toContain("Layout: kubeadm (static pod manifests)");
    expect(frame()).toContain("service IP 10.96.0.1");
    expect(frame()).toMatch(/Findings: \d+ critical/);
    expect(frame()).toMatch(/> CRITICAL +etcd/);
    expect(frame()).toMatch(/OK +kubelet/);
    expect(frame()).toContain("kube-cert-audit › Overview");
  });

  test("every frame fits 80 columns and 24 lines", async () => {
    const { frame, press } = await open();
    for (const keys of [[], [KEY.down, KEY.enter], ["j", "j", KEY.enter], [KEY.enter], ["?"]]) {
      await press(...keys);
      const lines = frame().split("\n");
      expect(lines.length).toBeLessThanOrEqual(24);
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(WIDTH);
    }
  });

  test("component → certificate → finding, and back with Esc and Backspace", async () => {
    const { frame, press, selected } = await open();
    await press("j"); // etcd → kube-apiserver
    expect(selected()).toMatch(/kube-apiserver/);
    await press(KEY.enter);
    expect(frame()).toContain("Overview › kube-apiserver");
    expect(frame()).toContain("Certificates (7)");
    // A long path keeps its file name: …ubernetes/pki/apiserver-etcd-client.crt
    expect(selected()).toContain("pki/apiserver-etcd-client.crt");
    await press("j", "j"); // apiserver-kubelet-client → apiserver.crt
    expect(selected()).toContain("/etc/kubernetes/pki/apiserver.crt");
    await press(KEY.enter);
    expect(frame()).toContain("kube-apiserver › apiserver.crt");
    // The decoded certificate first, from the top; its checks come below.
    expect(frame()).toContain("Certificate: /etc/kubernetes/pki/apiserver.crt");
    expect(frame()).toContain("X509v3 Subject Alternative Name: DNS:cp-1");
    expect(frame()).toContain("TLS Web Server Authentication");
    expect(selected()).toBe("");
    for (let i = 0; i < 30 && selected() === ""; i++) await press("j");
    expect(selected()).toMatch(/CRITICAL san-missing/);
    await press(KEY.enter);
    expect(frame()).toContain("apiserver.crt › san-missing");
    expect(frame()).toContain("What is wrong");
    expect(frame()).toContain("How to fix it");
    await press(KEY.escape);
    expect(frame()).toContain("kube-apiserver › apiserver.crt");
    await press(KEY.backspace);
    expect(frame()).toContain("Overview › kube-apiserver");
    expect(frame()).not.toContain("apiserver.crt ›");
  });

  test("All findings lists the report's findings; a finding shows the fix command and, scrolled down, why the check matters", async () => {
    const { frame, press, selected } = await open();
    for (let i = 0; i < 20 && !selected().includes("All findings"); i++) await press("j");
    await press(KEY.enter);
    expect(frame()).toContain("Overview › Findings");
    const first = model.report.findings[0]!;
    expect(selected()).toMatch(new RegExp(`^> ${first.severity.toUpperCase()} +${first.id} `));
    await press(KEY.enter);
    expect(frame()).toContain(`Findings › ${first.id}`);
    expect(frame()).toContain("How to fix it");
    // The fix's first words, as the report has them.
    expect(frame().replace(/\s+/g, " ")).toContain(first.remediation.split(/\s+/).slice(0, 4).join(" "));
    for (let i = 0; i < 40 && !frame().includes("Why it matters"); i++) await press("j");
    expect(frame()).toContain("Why it matters");
  });

  test("/ filters the rows by text; Esc clears the filter", async () => {
    const { frame, press } = await open();
    await press("/", "s", "c", "h", "e", "d");
    expect(frame()).toContain('filter "sched');
    expect(frame()).toMatch(/> CRITICAL +kube-scheduler/);
    expect(frame()).not.toMatch(/ etcd +\d+ certificates/);
    await press(KEY.enter); // keep the filter, leave typing
    await press("j", "k"); // navigation keys work again
    expect(frame()).toMatch(/> CRITICAL +kube-scheduler/);
    await press(KEY.escape);
    expect(frame()).not.toContain('filter "');
    expect(frame()).toMatch(/ etcd +\d+ certificates/);
  });

  test("f cycles the severity filter: warning and worse, critical, all", async () => {
    const { frame, press } = await open();
    expect(frame()).toMatch(/OK +kubelet/);
    await press("f");
    expect(frame()).toContain("severity ≥ warning");
    expect(frame()).not.toMatch(/OK +kubelet/);
    expect(frame()).toMatch(/WARNING +kube-controller-manager/);
    await press("f");
    expect(frame()).toContain("severity ≥ critical");
    expect(frame()).not.toMatch(/WARNING +kube-controller-manager/);
    await press("f");
    expect(frame()).not.toContain("severity ≥");
    expect(frame()).toMatch(/OK +kubelet/);
  });

  test("? shows the help, any key closes it", async () => {
    const { frame, press } = await open();
    await press("?");
    expect(frame()).toContain(HELP_LINES[0]);
    expect(frame()).toContain("cycle the severity filter");
    await press("x");
    expect(frame()).toContain("kube-cert-audit › Overview");
  });

  test("guided mode steps through CAs, serving and client certificates, then connections", async () => {
    const { frame, press } = await open(true);
    expect(frame()).toContain("Step 1 of 4: Certificate authorities");
    expect(frame()).toContain("/etc/kubernetes/pki/ca.crt");
    await press("n");
    expect(frame()).toContain("Step 2 of 4: Serving certificates");
    expect(frame()).toContain("/etc/kubernetes/pki/apiserver.crt");
    await press("n");
    expect(frame()).toContain("Step 3 of 4: Client certificates");
    await press("n");
    expect(frame()).toContain("Step 4 of 4: Connections");
    expect(frame()).toContain("BROKEN   kube-apiserver → etcd");
    await press("n"); // the last step stays
    expect(frame()).toContain("Step 4 of 4");
    await press("p");
    expect(frame()).toContain("Step 3 of 4");
    await press(KEY.escape);
    expect(frame()).toContain("kube-cert-audit › Overview");
  });

  test("q quits (the app unmounts and stops reading keys)", async () => {
    const { press, stdin } = await open();
    expect(stdin.listenerCount("readable")).toBe(1);
    await press("q");
    expect(stdin.listenerCount("readable")).toBe(0);
  });

  test("names from the audited tree reach the terminal as printable text: a CN's escape sequences are shown, not obeyed", async () => {
    const report = structuredClone(model.report);
    const apiserver = report.certificates.find((c) => c.path === "/etc/kubernetes/pki/apiserver.crt")!;
    apiserver.subject.cn = "kube-apiserver\u001b]0;PWNED\u0007\u001b[2J";
    const { frame, press } = await open(false, { ...model, report });
    await press("j", KEY.enter, "j", "j", KEY.enter);
    expect(frame()).toContain("kube-apiserver › apiserver.crt");
    expect(frame()).toContain("kube-apiserver\\x1b]0;PWNED\\x07\\x1b[2J");
    expect(frame()).not.toContain("\u001b]0;PWNED");
    expect(frame()).not.toContain("\u001b[2J");
    // The model the app was given is left as it is.
    expect(apiserver.subject.cn).toContain("\u001b]0;");
  });
});
