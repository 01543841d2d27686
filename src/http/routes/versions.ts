// /v1/versions: history, one version, diff and rollback of compiled signatures. Thin: parse,
// call one use case with the request's tenant, answer JSON.
import { Router, type Request } from "express";
import { jsonBody } from "../tenant-selection.js";
import { z } from "zod";
import { parseInput } from "../../domain/input-safety.js";
import type { RegistryDeps } from "../../registry/registry-deps.js";
import { listHistory } from "../../registry/list-history.js";
import { showVersion } from "../../registry/show-version.js";
import { diffVersions } from "../../registry/diff-versions.js";
import { rollbackVersion } from "../../registry/rollback-version.js";
import { tenantOf } from "../tenant.js";
import { listMirror, listMirroredNames } from "../../registry/version-mirror.js";
import { syncMirror } from "../../registry/sync-mirror.js";
import { compareVersions } from "../../domain/version-bump.js";
import { listCanaries } from "../../registry/canary/canary-store.js";
import { verifyVersion } from "../../compiler/verify-version.js";

const Name = z.string().regex(/^[a-z][a-z0-9_-]*$/, "must be a signature name (lower-case letters, digits, - or _)");
const Version = z.string().regex(/^\d+\.\d+\.\d+$/, "must be a semantic version such as 1.2.3");
const ParamsSchema = z.object({ name: Name, version: Version.optional() });
export const DiffQuerySchema = z.object({ from: Version.optional(), to: Version.optional() });
export const RollbackBodySchema = z.object({ to: Version });
export const VerifyQuerySchema = z.object({ trace: z.string().min(1).max(200).optional() });

const parse = <T>(schema: z.ZodType<T>, value: unknown, where: string): T => parseInput(schema, value, where);
const params = (req: Request) => parse(ParamsSchema, req.params, "path");

export function versionRoutes(deps: RegistryDeps): Router {
  const router = Router();
  // Reads first bring the mirror in step with git (a review branch merged on the git host since).
  const synced = async (tenant: string, name: string) => {
    await syncMirror(deps, tenant, name).catch((e: unknown) => deps.logger.warn({ name: "version-sync-failed", tenant, signature: name, err: e }, "could not sync the version mirror with git"));
  };
  router.get("/v1/versions", async (_req, res) => {
    const tenant = tenantOf(res);
    const names = await listMirroredNames(deps.db, tenant);
    const versions = [];
    for (const name of names) {
      await synced(tenant, name);
      const rows = (await listMirror(deps.db, tenant, name)).sort((a, b) => compareVersions(a.version, b.version));
      versions.push({ name, active: rows.filter((r) => r.status === "active").at(-1)?.version ?? null, proposed: rows.filter((r) => r.status === "proposed").map((r) => r.version) });
    }
    // Canaries in flight beside the versions (GET /v1/canaries has their evidence and history).
    res.json({ signatures: names, versions, canaries: await listCanaries(deps.db, tenant, { active: true }) });
  });
  router.get("/v1/versions/:name", async (req, res) => {
    const { name } = params(req);
    await synced(tenantOf(res), name);
    res.json({ name, versions: await listHistory(deps, { tenant: tenantOf(res), name }) });
  });
  router.get("/v1/versions/:name/diff", async (req, res) => {
    const { name } = params(req);
    await synced(tenantOf(res), name);
    const q = parse(DiffQuerySchema, req.query, "query");
    res.json(await diffVersions(deps, { tenant: tenantOf(res), name, ...q }));
  });
  // Provenance: the served (or named) version's Merkle root recomputed from the database.
  const verify = async (req: Request, res: import("express").Response) => {
    const { name, version } = params(req);
    const q = parse(VerifyQuerySchema, req.query, "query");
    res.json(await verifyVersion(deps, { tenant: tenantOf(res), name, ...(version ? { version } : {}), ...(q.trace ? { proveTrace: q.trace } : {}) }));
  };
  router.get("/v1/versions/:name/verify", verify);
  router.get("/v1/versions/:name/:version/verify", verify);
  router.get("/v1/versions/:name/:version", async (req, res) => {
    const { name, version } = params(req);
    await synced(tenantOf(res), name);
    const shown = await showVersion(deps, { tenant: tenantOf(res), name, ...(version ? { version } : {}) });
    const { row } = shown;
    res.json({
      name,
      version: row.version,
      parent: row.parent,
      status: row.status,
      commit: row.commitSha,
      branch: row.branch,
      contentHash: row.contentHash,
      score: row.score,
      parentScore: row.parentScore,
      summary: row.summary,
      createdAt: row.createdAt.toISOString(),
      promotedAt: row.promotedAt?.toISOString() ?? null,
      content: shown.content,
      compiled: shown.parsed,
    });
  });
  router.post("/v1/versions/:name/rollback", jsonBody("64kb"), async (req, res) => {
    const { name } = params(req);
    const body = parse(RollbackBodySchema, req.body ?? {}, "body");
    const result = await rollbackVersion(deps, { tenant: tenantOf(res), name, to: body.to });
    res.status(201).json(result);
  });
  return router;
}
