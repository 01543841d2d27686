// `traceTool`: records a tool call as a step of the current agent run. A standard method
// decorator, `@traceTool()` (name defaults to the method name), or a wrapper,
// `traceTool("get_pods", fn)`. Outside a traced run the tool simply runs.
import { currentRun } from "./context.js";
import { argumentsRecord } from "./json-safe.js";
import { isPromiseLike, omitPaths } from "./trace-agent.js";

export interface TraceToolOptions {
  /** Marks a returned value as a failure (tools that return errors instead of throwing). Default: never. */
  isError?: (result: unknown) => boolean;
  /** Argument fields dropped from the recorded step (secrets, personal data): names or dotted paths. The tool still gets them. */
  omit?: string[];
}

type Fn = (this: any, ...args: any[]) => any;
export type ToolDecorator = <F extends Fn>(target: F, context: ClassMethodDecoratorContext) => F;

export function traceTool(name?: string, options?: TraceToolOptions): ToolDecorator;
export function traceTool<F extends Fn>(name: string, fn: F, options?: TraceToolOptions): F;
export function traceTool<F extends Fn>(fn: F, options?: TraceToolOptions): F;
export function traceTool<F extends Fn>(a?: string | F, b?: F | TraceToolOptions, c?: TraceToolOptions): F | ToolDecorator {
  if (typeof a === "function") return wrapTool(a.name || "tool", a, (b as TraceToolOptions | undefined) ?? {});
  if (typeof b === "function") return wrapTool(a ?? (b.name || "tool"), b, c ?? {});
  const options = (b as TraceToolOptions | undefined) ?? {};
  return (<G extends Fn>(target: G, context: ClassMethodDecoratorContext) => wrapTool(a ?? String(context.name), target, options)) as ToolDecorator;
}

function wrapTool<F extends Fn>(name: string, fn: F, options: TraceToolOptions): F {
  const wrapped = function (this: unknown, ...args: unknown[]) {
    const run = currentRun();
    if (!run) return fn.apply(this, args);
    let slot: number;
    const t0 = performance.now();
    try {
      const recorded = argumentsRecord(args);
      slot = run.startToolCall(name, options.omit?.length ? (omitPaths(recorded, options.omit) as Record<string, unknown>) : recorded);
    } catch {
      return fn.apply(this, args);
    }
    const done = (r: { response?: unknown; error?: unknown }) => {
      try {
        let failed = r.error !== undefined;
        if (!failed && options.isError) failed = options.isError(r.response);
        run.completeToolCall(slot, { success: !failed, ...r, durationMs: performance.now() - t0 });
      } catch {
        // never let recording affect the tool
      }
    };
    let result: unknown;
    try {
      result = fn.apply(this, args);
    } catch (error) {
      done({ error: error ?? "thrown" });
      throw error;
    }
    if (isPromiseLike(result)) {
      return result.then(
        (response) => {
          done({ response });
          return response;
        },
        (error: unknown) => {
          done({ error: error ?? "rejected" });
          throw error;
        },
      );
    }
    done({ response: result });
    return result;
  };
  Object.defineProperty(wrapped, "name", { value: fn.name });
  return wrapped as F;
}
