// The `meta-agent` command line. Commands parse input and call one use case; heavy modules are
// imported inside actions so `--help` stays fast.
import { Command } from "commander";
import { VERSION } from "../version.js";
import { registerServe } from "./commands/serve.js";
import { registerDb } from "./commands/db.js";
import { registerKeys } from "./commands/keys.js";
import { registerLearn } from "./commands/learn.js";
import { registerStatus } from "./commands/status.js";
import { registerGuidelines } from "./commands/guidelines.js";
import { registerReport } from "./commands/report.js";
import { registerRun } from "./commands/run.js";
import { registerCompile } from "./commands/compile.js";
import { registerSimLlm } from "./commands/sim-llm.js";
import { registerImport } from "./commands/import.js";
import { registerTraces } from "./commands/traces.js";
import { registerAnalyze } from "./commands/analyze.js";
import { registerVersions } from "./commands/versions.js";
import { registerRouting } from "./commands/routing.js";
import { registerLibrarian } from "./commands/librarian.js";
import { registerCache } from "./commands/cache.js";
import { registerEmbeddings } from "./commands/embeddings.js";
import { registerPlayground } from "./commands/playground.js";
import { registerEval } from "./commands/eval.js";
import { registerCanary } from "./commands/canary.js";
import { registerVerify } from "./commands/verify.js";
import { registerHeuristics } from "./commands/heuristics.js";

export function buildProgram(): Command {
  const program = new Command("meta-agent")
    .description("Makes existing LLM agents better by themselves: traces → patterns → compiled prompts in git.")
    .version(VERSION, "-v, --version")
    .showHelpAfterError()
    // Program options only before the command, so a command may have its own --version (run --version 1.2.0).
    .enablePositionalOptions();
  registerServe(program);
  registerDb(program);
  registerKeys(program);
  registerLearn(program);
  registerStatus(program);
  registerGuidelines(program);
  registerReport(program);
  registerRun(program);
  registerCompile(program);
  registerSimLlm(program);
  registerImport(program);
  registerTraces(program);
  registerAnalyze(program);
  registerVersions(program);
  registerRouting(program);
  registerLibrarian(program);
  registerCache(program);
  registerEmbeddings(program);
  registerPlayground(program);
  registerEval(program);
  registerCanary(program);
  registerVerify(program);
  registerHeuristics(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
