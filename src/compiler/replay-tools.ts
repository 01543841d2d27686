// Offline evaluation of a signature whose tools live in the agent (run through the SDK): the
// service cannot call them, so each example's model calls get the results its own run recorded.
// A call is answered by the first unused recorded call of the same tool with the same arguments,
// else by the first unused recorded call of the same tool (the run's data for that step, though
// asked differently), else by an error saying nothing was recorded. The counts of each kind are
// kept, so a report can say how faithful the replay was.
import { isDeepStrictEqual } from "node:util";
import type { ChatToolCall } from "../llm/chat-model.js";
import type { CompiledTool } from "../domain/compiled-version.js";
import type { RecordedToolCall } from "../collector/query/recorded-tool-calls.js";
import type { ToolLoop } from "../signature/complete-with-tools.js";
import { toolDescriptionOf } from "../signature/render.js";
import type { Example } from "./example.js";

/** Rounds of tool calls in a replayed evaluation (orchestrator_tool_max_rounds's default). */
export const REPLAY_MAX_ROUNDS = 6;

export interface ReplayCounts {
  /** Same tool, same arguments as recorded. */
  exact: number;
  /** Same tool, other arguments: the run's recorded result for that tool. */
  byName: number;
  /** Nothing recorded for the tool (answered with an error). */
  unrecorded: number;
}

/** Per-example tool loops over recorded results, for one version's tools. */
export interface ReplayTools {
  forExample(example: Example): ToolLoop;
  counts: ReplayCounts;
}

/** Builds the replay of `tools` over `recorded` (tool calls by trace id). */
export function replayTools(tools: readonly CompiledTool[], recorded: ReadonlyMap<string, readonly RecordedToolCall[]>, maxRounds: number): ReplayTools {
  const specs = tools.map((t) => ({ name: t.name, description: toolDescriptionOf(t), parameters: t.parameters }));
  const counts: ReplayCounts = { exact: 0, byName: 0, unrecorded: 0 };
  return {
    counts,
    forExample(example) {
      const calls = recorded.get(example.id) ?? [];
      const used = new Set<number>();
      const answer = (i: number, kind: "exact" | "byName") => {
        used.add(i);
        counts[kind]++;
        const c = calls[i]!;
        return c.success ? (c.result ?? "") : `error: ${c.result ?? "the call failed"}`;
      };
      return {
        tools: specs,
        maxRounds,
        async callTool(call: ChatToolCall) {
          const args = parseArguments(call.arguments);
          const same = calls.findIndex((c, i) => !used.has(i) && c.name === call.name && args !== undefined && isDeepStrictEqual(c.arguments, args));
          if (same >= 0) return answer(same, "exact");
          const byName = calls.findIndex((c, i) => !used.has(i) && c.name === call.name);
          if (byName >= 0) return answer(byName, "byName");
          counts.unrecorded++;
          return `error: no recorded result for ${call.name} in this run (the evaluation replays the results the agent's own run recorded)`;
        },
      };
    },
  };
}

function parseArguments(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text || "{}");
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** "tools replayed from recorded runs: 12 calls answered exactly, 3 by tool name, 1 unrecorded". */
export function describeReplay(tools: readonly CompiledTool[], counts: ReplayCounts): string {
  return `evaluated with recorded tool results: ${tools.map((t) => t.name).join(", ")} run in the agent, so each evaluated example's tool calls (dev set and minibatches) were answered with what its own run recorded (${counts.exact} with the same arguments, ${counts.byName} by tool name with other arguments, ${counts.unrecorded} with nothing recorded)`;
}
