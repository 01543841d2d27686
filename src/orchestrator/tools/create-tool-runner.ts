// The service's tools as a ToolRunner (signature/complete-with-tools.ts), for runs that are not
// served traces: the compiler's evaluations of a signature that declares service tools run the
// same tool loop as POST /v1/signatures/:name/run, so a change to a tool's description (learned
// text) is measured with the tools it describes. A signature whose tools the service cannot call
// gets no runner: it is evaluated without tools, as before.
import type { Config } from "../../config/index.js";
import type { Database } from "../../db/database.js";
import type { Embedder } from "../../llm/embedder.js";
import type { Logger } from "../../log/logger.js";
import type { ToolRunner } from "../../signature/complete-with-tools.js";
import { createServiceTools } from "./create-service-tools.js";
import { callServiceTool } from "./call-service-tool.js";
import { resolveSignatureTools, type ResolvedTools } from "./resolve-signature-tools.js";
import type { ServiceToolbox } from "./service-tool.js";

export function createToolRunner(toolbox: ServiceToolbox, options: { maxRounds: number; logger: Logger }): ToolRunner {
  return (version, tenant) => {
    if (!version.tools || version.tools.length === 0) return undefined;
    const resolved = offeredTools(version.name, version.tools, toolbox);
    if (!resolved) return undefined;
    return {
      tools: resolved.specs,
      maxRounds: options.maxRounds,
      // Evaluations keep no trace: the steps are dropped.
      callTool: (call) => callServiceTool(resolved, call, { tenant }, [], options.logger),
    };
  };
}

/** The tools as offered to the model, or undefined when the service cannot call them all (the 422 of a served run). */
function offeredTools(...args: Parameters<typeof resolveSignatureTools>): ResolvedTools | undefined {
  try {
    return resolveSignatureTools(...args);
  } catch {
    return undefined;
  }
}

/** The runner over the service's built-in tools as configured (what the orchestrator serves with). */
export function createServiceToolRunner(config: Pick<Config, "orchestratorProgramTimeoutMs" | "orchestratorResearchPassages" | "orchestratorToolMaxRounds">, deps: { db: Database; embedder: () => Embedder; logger: Logger }): ToolRunner {
  const toolbox = createServiceTools({ programTimeoutMs: config.orchestratorProgramTimeoutMs, researchPassages: config.orchestratorResearchPassages }, () => ({ db: deps.db, embedder: deps.embedder(), logger: deps.logger }));
  return createToolRunner(toolbox, { maxRounds: config.orchestratorToolMaxRounds, logger: deps.logger });
}
