// `traceAgent`: records one agent run as a trace. Works as a standard (TC39) method decorator,
// `@traceAgent("diagnosis")`, and as a wrapper for functions, `traceAgent("diagnosis", fn)`.
// Return values and thrown errors pass through unchanged.
import type { Outcome, ProblemContext } from "../../domain/trace.js";
import { currentRun, runWithRecorder } from "./context.js";
import { RunRecorder } from "./run-recorder.js";
import { deliver, maxToolResponseChars } from "./tracing-config.js";
import type { TraceSink } from "./sink.js";
import { toJsonSafe } from "./json-safe.js";

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
  /**
   * Maps the call's arguments to the signature's inputs (what the trace stores as `input`, and
   * what demos and evaluation are built from). Default: the single argument as it is, or the
   * argument list.
   */
  inputs?: (...args: any[]) => unknown;
  /**
   * Fields dropped from the stored input before the trace leaves the process (ground truth,
   * secrets): top-level names or dotted paths (`customer.email`). Applied after `inputs`.
   */
  omit?: string[];
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
      input: inputOf(options, args),
      ...(parent ? { parentTraceId: parent.id } : {}),
      maxToolResponseChars: maxToolResponseChars(),
      ...(options.sink ? { sink: options.sink } : {}),
    });
  } catch {
    return call(); // tracing must never stop the agent
  }
  const end = (result: { output?: unknown; error?: unknown }) => {
    try {
      const onReturn = options.outcomeOnReturn === undefined ? { success: true } : options.outcomeOnReturn;
      const outcome = result.error === undefined && !recorder.hasOutcome && !recorder.outcomeDeferred && onReturn ? { outcome: onReturn } : {};
      deliver(options.sink ?? recorder.sink, recorder.finish({ ...result, ...outcome }));
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

function inputOf(options: TraceAgentOptions, args: unknown[]): unknown {
  const input = options.inputs ? options.inputs(...args) : args.length === 1 ? args[0] : args;
  return options.omit && options.omit.length > 0 ? omitPaths(toJsonSafe(input), options.omit) : input;
}

/** A copy of `value` without the dotted `paths`. */
export function omitPaths(value: unknown, paths: string[]): unknown {
  if (value === null || typeof value !== "object") return value;
  const copy: unknown = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  for (const p of paths) {
    const [head, ...rest] = p.split(".");
    if (head === undefined || Array.isArray(copy)) continue;
    const obj = copy as Record<string, unknown>;
    if (!(head in obj)) continue;
    if (rest.length === 0) delete obj[head];
    else obj[head] = omitPaths(obj[head], [rest.join(".")]);
  }
  return copy;
}

function taskOf(options: TraceAgentOptions, args: unknown[]): string | undefined {
  const task = typeof options.task === "function" ? options.task(args) : options.task;
  return task === undefined || task === "" ? undefined : String(task);
}

export function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === "object" || typeof v === "function") && typeof (v as { then?: unknown }).then === "function";
}
