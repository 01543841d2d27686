// `run_program`: the Engineer's sandbox as a tool. The model writes a JavaScript program; it runs in
// a fresh V8 isolate without any I/O (src/sandbox/run-program.ts) and the model reads what it
// printed, or why it failed.
import { z } from "zod";
import { runProgram } from "../../sandbox/run-program.js";
import type { ServiceTool } from "./service-tool.js";

export interface RunProgramToolSettings {
  /** Wall-clock limit of one program, in ms (config `orchestrator_program_timeout_ms`). */
  timeoutMs: number;
}

const RunProgramArgs = z.strictObject({ code: z.string().min(1, "must not be empty").max(100_000, "at most 100000 characters") });

export function runProgramTool(settings: RunProgramToolSettings): ServiceTool<z.infer<typeof RunProgramArgs>> {
  return {
    name: "run_program",
    description:
      "Runs a JavaScript program in an isolated sandbox (no network, files, environment or modules) and returns what it printed with console.log. Use it to compute exact results.",
    parameters: {
      type: "object",
      properties: { code: { type: "string", description: "Plain JavaScript (top-level statements); print results with console.log." } },
      required: ["code"],
      additionalProperties: false,
    },
    args: RunProgramArgs,
    async call(args, context) {
      const ran = await runProgram(args.code, { timeoutMs: settings.timeoutMs, ...(context.signal ? { signal: context.signal } : {}) });
      return ran.ok ? { ok: true, response: ran.output } : { ok: false, error: `${ran.error.code}: ${ran.error.message}` };
    },
  };
}
