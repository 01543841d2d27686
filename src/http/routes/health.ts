// Liveness and readiness probes.
import { Router } from "express";
import type { EmbedderStatus } from "../../llm/fallback-embedder.js";

export interface HealthDeps {
  /** Database reachable and fully migrated. */
  isReady(): Promise<boolean>;
  /** True once shutdown began: report not ready so load balancers drain us. */
  isShuttingDown(): boolean;
  /** What the service embeds with; a fallback to hashing is reported, not treated as unready. */
  embedder?(): EmbedderStatus;
}

export function healthRoutes(deps: HealthDeps): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    if (deps.isShuttingDown()) return void res.status(503).json({ status: "shutting_down" });
    const ready = await deps.isReady();
    const embedder = deps.embedder?.();
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "database_unavailable", ...(embedder ? { embedder } : {}) });
  });
  return router;
}
