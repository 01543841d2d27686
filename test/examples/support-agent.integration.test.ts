// The whole loop for an agent a team already has (examples/support-agent): its own OpenAI tool
// loop is traced, the service learns from its traces, and the learned prompt comes back to the
// running agent through getPrompt — no redeploy — whose later traces carry the new version. With
// the service down the agent keeps its last good prompt. Real parts: a running service (embedded
// Postgres, a git prompts repository), the real openai SDK against the model simulator.
import { simulatedServiceConfig } from "../support/simulated-service.js";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import OpenAI from "openai";
import { silentLogger } from "../../src/log/logger.js";
import { startService, type Service } from "../../src/main.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { MetaAgentClient, PromptClient } from "../../src/index.js";
import { createSupportAgent, type Ticket } from "../../examples/support-agent/agent.js";
import { createTestRepo, git, type TestRepo } from "../support/git-fixtures.js";
import { makeTempDir } from "../support/temp-dir.js";
import { waitFor } from "../support/wait-for.js";

const SIGNATURE = readFileSync(new URL("../../examples/support-agent/prompts/support_triage.yaml", import.meta.url), "utf8");

// Billing tickets are answered right only with a solved example in the prompt, or the account
// note "charged twice" the agent adds for some customers; the model looks the order up first.
const BANK = {
  families: [
    {
      id: "billing",
      match: { keywords: ["charged twice"] },
      answer: { action: "refund" },
      wrongAnswer: { action: "escalate" },
      baseAccuracy: 0,
      fixedBy: ["charged twice"],
      toolCalls: [{ name: "lookup_order", arguments: { orderId: "A-17" } }],
    },
  ],
};

const ticket = (i: number, flagged = false): Ticket => ({
  id: `T-${i}`,
  text: `Hello, I was charged twice for order A-${100 + i}. Please sort it out (ticket ${i}).`,
  customerEmail: flagged ? `vip${i}@example.com` : `customer${i}@example.com`,
  expectedAction: "refund",
});

describe("the support agent example: trace, learn, serve back", () => {
  let sim: Simulator;
  let service: Service;
  let repo: TestRepo;
  let data: { dir: string; remove(): void };
  const warnings: string[] = [];
  const onWarning = (w: Error) => void warnings.push(`${w.name}: ${w.message}`);

  beforeAll(async () => {
    process.on("warning", onWarning);
    sim = await startSimulator({ bank: BANK });
    repo = createTestRepo();
    writeFileSync(path.join(repo.dir, "prompts", "support_triage.yaml"), SIGNATURE);
    git(repo.dir, "add", ".");
    git(repo.dir, "commit", "-q", "-m", "support agent signature");
    data = makeTempDir("meta-agent-data-");
    const config = simulatedServiceConfig({ dataDir: data.dir, repoDir: repo.dir, simBaseURL: sim.baseURL });
    service = await startService(config, silentLogger);
  });
  afterAll(async () => {
    process.off("warning", onWarning);
    await service?.close();
    await sim?.close();
    repo?.remove();
    data?.remove();
  });

  // A generous timeout: 70 agent runs and a learning cycle on a shared 2-core machine.
  it("learns from the agent's traces and serves the promoted prompt back to it while it runs", { timeout: 240_000 }, async () => {
    const sink = new MetaAgentClient({ url: service.url, flushIntervalMs: 50, handleExit: false, maxRetries: 2, initialBackoffMs: 10, logger: silentLogger });
    const prompts = new PromptClient({ url: service.url, refreshIntervalMs: 100, logger: silentLogger });
    const openai = new OpenAI({ baseURL: sim.baseURL, apiKey: "sim", maxRetries: 0 });
    // Half of the customers carry the note that makes their ticket go right: those runs are the gold.
    const accountNotes = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`vip${i}@example.com`, "this customer was charged twice on the last order"]));
    const agent = createSupportAgent({ openai, model: "sim-chat", prompts, accountNotes, sink });
    try {
      const first: boolean[] = [];
      for (let i = 0; i < 60; i++) {
        const t = ticket(i, i % 2 === 0);
        const { action } = await agent.handleTicket(t);
        first.push(action === t.expectedAction);
        expect(await agent.closeTicket(t.id, action === t.expectedAction)).toBe(true);
      }
      await sink.flush();
      expect(first.filter(Boolean).length).toBe(30);

      const stored = (await (await fetch(`${service.url}/v1/traces?agent=support_triage&limit=100`)).json()) as { traces: any[] };
      expect(stored.traces).toHaveLength(60);
      // Rendering the served prompt recorded the version; the e-mail and the label never left the agent.
      for (const t of stored.traces) expect(t).toMatchObject({ signature: "support_triage", promptVersion: "1.0.0" });
      const one = (await (await fetch(`${service.url}/v1/traces/${stored.traces[0].id}`)).json()) as any;
      expect(Object.keys(one.input)).toEqual(["ticketText"]);
      expect(JSON.stringify(one)).not.toMatch(/@example\.com|expectedAction/);
      expect(one.steps.map((s: { type: string; name?: string }) => s.name ?? s.type)).toEqual(["check_account", "llm_call", "lookup_order", "llm_call"]);
      // The outcome came later, from closeTicket (the run itself left it open).
      expect(stored.traces.filter((t) => t.outcome?.success === true)).toHaveLength(30);

      const res = await fetch(`${service.url}/v1/learning/cycles`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      const cycle = (await res.json()) as any;
      expect(res.status, JSON.stringify(cycle)).toBe(200);
      const verdict = cycle.verdicts.find((v: { signature: string }) => v.signature === "support_triage");
      expect(verdict, JSON.stringify(cycle)).toMatchObject({ verdict: "promoted" });
      const produced = cycle.versionsProduced.find((v: { signature: string }) => v.signature === "support_triage");

      // The running agent picks the promotion up within its refresh interval: no redeploy.
      await waitFor(async () => (await prompts.getPrompt("support_triage")).version === produced.version, { what: "the agent to be served the promoted version" });
      // The learned version keeps the signature's tools (their descriptions are versioned prompt text).
      expect((await prompts.getPrompt("support_triage")).tools.map((t) => t.function.name)).toEqual(["lookup_order", "search_kb"]);
      const later: boolean[] = [];
      for (let i = 100; i < 110; i++) {
        const t = ticket(i, false);
        const { action } = await agent.handleTicket(t);
        later.push(action === t.expectedAction);
        await agent.closeTicket(t.id, action === t.expectedAction);
      }
      await sink.flush();
      expect(later.every(Boolean)).toBe(true);
      const after = (await (await fetch(`${service.url}/v1/traces?agent=support_triage&limit=200`)).json()) as { traces: any[] };
      const versions = after.traces.filter((t) => /ticket 10\d\)/.test(JSON.stringify(t.input ?? ""))).map((t) => t.promptVersion);
      expect(versions).toEqual(Array(10).fill(produced.version));

      // The service goes away: the agent keeps its last good prompt and keeps answering.
      await service.close();
      await prompts.refresh();
      const kept = await prompts.getPrompt("support_triage");
      expect(kept).toMatchObject({ version: produced.version, source: "last-good" });
      const t = ticket(200, false);
      expect(await agent.handleTicket(t)).toEqual({ action: "refund" });
      // Normal use (tracing, a learning cycle, serving) prints no warning.
      expect(warnings).toEqual([]);
    } finally {
      prompts.close();
      await sink.close();
    }
  });
});
