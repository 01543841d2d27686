// Persistence of hierarchical tasks in the `tasks` table, always in the tenant's scope
// (row-level security) and filtered by tenant.
import type { Database } from "../db/database.js";
import { NotFoundError } from "../errors.js";
import type { TaskResult } from "./task-result.js";

export interface TaskStore {
  /** Records a task as running before any model call, so GET /v1/tasks/:id can see it. */
  start(task: { tenant: string; id: string; description: string; budgetTokens: number; rootTraceId: string }): Promise<void>;
  finish(tenant: string, result: TaskResult): Promise<void>;
  /** The stored task; NotFoundError when it does not exist for this tenant. */
  get(tenant: string, id: string): Promise<TaskResult>;
}

export function createTaskStore(db: Pick<Database, "forTenant">): TaskStore {
  const prismaOf = (tenant: string) => db.forTenant(tenant).prisma;
  return {
    async start(task) {
      await prismaOf(task.tenant).task.create({
        data: { id: task.id, tenantId: task.tenant, description: task.description, budgetTokens: task.budgetTokens, status: "running", rootTraceId: task.rootTraceId },
      });
    },
    async finish(tenant, result) {
      await prismaOf(tenant).task.updateMany({
        where: { tenantId: tenant, id: result.id },
        data: {
          status: result.status,
          answer: result.answer,
          usedTokens: result.budget.used,
          result: JSON.parse(JSON.stringify(result)) as object,
          latencyMs: result.latencyMs,
          finishedAt: new Date(),
        },
      });
    },
    async get(tenant, id) {
      const row = await prismaOf(tenant).task.findFirst({ where: { tenantId: tenant, id } });
      if (!row) throw new NotFoundError(`Task ${id} was not found`);
      if (row.status === "running") {
        return {
          id: row.id,
          status: "running",
          taskDescription: row.description,
          answer: null,
          budget: { total: row.budgetTokens, used: row.usedTokens, remaining: row.budgetTokens - row.usedTokens, interrupted: false },
          latencyMs: null,
          rootTraceId: row.rootTraceId ?? "",
          traceTree: null,
          subTasks: [],
          createdAt: row.createdAt.toISOString(),
        };
      }
      return { ...(row.result as unknown as TaskResult), createdAt: row.createdAt.toISOString() };
    },
  };
}
