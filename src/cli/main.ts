// The `meta-agent` command line. Commands parse input and call one use case; heavy modules are
// imported inside actions so `--help` stays fast.
import { Command } from "commander";
import { VERSION } from "../version.js";
import { registerServe } from "./commands/serve.js";
import { registerDb } from "./commands/db.js";
import { registerLibrarian } from "./commands/librarian.js";
import { registerSimLlm } from "./commands/sim-llm.js";

export function buildProgram(): Command {
  const program = new Command("meta-agent")
    .description("Makes existing LLM agents better by themselves: traces → patterns → compiled prompts in git.")
    .version(VERSION, "-v, --version")
    .showHelpAfterError();
  registerServe(program);
  registerDb(program);
  registerLibrarian(program);
  registerSimLlm(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
