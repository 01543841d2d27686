import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["test/faults/**", "test/browser/**", "node_modules/**", "dist/**"],
    // One migrated database per run, copied into each fresh data dir (test/support/database-template.ts).
    globalSetup: ["test/support/global-setup.ts"],
    // Property tests run from a fixed seed (FAST_CHECK_SEED=random explores; docs/development.md).
    setupFiles: ["test/support/fast-check-seed.ts"],
    pool: "forks",
    // Vitest's default is one fork per core minus one: a single fork on 2 cores. Most files wait
    // on child processes, servers and the embedded database much of the time, so two forks cut
    // the suite from 634 to 495 s on the (slow) 2-core machine of 2026-12-02, all tests passing.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
  },
});
