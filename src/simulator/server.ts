// The simulated OpenAI-compatible model server: /v1/chat/completions, /v1/embeddings and
// /v1/models on a loopback port, driven by a task bank, recording every request. A simulator for
// tests and the demo — never a real model.
import express, { type NextFunction, type Request, type Response } from "express";
import type { AddressInfo } from "node:net";
import { createServer } from "node:http";
import { formatZodIssues } from "../domain/format-issues.js";
import { HashingEmbedder } from "../llm/hashing-embedder.js";
import { countTokens } from "../llm/token-count.js";
import type { Logger } from "../log/logger.js";
import { parseBank, parseBankYaml, type Bank, type BankInput, type FaultSpec, type FaultSpecInput } from "./bank.js";
import { FaultState, applyFault } from "./faults.js";
import { decide, type ChatDecision } from "./match-request.js";
import { buildCompletion } from "./respond-chat.js";
import { ChatCompletionRequestSchema, EmbeddingsRequestSchema, wireError } from "./wire.js";
import { PrefixCache, refuseStructuredOutput } from "./structured-outputs.js";

/** One request the simulator received. */
export interface SimulatorCall {
  seq: number;
  endpoint: "chat" | "embeddings";
  /** The request body as received (validated). */
  body: Record<string, unknown>;
  /** What the simulator made of a chat request. */
  kind?: ChatDecision["kind"];
  family?: string;
  /** For task answers: whether the answer given was the correct one. */
  correct?: boolean;
  malformed?: string;
  fault?: FaultSpec["mode"];
  status: number;
}

export interface StartSimulatorOptions {
  /** Port (default 0: a free port). */
  port?: number;
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /** The task bank (object or already-parsed bank; default: empty — every request gets a generic answer). */
  bank?: BankInput | Bank;
  logger?: Logger;
  /** Most requests kept in `calls`, the oldest dropped first (default 10,000): a long-running simulator must not grow without bound. */
  maxRecordedCalls?: number;
}

export interface Simulator {
  /** Server root, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** OpenAI base URL (`${url}/v1`) for the `openai` SDK and LLM_BASE_URL. */
  readonly baseURL: string;
  /** The requests received, in order (live array; the last `maxRecordedCalls` of them). */
  readonly calls: SimulatorCall[];
  readonly bank: Bank;
  setBank(bank: BankInput | Bank): void;
  /** Injects a fault at runtime; returns its id. */
  setFault(fault: FaultSpecInput): number;
  /** Removes runtime faults (bank faults too with `includeBank`). */
  clearFaults(includeBank?: boolean): void;
  resetCalls(): void;
  close(): Promise<void>;
}

/** Starts the simulator on a loopback port. */
export async function startSimulator(options: StartSimulatorOptions = {}): Promise<Simulator> {
  let bank = parseBank(options.bank ?? {});
  const faults = new FaultState();
  faults.loadBank(bank);
  const calls: SimulatorCall[] = [];
  const maxRecorded = options.maxRecordedCalls ?? 10_000;
  const record = (call: SimulatorCall) => {
    calls.push(call);
    if (calls.length > maxRecorded) calls.splice(0, calls.length - maxRecorded);
  };
  const closing = new AbortController();
  const embedders = new Map<number, HashingEmbedder>();
  const prefixes = new PrefixCache();
  let seq = 0;

  const app = express();
  app.disable("x-powered-by");
  app.use(express.json({ limit: "20mb" }));
  app.use("/_simulator/bank", express.text({ type: ["application/yaml", "application/x-yaml", "text/*"], limit: "5mb" }));

  app.get("/v1/models", (_req, res) => {
    res.json({ object: "list", data: bank.models.map((id) => ({ id, object: "model", created: 0, owned_by: "meta-agent-simulator" })) });
  });

  app.post("/v1/chat/completions", async (req, res) => {
    const parsed = ChatCompletionRequestSchema.safeParse(req.body);
    const call: SimulatorCall = { seq: ++seq, endpoint: "chat", body: req.body ?? {}, status: 200 };
    record(call);
    if (!parsed.success) return badRequest(res, call, formatZodIssues(parsed.error.issues));
    if (parsed.data.stream) return badRequest(res, call, "stream: the simulator does not stream; send stream: false");
    const refused = refuseStructuredOutput(bank, parsed.data);
    if (refused) return badRequest(res, call, refused);
    let decision = decide(bank, parsed.data);
    // Guided decoding: the answer is generated within the schema, so it is never malformed.
    if (parsed.data.response_format?.type === "json_schema" && decision.kind === "answer" && decision.malformed) {
      const { malformed: _guided, ...wellFormed } = decision;
      decision = wellFormed;
    }
    const family = "family" in decision && decision.family ? decision.family : undefined;
    Object.assign(call, {
      kind: decision.kind,
      ...(family ? { family: family.id } : {}),
      ...(decision.kind === "answer" ? { correct: decision.correct, ...(decision.malformed ? { malformed: decision.malformed } : {}) } : {}),
    });
    if (await faulted(res, call, "chat", family?.id)) return;
    if (family && family.latencyMs > 0) await delay(family.latencyMs, signalFor(res));
    if (res.destroyed) return;
    res.json(buildCompletion(parsed.data, decision, call.seq, bank.prefixCaching ? prefixes.cachedTokens(parsed.data) : undefined));
  });

  app.post("/v1/embeddings", async (req, res) => {
    const parsed = EmbeddingsRequestSchema.safeParse(req.body);
    const call: SimulatorCall = { seq: ++seq, endpoint: "embeddings", body: req.body ?? {}, status: 200 };
    record(call);
    if (!parsed.success) return badRequest(res, call, formatZodIssues(parsed.error.issues));
    if (await faulted(res, call, "embeddings", undefined)) return;
    const texts = typeof parsed.data.input === "string" ? [parsed.data.input] : parsed.data.input;
    const dimension = parsed.data.dimensions ?? bank.embeddingDimension;
    let embedder = embedders.get(dimension);
    if (!embedder) embedders.set(dimension, (embedder = new HashingEmbedder({ dimension })));
    const base64 = parsed.data.encoding_format === "base64";
    const data = texts.map((t, index) => {
      const v = embedder.embedOne(t);
      return { object: "embedding", index, embedding: base64 ? Buffer.from(new Float32Array(v).buffer).toString("base64") : v };
    });
    const tokens = texts.reduce((n, t) => n + countTokens(t), 0);
    res.json({ object: "list", model: parsed.data.model, data, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  });

  // Control endpoints, so a simulator started with `meta-agent sim-llm` can be steered too.
  app.get("/_simulator/calls", (_req, res) => void res.json({ calls }));
  app.delete("/_simulator/calls", (_req, res) => {
    calls.length = 0;
    res.status(204).end();
  });
  app.get("/_simulator/bank", (_req, res) => void res.json(bank));
  app.put("/_simulator/bank", (req, res) => {
    bank = typeof req.body === "string" ? parseBankYaml(req.body) : parseBank(req.body);
    faults.loadBank(bank);
    res.json(bank);
  });
  app.get("/_simulator/faults", (_req, res) => void res.json({ faults: faults.list() }));
  app.post("/_simulator/faults", (req, res) => void res.status(201).json({ id: faults.add(req.body) }));
  app.delete("/_simulator/faults", (req, res) => {
    faults.clear(req.query.includeBank === "true");
    res.status(204).end();
  });

  app.use((_req: Request, res: Response) => void res.status(404).json(wireError("unknown endpoint of the meta-agent simulator", "invalid_request_error", null, "not_found")));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { status?: number; type?: string; message?: string; issues?: unknown };
    // Bad JSON bodies (body-parser), bad banks and bad fault specs are the client's fault.
    const status = e.status && e.status < 500 ? e.status : e.issues || e.type === "entity.parse.failed" || (err as Error).name === "ValidationError" ? 400 : 500;
    res.status(status).json(wireError(e.message ?? String(err), status === 400 ? "invalid_request_error" : "server_error"));
  });

  function badRequest(res: Response, call: SimulatorCall, message: string): void {
    call.status = 400;
    res.status(400).json(wireError(message));
  }

  async function faulted(res: Response, call: SimulatorCall, endpoint: "chat" | "embeddings", familyId: string | undefined): Promise<boolean> {
    const fault = faults.take(endpoint, familyId);
    if (!fault) return false;
    call.fault = fault.mode;
    call.status = fault.mode === "http_500" ? fault.status : fault.mode === "rate_limit" ? 429 : 200;
    options.logger?.debug({ name: "simulator-fault", mode: fault.mode, seq: call.seq, family: familyId }, "simulator injected a fault");
    return applyFault(fault, res, signalFor(res));
  }

  /** Aborts when the client goes away or the simulator closes. */
  function signalFor(res: Response): AbortSignal {
    const ac = new AbortController();
    res.on("close", () => ac.abort());
    return AbortSignal.any([ac.signal, closing.signal]);
  }

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  options.logger?.info({ name: "simulator-started", url }, "model simulator listening");

  return {
    url,
    baseURL: `${url}/v1`,
    calls,
    get bank() {
      return bank;
    },
    setBank(next) {
      bank = parseBank(next);
      faults.loadBank(bank);
    },
    setFault: (fault) => faults.add(fault),
    clearFaults: (includeBank) => faults.clear(includeBank),
    resetCalls: () => void (calls.length = 0),
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}
