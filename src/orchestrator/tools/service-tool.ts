// A built-in service tool: a function the orchestrator itself can call when a signature declares a
// tool of that name (docs/orchestrator.md "Signatures with tools"). Its JSON Schema is the
// contract a declared tool is checked against; its zod schema validates the model's arguments.
import type { z } from "zod";

/** What a tool call may use of the run it belongs to. */
export interface ToolCallContext {
  /** The caller's tenant: a tool reads only that tenant's data. */
  tenant: string;
  signal?: AbortSignal;
}

/** A tool's answer: text for the model, or an error the model can act on (never thrown). */
export type ToolResult = { ok: true; response: string } | { ok: false; error: string };

export interface ServiceTool<A = any> {
  name: string;
  /** The service's own description (a signature's declared description is what the model reads). */
  description: string;
  /** JSON Schema of the arguments (an object). */
  parameters: Record<string, unknown>;
  /** Validates the model's arguments. */
  args: z.ZodType<A>;
  call(args: A, context: ToolCallContext): Promise<ToolResult>;
}

/** The service tools by name. */
export type ServiceToolbox = ReadonlyMap<string, ServiceTool>;
