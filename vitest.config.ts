import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    // Terminal UI frames are compared as plain text, whatever the developer's shell exports.
    env: { FORCE_COLOR: "0" },
    // The e2e tests run the built CLI as separate processes; allow for a slow shared machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
