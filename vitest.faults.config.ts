// The fault suite (test/faults/): kills, signals, outages and broken dependencies against real
// processes. Run by `npm test` after the main suite, and alone with `npm run test:faults`.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/faults/**/*.integration.test.ts"],
    // One migrated database per run, copied into each fresh data dir (test/support/database-template.ts).
    globalSetup: ["test/support/global-setup.ts"],
    pool: "forks",
    // Fault tests start and kill whole services; two at once is what 2 shared cores can carry.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 120_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
  },
});
