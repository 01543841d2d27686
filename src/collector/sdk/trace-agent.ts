// `traceAgent`: records one agent run as a trace. Works as a standard (TC39) method decorator,
// `@traceAgent("diagnosis")`, and as a wrapper for functions, `traceAgent("diagnosis", fn)`.
// Return values and thrown errors pass through unchanged.
import type { Outcome, ProblemContext } from "../../domain/trace.js";
import { currentRun, runWithRecorder } from "./context.js";
import { RunRecorder } from "./run-recorder.js";
import { deliver, maxToolResponseChars } from "./tracing-config.js";
import type { TraceSink } from "./sink.js";

export interface TraceAgentOptions {
  /** Sink for this agent's traces. Default: the one set by configureTracing. */
  sink?: TraceSink;
  signature?: string;
  promptVersion?: string;
  /**
   * The task the run is for (a benchmark task id, a request type): the analyzer compares runs of
   * the same task with each other. A string, or a function of the call's arguments. Default:
   * none (the analyzer groups runs by the intent of their input instead).
   */
  task?: string | ((args: unknown[]) => string | undefined);
  problem?: Partial<ProblemContext>;
  metadata?: Record<string, unknown>;
  /** Makes the trace id (e.g. from a request id). Default: a random UUID. */
  traceId?: (args: unknown[]) => string;
  /** Outcome when the run returns without setOutcome. Default `{ success: true }`; null leaves it unset (set later via the API). */
  outcomeOnReturn?: Outcome | null;
}

type Fn = (this: any, ...args: any[]) => any;
export type AgentDecorator = <F extends Fn>(target: F, context: ClassMethodDecoratorContext) => F;

export function traceAgent(agent: string, options?: TraceAgentOptions): AgentDecorator;
export function traceAgent<F extends Fn>(agent: string, fn: F, options?: TraceAgentOptions): F;
export function traceAgent<F extends Fn>(agent: string, fnOrOptions?: F | TraceAgentOptions, maybeOptions?: TraceAgentOptions): F | AgentDecorator {
  if (typeof fnOrOptions === "function") return wrapAgent(agent, fnOrOptions, maybeOptions ?? {});
  const options = fnOrOptions ?? {};
  return (<G extends Fn>(target: G, _context: ClassMethodDecoratorContext) => wrapAgent(agent, target, options)) as AgentDecorator;
}

function wrapAgent<F extends Fn>(agent: string, fn: F, options: TraceAgentOptions): F {
  const wrapped = function (this: unknown, ...args: unknown[]) {
    return runAgent(agent, options, () => fn.apply(this, args), args);
  };
  Object.defineProperty(wrapped, "name", { value: fn.name });
  return wrapped as F;
}

function runAgent(agent: string, options: TraceAgentOptions, call: () => unknown, args: unknown[]): unknown {
  let recorder: RunRecorder;
  try {
    const parent = currentRun();
    recorder = new RunRecorder({
      agent,
      ...(options.traceId ? { id: options.traceId(args) } : {}),
      ...(options.signature !== undefined ? { signature: options.signature } : {}),
      ...(options.promptVersion !== undefined ? { promptVersion: options.promptVersion } : {}),
      ...(taskOf(options, args) !== undefined ? { task: taskOf(options, args)! } : {}),
      ...(options.problem ? { problem: options.problem } : {}),
      ...(options.metadata ? { metadata: options.metadata } : {}),
      input: args.length === 1 ? args[0] : args,
      ...(parent ? { parentTraceId: parent.id } : {}),
      maxToolResponseChars: maxToolResponseChars(),
    });
  } catch {
    return call(); // tracing must never stop the agent
  }
  const end = (result: { output?: unknown; error?: unknown }) => {
    try {
      const onReturn = options.outcomeOnReturn === undefined ? { success: true } : options.outcomeOnReturn;
      const outcome = result.error === undefined && !recorder.hasOutcome && onReturn ? { outcome: onReturn } : {};
      deliver(options.sink, recorder.finish({ ...result, ...outcome }));
    } catch {
      // recording failed; the agent's result is what matters
    }
  };
  return runWithRecorder(recorder, () => {
    let result: unknown;
    try {
      result = call();
    } catch (error) {
      end({ error });
      throw error;
    }
    if (isPromiseLike(result)) {
      return result.then(
        (output) => {
          end({ output });
          return output;
        },
        (error: unknown) => {
          end({ error: error ?? "rejected" });
          throw error;
        },
      );
    }
    end({ output: result });
    return result;
  });
}

function taskOf(options: TraceAgentOptions, args: unknown[]): string | undefined {
  const task = typeof options.task === "function" ? options.task(args) : options.task;
  return task === undefined || task === "" ? undefined : String(task);
}

export function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === "object" || typeof v === "function") && typeof (v as { then?: unknown }).then === "function";
}
