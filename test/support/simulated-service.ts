// The configuration of a real service on loopback for end-to-end tests: embedded database in a
// temp data dir, prompts from a test git repository, the model simulator as its model, a compile
// that needs few traces, learning left to the test (one cycle a day), no GitHub.
import { loadConfig, type Config } from "../../src/config/index.js";
import { seedDataDir } from "./database-template.js";

export interface SimulatedServiceDirs {
  dataDir: string;
  repoDir: string;
  simBaseURL: string;
}

/** Loads the config of a simulated service (`extra` overrides any key) and seeds its data dir from the migrated template. */
export function simulatedServiceConfig(dirs: SimulatedServiceDirs, extra: Record<string, string> = {}): Config {
  const config = loadConfig({
    env: {
      META_AGENT_DATA_DIR: dirs.dataDir,
      PORT: "0",
      LEARNING_INTERVAL: "86400",
      PROMPTS_REPO_DIR: dirs.repoDir,
      LLM_BASE_URL: dirs.simBaseURL,
      LLM_MODEL: "sim-chat",
      COMPILE_OPTIMIZER: "bootstrap-few-shot",
      DEV_SET_SIZE: "10",
      MIN_TRACES_FOR_ANALYSIS: "10",
      META_AGENT_GITHUB_TOKEN: "",
      GITHUB_TOKEN: "",
      ...extra,
    },
    cwd: dirs.repoDir,
  });
  seedDataDir(config.dataDir);
  return config;
}
