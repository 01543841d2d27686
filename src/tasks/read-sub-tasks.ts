// Reads the analyst's plan (`subTasks`, see prompts/analyst.yaml) into ordered waves. The
// analyst's output is already schema-validated by predict; this makes the plan safe to run:
// duplicate ids renamed, dependencies on unknown or later sub-tasks dropped, the count capped,
// and the kind that decides the route (run-sub-task.ts) one of the known ones.
import { z } from "zod";

/** How a sub-task is routed: `compute` → engineer, `research` → worker with library references, `reason` → worker. */
export const SUB_TASK_KINDS = ["reason", "compute", "research"] as const;
export type SubTaskKind = (typeof SUB_TASK_KINDS)[number];

export interface SubTask {
  id: string;
  description: string;
  wave: number;
  kind: SubTaskKind;
  dependsOn: string[];
}

const PlanItem = z.object({
  id: z.coerce.string().optional(),
  description: z.string().min(1),
  wave: z.number().int().positive().optional(),
  kind: z.string().optional(),
  dependsOn: z.array(z.coerce.string()).optional(),
});

/** A plan's kind, case-insensitive; an unknown or missing kind is `reason` (the worker answers anything). */
function kindOf(kind: string | undefined): SubTaskKind {
  const k = kind?.trim().toLowerCase();
  return SUB_TASK_KINDS.find((known) => known === k) ?? "reason";
}

/** Turns analyst outputs into waves (ascending), at most `max` sub-tasks; [] when the plan is unusable. */
export function readSubTasks(outputs: Record<string, unknown>, max: number): SubTask[][] {
  const raw = outputs["subTasks"];
  if (!Array.isArray(raw)) return [];
  const tasks: SubTask[] = [];
  const seen = new Set<string>();
  for (const item of raw) {
    const parsed = PlanItem.safeParse(typeof item === "string" ? { description: item } : item);
    if (!parsed.success) continue;
    let id = parsed.data.id?.trim() || String(tasks.length + 1);
    while (seen.has(id)) id = `${id}'`;
    seen.add(id);
    tasks.push({ id, description: parsed.data.description, wave: parsed.data.wave ?? 1, kind: kindOf(parsed.data.kind), dependsOn: parsed.data.dependsOn ?? [] });
    if (tasks.length >= max) break;
  }
  const waveOf = new Map(tasks.map((t) => [t.id, t.wave]));
  for (const t of tasks) t.dependsOn = t.dependsOn.filter((d) => (waveOf.get(d) ?? Number.POSITIVE_INFINITY) < t.wave);
  const waves = [...new Set(tasks.map((t) => t.wave))].sort((a, b) => a - b);
  return waves.map((w) => tasks.filter((t) => t.wave === w));
}
