/**
 * Entry of `kube-cert-audit tui` (main.ts has refused a non-terminal already): loads ink and React,
 * which only this command pays for, and runs the app until the user quits.
 */
import type { TuiModel } from "./view-model.js";

export async function runTui(model: TuiModel, options: { guided: boolean }): Promise<void> {
  // chalk (inside ink) decides on colour when it is imported and ignores NO_COLOR.
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") process.env.FORCE_COLOR = "0";
  const [{ render }, { createElement }, { App }] = await Promise.all([import("ink"), import("react"), import("./app.js")]);
  const instance = render(createElement(App, { model, guided: options.guided }), { exitOnCtrlC: false });
  await instance.waitUntilExit();
}
