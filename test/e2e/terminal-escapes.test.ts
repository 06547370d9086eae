import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import * as fs from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { at, copyHealthy, derToPem, removePath, resignedCopy, RUN_TIMEOUT_MS, runAudit, type Workspace } from "../helpers/hostile.js";
import "../helpers/certs.js"; // sets @peculiar/x509's crypto provider

/**
 * A certificate may say anything in its subject and SANs. The API server's certificate of the
 * healthy sample is re-signed by its own CA with a CN and a SAN that carry terminal escape
 * sequences (window title, clear screen, colour, blink), bidi overrides and many line breaks.
 * The table (stdout is a pipe: no colour of ours) must show them as escapes, never send them to
 * the terminal, and must lay out quickly however long the CN is.
 */

/** What a terminal acts on instead of showing; the table's own line breaks aside. */
const ACTS_ON_TERMINAL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const CN_HEAD = "evil\u001b]0;PWNED\u0007\u001b[2J\u001b[31mred\u202eoiv";
const SAN = "a\u001b[5mb.example";

async function resigned(certPem: string, caKeyPem: string, cn: string, dns: string[]): Promise<string> {
  const original = new x509.X509Certificate(certPem);
  const names = new x509.SubjectAlternativeNameExtension(dns.map((value) => ({ type: "dns" as const, value })));
  const extensions = original.extensions.map((ext) => (ext.type === "2.5.29.17" ? names : ext));
  const generated = await resignedCopy(certPem, caKeyPem, { subject: new x509.Name([{ CN: [cn] }]), extensions });
  return derToPem(Buffer.from(generated.rawData));
}

describe("names that carry terminal control sequences", () => {
  let ws: Workspace;
  const lines = 3000;
  beforeAll(async () => {
    ws = copyHealthy("kca-escapes-");
    const cert = at(ws, "/etc/kubernetes/pki/apiserver.crt");
    const caKey = fs.readFileSync(at(ws, "/etc/kubernetes/pki/ca.key"), "utf8");
    fs.writeFileSync(cert, await resigned(fs.readFileSync(cert, "utf8"), caKey, CN_HEAD + "\nline".repeat(lines), [SAN, "kubernetes"]));
  });
  afterAll(() => removePath(ws.base));

  test("the table shows them as escapes, clipped, and sends nothing a terminal would act on", { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
    const run = await runAudit(ws.root, ["-o", "table"]);
    expect(run.timedOut).toBe(false);
    // The CN is not kube-apiserver and the SANs lack the node's names: critical.
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("evil\\x1b]0;PWNED\\x07\\x1b[2J\\x1b[31mred\\u202eoiv\\nline");
    expect(run.stdout).toContain("a\\x1b[5mb.example");
    // The table cell is clipped (the finding message below still names the whole CN, escaped).
    // (The cell wraps, so the count and its words may sit on two lines.)
    expect(run.stdout).toMatch(/… \(\d+/);
    expect(run.stdout).toContain("more characters");
    const offending = [...run.stdout].filter((c) => ACTS_ON_TERMINAL.test(c));
    expect(offending).toEqual([]);
  });

  test("the JSON report keeps the exact values", { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
    const run = await runAudit(ws.root);
    const report = JSON.parse(run.stdout) as { certificates: Array<{ path: string; subject: { cn: string }; sans: { dns: string[] } }> };
    const apiserver = report.certificates.find((c) => c.path === "/etc/kubernetes/pki/apiserver.crt");
    expect(apiserver?.subject.cn).toBe(CN_HEAD + "\nline".repeat(lines));
    expect(apiserver?.sans.dns).toEqual([SAN, "kubernetes"]);
  });
});
