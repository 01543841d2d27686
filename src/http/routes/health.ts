// Liveness and readiness probes.
import { Router } from "express";

export interface HealthDeps {
  /** Database reachable and fully migrated. */
  isReady(): Promise<boolean>;
  /** True once shutdown began: report not ready so load balancers drain us. */
  isShuttingDown(): boolean;
}

export function healthRoutes(deps: HealthDeps): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    if (deps.isShuttingDown()) return void res.status(503).json({ status: "shutting_down" });
    const ready = await deps.isReady();
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "database_unavailable" });
  });
  return router;
}
