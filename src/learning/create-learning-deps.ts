// Builds the learning cycle's dependencies from configuration: the analyzer, the compiler
// (evaluation + gate) and the git registry. Shared by the service, the CLI and the demo.
import type { Config } from "../config/index.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import { UnrecoverableError } from "../errors.js";
import type { LearningDeps } from "./learning-deps.js";
import { targetsFromTraces } from "./new-traces.js";

export interface CreateLearningDepsOptions {
  config: Config;
  db: Database;
  logger: Logger;
}

/** The production wiring of analyze → compile → gate → commit. */
export function createLearningDeps(options: CreateLearningDepsOptions): LearningDeps {
  const { db } = options;
  return {
    listTargets: (tenant) => targetsFromTraces(db, tenant),
    async analyze() {
      throw new UnrecoverableError("analyzer_unavailable", "the pattern analyzer (issue 4) is not part of this build");
    },
    async compile() {
      throw new UnrecoverableError("compiler_unavailable", "the prompt compiler (issue 5) is not part of this build");
    },
  };
}
