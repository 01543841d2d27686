// POST /v1/signatures/:name/eval: the evaluation harness over HTTP. The dataset is given inline
// (items) or drawn from the tenant's held-out traces; files are a CLI matter. Thin: parse, call
// evaluateSignature with the request's tenant, answer the report.
import { Router } from "express";
import { z } from "zod";
import { parseInput } from "../../domain/input-safety.js";
import { evaluateSignature, type EvaluateSignatureDeps } from "../../compiler/eval/evaluate-signature.js";
import { jsonBody } from "../tenant-selection.js";
import { tenantOf } from "../tenant.js";

const NameParams = z.object({ name: z.string().regex(/^[a-z][a-z0-9_-]*$/, "must be a signature name") });
export const EvalBodySchema = z
  .object({
    versions: z.array(z.string().min(1)).min(1).max(8).optional(),
    items: z.array(z.unknown()).min(1).max(2000).optional(),
    fromTraces: z.literal(true).optional(),
    metric: z.string().min(1).max(2000).optional(),
    seed: z.number().int().min(0).optional(),
    concurrency: z.number().int().min(1).max(32).optional(),
    retries: z.number().int().min(0).max(5).optional(),
    limit: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((b) => (b.items !== undefined) !== (b.fromTraces !== undefined), { message: "give either items or fromTraces: true" });

export function evalRoutes(deps: EvaluateSignatureDeps): Router {
  const router = Router();
  router.post("/v1/signatures/:name/eval", jsonBody("10mb"), async (req, res) => {
    const { name } = parseInput(NameParams, req.params, "path");
    const body = parseInput(EvalBodySchema, req.body ?? {}, "body");
    const report = await evaluateSignature(deps, {
      tenant: tenantOf(res),
      name,
      dataset: body.items ? { items: body.items } : { fromTraces: true },
      ...(body.versions ? { versions: body.versions } : {}),
      ...(body.metric ? { metric: body.metric } : {}),
      ...(body.seed !== undefined ? { seed: body.seed } : {}),
      ...(body.concurrency !== undefined ? { concurrency: body.concurrency } : {}),
      ...(body.retries !== undefined ? { retries: body.retries } : {}),
      ...(body.limit !== undefined ? { limit: body.limit } : {}),
    });
    res.json(report);
  });
  return router;
}
