// The built-in service tools the orchestrator can call for a signature: run_program (the Engineer's
// sandbox) and search_library (the Librarian).
import type { LibraryDeps } from "../../librarian/index-library.js";
import { runProgramTool } from "./run-program-tool.js";
import { searchLibraryTool } from "./search-library-tool.js";
import type { ServiceTool, ServiceToolbox } from "./service-tool.js";

export interface ServiceToolSettings {
  /** Config `orchestrator_program_timeout_ms`. */
  programTimeoutMs: number;
  /** Config `orchestrator_research_passages`. */
  researchPassages: number;
}

export function createServiceTools(settings: ServiceToolSettings, library: () => LibraryDeps): ServiceToolbox {
  const tools: ServiceTool[] = [runProgramTool({ timeoutMs: settings.programTimeoutMs }), searchLibraryTool(library, { defaultPassages: settings.researchPassages })];
  return new Map(tools.map((t) => [t.name, t]));
}
