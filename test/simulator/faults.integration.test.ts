import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";

const post = (sim: Simulator, path: string, body: unknown, signal?: AbortSignal) =>
  fetch(`${sim.baseURL}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
const chat = (content: string) => ({ model: "sim-chat", messages: [{ role: "user", content }] });

describe("model simulator: fault injection", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({
      bank: { families: [{ id: "slow", match: { keywords: ["slow"] }, answer: { ok: true } }, { id: "fine", match: { keywords: ["fine"] }, answer: { ok: true } }] },
    });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.clearFaults(true);
    sim.resetCalls();
  });

  it("answers HTTP 500 for the given number of requests, then recovers", async () => {
    sim.setFault({ mode: "http_500", times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(sim, "/chat/completions", chat("hello"))).status);
    expect(statuses).toEqual([500, 500, 200]);
    expect(sim.calls.map((c) => c.fault)).toEqual(["http_500", "http_500", undefined]);
  });

  it("answers 429 with a Retry-After header", async () => {
    sim.setFault({ mode: "rate_limit", retryAfterSeconds: 3, times: 1 });
    const res = await post(sim, "/chat/completions", chat("hello"));
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("3");
  });

  it("returns garbage and invalid completions with a 200 status", async () => {
    sim.setFault({ mode: "garbage", times: 1 });
    const garbage = await post(sim, "/chat/completions", chat("hello"));
    expect(garbage.status).toBe(200);
    await expect(garbage.json()).rejects.toThrow();
    sim.setFault({ mode: "invalid_completion", times: 1 });
    const invalid = (await (await post(sim, "/chat/completions", chat("hello"))).json()) as { choices: unknown[] };
    expect(invalid.choices).toEqual([]);
  });

  it("hangs a request until the client gives up, scoped to one family", async () => {
    sim.setFault({ mode: "hang", family: "slow", hangMs: 60_000 });
    const t0 = Date.now();
    await expect(post(sim, "/chat/completions", chat("a slow one"), AbortSignal.timeout(300))).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect((await post(sim, "/chat/completions", chat("a fine one"))).status).toBe(200);
  });

  it("answers late, but normally, when a hang is shorter than the client's patience", async () => {
    sim.setFault({ mode: "hang", hangMs: 200, times: 1 });
    const t0 = Date.now();
    const res = await post(sim, "/chat/completions", chat("fine"));
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it("takes always-on faults from the bank and lets runtime faults override them", async () => {
    sim.setBank({ families: [{ id: "fine", match: { keywords: ["fine"] }, answer: { ok: true }, fault: { mode: "http_500", status: 503 } }] });
    expect((await post(sim, "/chat/completions", chat("fine"))).status).toBe(503);
    expect((await post(sim, "/chat/completions", chat("other"))).status).toBe(200);
    sim.setFault({ mode: "rate_limit", times: 1 });
    expect((await post(sim, "/chat/completions", chat("fine"))).status).toBe(429);
  });

  it("can fault the embeddings endpoint alone", async () => {
    sim.setFault({ mode: "http_500", endpoint: "embeddings", times: 1 });
    expect((await post(sim, "/chat/completions", chat("hello"))).status).toBe(200);
    expect((await post(sim, "/embeddings", { model: "e", input: ["x"] })).status).toBe(500);
    expect((await post(sim, "/embeddings", { model: "e", input: ["x"] })).status).toBe(200);
  });

  it("delays a family's answers by its latencyMs", async () => {
    sim.setBank({ families: [{ id: "slow", match: { keywords: ["slow"] }, answer: { ok: true }, latencyMs: 150 }] });
    const t0 = Date.now();
    expect((await post(sim, "/chat/completions", chat("slow"))).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it("is steerable over HTTP: faults, calls and the bank", async () => {
    const root = sim.url;
    expect((await fetch(`${root}/_simulator/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ mode: "http_500", times: 1 }) })).status).toBe(201);
    expect((await post(sim, "/chat/completions", chat("hello"))).status).toBe(500);
    const bad = await fetch(`${root}/_simulator/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ mode: "explode" }) });
    expect(bad.status).toBe(400);
    const calls = (await (await fetch(`${root}/_simulator/calls`)).json()) as { calls: unknown[] };
    expect(calls.calls).toHaveLength(1);
    const bank = await fetch(`${root}/_simulator/bank`, { method: "PUT", headers: { "content-type": "application/yaml" }, body: "models: [yaml-model]\n" });
    expect(bank.status).toBe(200);
    expect(sim.bank.models).toEqual(["yaml-model"]);
    const badBank = await fetch(`${root}/_simulator/bank`, { method: "PUT", headers: { "content-type": "application/yaml" }, body: "families: [{id: x}]\n" });
    expect(badBank.status).toBe(400);
    expect(((await badBank.json()) as { error: { message: string } }).error.message).toMatch(/families\[0\]/);
  });
});
