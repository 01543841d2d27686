// GET /metrics in Prometheus text format.
import { Router, type RequestHandler } from "express";
import type { Logger } from "../../log/logger.js";
import { metricsRegistry } from "../../observability/metrics.js";

/** `guard` decides who may read them (http/operator-auth.ts in the service). */
export function metricsRoutes(logger: Logger, guard: RequestHandler): Router {
  const router = Router();
  router.get("/metrics", guard, async (_req, res) => {
    try {
      const body = await metricsRegistry.metrics();
      res.setHeader("Content-Type", metricsRegistry.contentType);
      res.send(body);
    } catch (e) {
      logger.warn({ name: "metrics-scrape-failed", err: e }, "could not render metrics");
      res.status(500).type("text/plain").send("# metrics unavailable\n");
    }
  });
  return router;
}
