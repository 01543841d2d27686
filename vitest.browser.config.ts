// The browser suite (test/browser/): the dashboard end to end in headless Chromium (Debian's
// package, driven by playwright-core; never a downloaded browser). Run by `npm test` after the
// other suites, and alone with `npm run test:browser`. Screenshots go to test-artifacts/.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    pool: "forks",
    // One browser and one service at a time: 2 shared cores.
    poolOptions: { forks: { maxForks: 1, minForks: 1 } },
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 20_000,
  },
});
