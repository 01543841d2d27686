// The playground behind `meta-agent serve --simulate` (`npm start -- --simulate`): the service on
// its own workspace (<data_dir>/playground: a git repository with the demo's `diagnosis` agent
// and its own database), wired to the model simulator with the demo's task bank, so a newcomer
// can send traffic to a live service and watch it learn without a model or touching the checkout.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ConfigKey } from "../config/keys.js";
import type { Logger } from "../log/logger.js";
import { startSimulator, type Simulator } from "../simulator/index.js";
import { PLAYGROUND_BANK, SIGNATURE_NAME, SIGNATURE_SOURCE } from "./demo-scenario.js";

export interface Playground {
  /** The workspace: `agents/` (the prompts repository) and `data/` (the database). */
  dir: string;
  sim: Simulator;
  /** Configuration the service runs with (and shares with CLI commands through its announcement). */
  overrides: Partial<Record<ConfigKey, string | number | boolean>>;
  close(): Promise<void>;
}

/** Prepares the workspace under `baseDataDir` (kept across starts) and starts the simulator. */
export async function startPlayground(baseDataDir: string, options: { logger?: Logger } = {}): Promise<Playground> {
  const dir = path.join(baseDataDir, "playground");
  const repo = path.join(dir, "agents");
  if (!existsSync(path.join(repo, "prompts", `${SIGNATURE_NAME}.yaml`))) {
    mkdirSync(path.join(repo, "prompts"), { recursive: true });
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "pipe" });
    if (!existsSync(path.join(repo, ".git"))) git("init", "-q", "-b", "main");
    writeFileSync(path.join(repo, "prompts", `${SIGNATURE_NAME}.yaml`), SIGNATURE_SOURCE);
    git("add", ".");
    git("-c", "user.name=meta-agent playground", "-c", "user.email=playground@meta-agent.invalid", "commit", "-q", "-m", "Hand-written diagnosis prompt");
  }
  const sim = await startSimulator({ bank: PLAYGROUND_BANK, ...(options.logger ? { logger: options.logger } : {}) });
  return {
    dir,
    sim,
    overrides: {
      dataDir: path.join(dir, "data"),
      promptsRepoDir: repo,
      llmBaseUrl: sim.baseURL,
      llmModel: "sim-chat",
      // Demos are what the simulated model learns from; the default `search` would also work,
      // with more model calls per cycle.
      compileOptimizer: "bootstrap-few-shot",
      // Every incident is worded differently; the cache would only blur what the tour shows.
      cacheEnabled: false,
    },
    close: () => sim.close(),
  };
}
