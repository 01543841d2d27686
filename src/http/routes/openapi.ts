// GET /v1/openapi.json: the OpenAPI document of this service (src/http/openapi.ts).
import { Router } from "express";
import { buildOpenApiDocument } from "../openapi.js";

export function openApiRoutes(): Router {
  const router = Router();
  let document: Record<string, unknown> | undefined;
  router.get("/v1/openapi.json", (_req, res) => {
    res.json((document ??= buildOpenApiDocument()));
  });
  return router;
}
