// The OpenAPI 3.1 document of the HTTP API, generated from the zod schemas the routes parse their
// input with (z.toJSONSchema), so the document cannot drift from what is validated. Served at
// GET /v1/openapi.json and written to docs/openapi.json (npx tsx scripts/openapi.ts); a test
// checks that both match and that every route of the service is in it (the dashboard's HTML
// pages under /ui are not an API and are documented in docs/ instead).
import { z } from "zod";
import { TraceInputSchema, OutcomeSchema } from "../domain/trace.js";
import { SignatureRunRequestSchema } from "../orchestrator/signature-run-request.js";
import { TaskRequestSchema } from "../tasks/task-request.js";
import { PatternFilterSchema } from "../analyzer/list-patterns.js";
import { ListTracesQuerySchema } from "../collector/query/list-traces.js";
import { ImportQuerySchema } from "./routes/import.js";
import { SearchQuerySchema } from "./routes/library.js";
import { AnalyzeBodySchema } from "./routes/patterns.js";
import { RunCycleBody } from "./routes/learning.js";
import { DiffQuerySchema, RollbackBodySchema, VerifyQuerySchema } from "./routes/versions.js";
import { RoutingDiffQuery, RoutingRollbackBody, RoutingRouteBody, RoutingShowQuery, RoutingTrainBody } from "./routes/routing.js";
import { EvalBodySchema } from "./routes/eval.js";
import { CanaryListQuery } from "./routes/canaries.js";
import { VERSION } from "../version.js";

type Schema = z.ZodType;

interface Operation {
  method: "GET" | "POST";
  /** Express-style path (`/v1/traces/:id`). */
  path: string;
  summary: string;
  body?: Schema | "binary";
  query?: Schema;
  /** Answered without an API key. */
  public?: boolean;
  /** Status codes beyond 200 that the operation answers. */
  statuses?: number[];
}

const Envelope = z.object({ traces: z.array(TraceInputSchema).max(1000) });
const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).optional(), cursor: z.string().min(1).max(200).optional() });

/** Every operation of the service, in the order docs/http-api.md lists them. */
export const OPERATIONS: Operation[] = [
  { method: "GET", path: "/healthz", summary: "The process is up.", public: true },
  { method: "GET", path: "/readyz", summary: "Database reachable and migrated; the embedder's state.", public: true, statuses: [503] },
  { method: "GET", path: "/v1/openapi.json", summary: "This document." },
  { method: "GET", path: "/v1/versions", summary: "Signatures with versions in the mirror for the caller's tenant." },
  { method: "GET", path: "/v1/versions/:name", summary: "History of a signature (the hand-written baseline is 1.0.0).", statuses: [404] },
  { method: "GET", path: "/v1/versions/:name/diff", summary: "Unified diff between two versions (default: parent → served).", query: DiffQuerySchema, statuses: [404] },
  { method: "GET", path: "/v1/versions/:name/:version", summary: "One version: metadata, the YAML as committed, and parsed.", statuses: [404] },
  { method: "POST", path: "/v1/versions/:name/rollback", summary: "Restore a version's content as a new patch version.", body: RollbackBodySchema, statuses: [201, 404] },
  { method: "POST", path: "/v1/traces", summary: "Ingest a batch of traces (startedAt optional: the time received).", body: Envelope, statuses: [207, 400, 413, 415, 503] },
  { method: "GET", path: "/v1/traces", summary: "Trace summaries, newest first.", query: ListTracesQuerySchema },
  { method: "GET", path: "/v1/traces/:id", summary: "One trace with its steps.", statuses: [404] },
  { method: "POST", path: "/v1/traces/:id/outcome", summary: "Production feedback after the fact.", body: OutcomeSchema, statuses: [404] },
  { method: "POST", path: "/v1/import", summary: "Import a chat log (JSONL or JSON array) or trace files, streamed.", body: "binary", query: ImportQuerySchema },
  { method: "GET", path: "/v1/imports/:id", summary: "The record of one import.", statuses: [404] },
  { method: "GET", path: "/v1/imports", summary: "The caller's imports, newest first.", query: z.object({ limit: z.coerce.number().int().min(1).max(200).optional() }) },
  { method: "POST", path: "/otlp/v1/traces", summary: "OTLP/HTTP traces, JSON or protobuf, with the GenAI semantic conventions.", body: "binary", statuses: [415] },
  { method: "GET", path: "/v1/patterns", summary: "The tenant's latest patterns, filtered, with the groups compared within.", query: PatternFilterSchema },
  { method: "POST", path: "/v1/analyze", summary: "Run the pattern analyzer.", body: AnalyzeBodySchema },
  { method: "GET", path: "/v1/signatures", summary: "Signatures served and their current versions." },
  { method: "POST", path: "/v1/signatures/:name/run", summary: "Run the served (or a pinned) version of a signature (with the service's tools when it declares any: 422 signature_tools_unavailable for others, 502 tool_rounds_exhausted).", body: SignatureRunRequestSchema, statuses: [404, 422, 502, 503] },
  { method: "POST", path: "/v1/tasks", summary: "Run a hierarchical task within a token budget.", body: TaskRequestSchema, statuses: [502, 503] },
  { method: "POST", path: "/submit", summary: "Alias of POST /v1/tasks.", body: TaskRequestSchema, statuses: [502, 503] },
  { method: "GET", path: "/v1/tasks/:id", summary: "A task as stored.", statuses: [404] },
  { method: "GET", path: "/v1/library/search", summary: "Library passages nearest to a query.", query: SearchQuerySchema },
  { method: "GET", path: "/v1/learning/status", summary: "Learning status of the caller's tenant." },
  { method: "POST", path: "/v1/learning/cycles", summary: "Run one learning cycle now.", body: RunCycleBody, statuses: [409, 503] },
  { method: "GET", path: "/v1/learning/cycles", summary: "Cycle history, newest first.", query: ListQuery },
  { method: "GET", path: "/v1/learning/cycles/:id", summary: "One learning cycle.", statuses: [404] },
  { method: "GET", path: "/v1/learning/guidelines/:signature", summary: "Guideline history of a signature." },
  { method: "GET", path: "/v1/routing/policy", summary: "The tenant's routing policy (a version, or the served one).", query: RoutingShowQuery, statuses: [404] },
  { method: "GET", path: "/v1/routing/history", summary: "Versions of the tenant's routing policy." },
  { method: "GET", path: "/v1/routing/diff", summary: "Diff between two routing-policy versions.", query: RoutingDiffQuery, statuses: [404] },
  { method: "POST", path: "/v1/routing/train", summary: "Train the routing policy on routed traces now.", body: RoutingTrainBody },
  { method: "POST", path: "/v1/routing/rollback", summary: "Restore a routing-policy version as a new one.", body: RoutingRollbackBody, statuses: [404] },
  { method: "POST", path: "/v1/routing/route", summary: "Which route the policy picks for a text.", body: RoutingRouteBody },
  { method: "POST", path: "/v1/signatures/:name/eval", summary: "The evaluation harness: score versions of a signature on given items or its traces.", body: EvalBodySchema, statuses: [404, 503] },
  { method: "GET", path: "/v1/canaries", summary: "The tenant's canary releases with live evidence.", query: CanaryListQuery },
  { method: "GET", path: "/v1/canaries/:id", summary: "One canary release.", statuses: [404] },
  { method: "POST", path: "/v1/canaries/check", summary: "Check the tenant's running canaries now." },
  { method: "GET", path: "/v1/versions/:name/verify", summary: "Provenance check of the served version.", query: VerifyQuerySchema, statuses: [404] },
  { method: "GET", path: "/v1/versions/:name/:version/verify", summary: "Provenance check of a named version.", query: VerifyQuerySchema, statuses: [404] },
  { method: "GET", path: "/v1/heuristics", summary: "The shared heuristics library.", query: z.object({ status: z.string().optional() }) },
  { method: "GET", path: "/v1/heuristics/report", summary: "The team learning report and the library." },
  { method: "POST", path: "/v1/heuristics/refresh", summary: "Distil, replay, update Q-values, retire.", body: z.object({ agent: z.string().min(1).max(200).optional() }) },
  { method: "GET", path: "/v1/prompts/:name", summary: "The learned prompt of a signature, for the SDK's getPrompt.", statuses: [404] },
  { method: "GET", path: "/metrics", summary: "Prometheus metrics (the operator's: metrics_token once keys exist).", public: true, statuses: [403] },
];

const jsonSchema = (schema: Schema) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>;
/** `/v1/traces/:id` → `/v1/traces/{id}` */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, "{$1}");

const ErrorBody = {
  type: "object",
  required: ["error"],
  properties: { error: { type: "object", required: ["code", "message"], properties: { code: { type: "string" }, message: { type: "string" }, details: {} } } },
};

function operation(op: Operation): Record<string, unknown> {
  const params = [...op.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
  if (op.query) {
    const q = jsonSchema(op.query) as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) params.push({ name, in: "query", required: (q.required ?? []).includes(name), schema } as never);
  }
  const responses: Record<string, unknown> = { "200": { description: "OK", content: { "application/json": { schema: {} } } } };
  for (const status of op.statuses ?? []) responses[String(status)] = { description: status < 300 ? "OK" : "Error", content: { "application/json": { schema: status < 300 ? {} : { $ref: "#/components/schemas/Error" } } } };
  if (!op.public) responses["401"] = { description: "API key missing or wrong (once keys exist)", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
  return {
    summary: op.summary,
    operationId: `${op.method.toLowerCase()}${op.path.replace(/[^A-Za-z0-9]+(\w)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
    ...(params.length ? { parameters: params } : {}),
    ...(op.body
      ? { requestBody: { required: true, content: op.body === "binary" ? { "application/octet-stream": { schema: { type: "string", format: "binary" } } } : { "application/json": { schema: jsonSchema(op.body) } } } }
      : {}),
    responses,
    ...(op.public ? { security: [] } : {}),
  };
}

/**
 * The ingest fills in a missing startedAt (the time received) before the trace schema sees it
 * (collector/ingest/ingest-traces.ts), so what a client may send has it optional.
 */
function startedAtOptional(paths: Record<string, Record<string, unknown>>): void {
  const post = paths["/v1/traces"]?.["post"] as { requestBody: { content: Record<string, { schema: { properties: { traces: { items: { required?: string[]; properties: Record<string, Record<string, unknown>> } } } } }> } };
  const items = post.requestBody.content["application/json"]!.schema.properties.traces.items;
  items.required = (items.required ?? []).filter((f) => f !== "startedAt");
  items.properties["startedAt"] = { ...items.properties["startedAt"], description: "When the run started; default: when the service received the trace (the answer says so)." };
}

/** The OpenAPI 3.1 document of every operation. */
export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) (paths[openApiPath(op.path)] ??= {})[op.method.toLowerCase()] = operation(op);
  startedAtOptional(paths);
  return {
    openapi: "3.1.0",
    info: { title: "meta-agent", version: VERSION, description: "Trace collector, pattern analyzer, prompt compiler, versioned prompts and orchestrator. Reference: docs/http-api.md." },
    servers: [{ url: "http://127.0.0.1:8080" }],
    security: [{ apiKey: [] }],
    components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key (mak_…), required once a key exists" } }, schemas: { Error: ErrorBody } },
    paths,
  };
}
