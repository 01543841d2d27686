import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { startSimulator, type BankInput, type Simulator } from "../../src/simulator/index.js";

const BANK: BankInput = {
  families: [
    {
      id: "disk-full",
      match: { keywords: ["disk"], anyKeywords: ["full", "no space"] },
      answer: { rootCause: "disk_full", action: "rotate logs" },
      wrongAnswer: { rootCause: "network", action: "restart the service" },
      baseAccuracy: 0,
      fixedBy: ["check disk usage before restarting", "/dev/sda1 at 100%"],
      toolCalls: [{ name: "df", arguments: { path: "/" } }],
      proposals: ["Always check disk usage before restarting anything."],
    },
    {
      id: "half-right",
      match: { regex: "ticket (?<ticket>\\d+)" },
      answer: { category: "billing", ticket: "$<ticket>" },
      wrongAnswer: { category: "technical", ticket: "$1" },
      baseAccuracy: 0.5,
    },
    {
      id: "flaky-format",
      match: { keywords: ["timezone"] },
      answer: { region: "eu-west", utcOffset: 1 },
      malformedFirst: "missing_field",
    },
    {
      id: "broken-json",
      match: { keywords: ["certificate"] },
      answer: { expired: true },
      malformedFirst: "invalid_json",
    },
  ],
  proposals: ["Answer precisely."],
};

const SYSTEM = "You diagnose incidents. Answer with a JSON object with fields rootCause and action.";

describe("model simulator: task bank", () => {
  let sim: Simulator;
  let client: OpenAI;
  beforeAll(async () => {
    sim = await startSimulator({ bank: BANK });
    client = new OpenAI({ baseURL: sim.baseURL, apiKey: "sim", maxRetries: 0 });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.resetCalls();
    sim.clearFaults();
  });

  const ask = async (messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[], extra: Partial<OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming> = {}) =>
    client.chat.completions.create({ model: "sim-chat", messages, response_format: { type: "json_object" }, ...extra });
  const answerOf = (c: OpenAI.Chat.Completions.ChatCompletion) => JSON.parse(c.choices[0]!.message.content!) as Record<string, unknown>;

  it("answers a family wrongly without help and correctly when a guideline contains a fixing phrase", async () => {
    const task = { role: "user" as const, content: "Disk full on node-3, writes failing" };
    expect(answerOf(await ask([{ role: "system", content: SYSTEM }, task]))).toEqual({ rootCause: "network", action: "restart the service" });
    const guided = `${SYSTEM}\nGuidelines:\n- Check disk usage before restarting (confidence 0.9)`;
    expect(answerOf(await ask([{ role: "system", content: guided }, task]))).toEqual({ rootCause: "disk_full", action: "rotate logs" });
    expect(sim.calls.map((c) => [c.family, c.correct])).toEqual([
      ["disk-full", false],
      ["disk-full", true],
    ]);
  });

  it("counts a demo turn containing a fixing fragment as help, but not the task message itself", async () => {
    const demo = [
      { role: "user" as const, content: "Disk full alert: /dev/sda1 at 100%" },
      { role: "assistant" as const, content: JSON.stringify({ rootCause: "disk_full", action: "rotate logs" }) },
    ];
    const withDemo = await ask([{ role: "system", content: SYSTEM }, ...demo, { role: "user", content: "node-7: disk is full again" }]);
    expect(answerOf(withDemo).rootCause).toBe("disk_full");
    const fragmentInTask = await ask([{ role: "system", content: SYSTEM }, { role: "user", content: "disk full: /dev/sda1 at 100%" }]);
    expect(answerOf(fragmentInTask).rootCause).toBe("network");
  });

  it("decides base accuracy by hashing the input: stable per input, close to the rate over many inputs", async () => {
    const results: boolean[] = [];
    for (let i = 0; i < 40; i++) {
      const c = await ask([{ role: "user", content: `Please classify ticket ${1000 + i}, reply in JSON` }]);
      const a = answerOf(c);
      expect(a.ticket).toBe(String(1000 + i));
      results.push(a.category === "billing");
    }
    const again = await ask([{ role: "user", content: "Please classify ticket 1000, reply in JSON" }]);
    expect(answerOf(again).category === "billing").toBe(results[0]);
    const share = results.filter(Boolean).length / results.length;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.75);
  });

  it("returns a malformed first answer and the correct one after a repair message quoting the error", async () => {
    const task = [{ role: "system" as const, content: "Reply with JSON fields region and utcOffset." }, { role: "user" as const, content: "Which timezone is the Dublin DC in?" }];
    const first = await ask(task);
    const broken = first.choices[0]!.message.content!;
    expect(answerOf(first)).toEqual({ region: "unknown" });
    const vague = await ask([...task, { role: "assistant", content: broken }, { role: "user", content: "That was wrong, try again." }]);
    expect(answerOf(vague)).toEqual({ region: "unknown" });
    const repaired = await ask([...task, { role: "assistant", content: broken }, { role: "user", content: "Your answer is invalid: utcOffset: Required. Answer again." }]);
    expect(answerOf(repaired)).toEqual({ region: "eu-west", utcOffset: 1 });
    expect(sim.calls.at(-1)).toMatchObject({ family: "flaky-format", correct: true });
  });

  it("needs the repair to quote the error in every round, and never mistakes text demos for repairs", async () => {
    const task = [{ role: "system" as const, content: "Reply with JSON fields region and utcOffset." }, { role: "user" as const, content: "Which timezone is the Dublin DC in?" }];
    const broken = (await ask(task)).choices[0]!.message.content!;
    const round2 = [...task, { role: "assistant" as const, content: broken }, { role: "user" as const, content: "Try again." }];
    const broken2 = (await ask(round2)).choices[0]!.message.content!;
    expect(broken2).toBe(broken);
    const fixed = await ask([...round2, { role: "assistant", content: broken2 }, { role: "user", content: "Still invalid: utcOffset is required." }]);
    expect(answerOf(fixed)).toEqual({ region: "eu-west", utcOffset: 1 });

    // A demo rendered as text (not JSON) before the task is a demo, not a failed answer.
    const textDemo = await ask([
      { role: "system", content: SYSTEM },
      { role: "user", content: "disk full on build-2" },
      { role: "assistant", content: "rootCause: disk_full\naction: rotate logs" },
      { role: "user", content: "Which timezone is the Dublin DC in?" },
    ]);
    expect(answerOf(textDemo)).toEqual({ region: "unknown" });
    expect(sim.calls.at(-1)).toMatchObject({ family: "flaky-format", malformed: "missing_field" });
  });

  it("returns broken JSON first in invalid_json mode, fixed once the repair mentions JSON", async () => {
    const task = [{ role: "user" as const, content: "Has the certificate of api.example.com expired? Answer in JSON." }];
    const first = await ask(task);
    expect(() => JSON.parse(first.choices[0]!.message.content!)).toThrow();
    const fixed = await ask([...task, { role: "assistant", content: first.choices[0]!.message.content! }, { role: "user", content: "Not valid JSON: Unexpected end of JSON input" }]);
    expect(answerOf(fixed)).toEqual({ expired: true });
  });

  it("calls the family's tools when they are offered, then answers once tool results are in", async () => {
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [{ type: "function", function: { name: "df", parameters: { type: "object", properties: { path: { type: "string" } } } } }];
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: "system", content: SYSTEM }, { role: "user", content: "disk full on db-1" }];
    const first = await ask(messages, { tools });
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    const call = first.choices[0]!.message.tool_calls![0]! as OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall;
    expect(call.function).toEqual({ name: "df", arguments: JSON.stringify({ path: "/" }) });
    const second = await ask([...messages, first.choices[0]!.message, { role: "tool", tool_call_id: call.id, content: "/dev/sda1 100%" }], { tools });
    expect(second.choices[0]!.finish_reason).toBe("stop");
    expect(answerOf(second)).toHaveProperty("rootCause");
  });

  it("makes as many rounds of tool calls as the family's toolRounds, with distinct call ids and captured arguments, or never stops when unbounded", async () => {
    sim.setBank({
      families: [
        { id: "two-rounds", match: { regex: "sum of (\\d+) and (\\d+)" }, toolCalls: [{ name: "run_program", arguments: { code: "console.log($1 + $2)" } }], toolRounds: 2, answer: { answer: "done" }, baseAccuracy: 1 },
        { id: "runaway", match: { keywords: ["forever"] }, toolCalls: [{ name: "run_program", arguments: { code: "1" } }], toolRounds: "unbounded", answer: { answer: "never" }, baseAccuracy: 1 },
      ],
    });
    try {
      const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [{ type: "function", function: { name: "run_program", parameters: { type: "object", properties: { code: { type: "string" } } } } }];
      /** Runs the loop for at most `max` requests; returns the finish reasons and the call ids. */
      const loop = async (task: string, max: number) => {
        const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: "user", content: task }];
        const reasons: string[] = [];
        const ids: string[] = [];
        for (let i = 0; i < max; i++) {
          const c = await client.chat.completions.create({ model: "sim-chat", messages, tools, response_format: { type: "json_object" } });
          const choice = c.choices[0]!;
          reasons.push(choice.finish_reason);
          if (choice.finish_reason !== "tool_calls") break;
          messages.push(choice.message);
          for (const call of choice.message.tool_calls! as OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall[]) {
            ids.push(call.id);
            expect(call.function.name).toBe("run_program");
            messages.push({ role: "tool", tool_call_id: call.id, content: "42" });
          }
        }
        return { reasons, ids, args: messages.flatMap((m) => ("tool_calls" in m && m.tool_calls ? (m.tool_calls as OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall[]).map((c) => c.function.arguments) : [])) };
      };
      const two = await loop("What is the sum of 17 and 25?", 10);
      expect(two.reasons).toEqual(["tool_calls", "tool_calls", "stop"]);
      expect(new Set(two.ids).size).toBe(2);
      expect(two.args).toEqual([JSON.stringify({ code: "console.log(17 + 25)" }), JSON.stringify({ code: "console.log(17 + 25)" })]);
      const runaway = await loop("Compute forever", 6);
      expect(runaway.reasons).toEqual(Array(6).fill("tool_calls"));
      expect(new Set(runaway.ids).size).toBe(6);
    } finally {
      sim.setBank(BANK);
    }
  });

  it("reads the offered tools' descriptions as help: a fixing phrase there makes the answer correct and switches to the family's fixed tool calls", async () => {
    sim.setBank({
      families: [
        {
          id: "percent",
          match: { regex: "(\\d+) percent of (\\d+)" },
          toolCalls: [{ name: "run_program", arguments: { code: "console.log(percentOf($1, $2))" } }],
          fixedToolCalls: [{ name: "run_program", arguments: { code: "console.log($1 * $2 / 100)" } }],
          fixedBy: ["percentof is not defined"],
          answer: { answer: "right" },
          baseAccuracy: 0,
        },
      ],
    });
    try {
      const tool = (description: string): OpenAI.Chat.Completions.ChatCompletionTool[] => [{ type: "function", function: { name: "run_program", description, parameters: { type: "object", properties: { code: { type: "string" } } } } }];
      const task: OpenAI.Chat.Completions.ChatCompletionMessageParam = { role: "user", content: "What is 15 percent of 80?" };
      const run = async (description: string) => {
        const first = await ask([task], { tools: tool(description) });
        const call = first.choices[0]!.message.tool_calls![0]! as OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall;
        const second = await ask([task, first.choices[0]!.message, { role: "tool", tool_call_id: call.id, content: "whatever it printed" }], { tools: tool(description) });
        return { code: (JSON.parse(call.function.arguments) as { code: string }).code, answer: answerOf(second) };
      };
      expect(await run("Runs a program.")).toEqual({ code: "console.log(percentOf(15, 80))", answer: { answer: "unknown" } });
      expect(await run('Runs a program.\n\nLearned from past runs:\n- Rule out "ReferenceError: percentOf is not defined".')).toEqual({ code: "console.log(15 * 80 / 100)", answer: { answer: "right" } });
      // A tool result quoting the phrase is not help: it comes after the task.
      const first = await ask([task], { tools: tool("Runs a program.") });
      const call = first.choices[0]!.message.tool_calls![0]! as OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall;
      const after = await ask([task, first.choices[0]!.message, { role: "tool", tool_call_id: call.id, content: "ReferenceError: percentOf is not defined" }], { tools: tool("Runs a program.") });
      expect(answerOf(after)).toEqual({ answer: "unknown" });
    } finally {
      sim.setBank(BANK);
    }
  });

  it("answers in text when the request asks for no JSON: the value alone or field: value lines", async () => {
    const plain = await client.chat.completions.create({ model: "m", messages: [{ role: "system", content: "Guideline: check disk usage before restarting." }, { role: "user", content: "disk full on web-1" }] });
    expect(plain.choices[0]!.message.content).toBe("rootCause: disk_full\naction: rotate logs");
    const single = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "Has the certificate expired?" }, { role: "assistant", content: "x" }, { role: "user", content: "Has the certificate of a.example expired?" }] });
    // Broken first answer (invalid_json) of the derived wrong answer (the boolean negated); the
    // assistant turn "x" before the task is a demo, not a repair round.
    expect(single.choices[0]!.message.content).toBe('{"expired":fals');
  });

  it("acts as an LLM judge: a rubric request gets a score from the family's answers", async () => {
    const judge = (prediction: string) =>
      ask([
        { role: "system", content: "You are a strict grader. Use the rubric and reply in JSON with score and reasoning." },
        { role: "user", content: `Rubric: the root cause must be right.\nTask: disk full on node-3\nPrediction: ${prediction}` },
      ]);
    expect(answerOf(await judge('{"rootCause":"disk_full","action":"rotate logs"}')).score).toBe(1);
    expect(answerOf(await judge('{"rootCause":"network","action":"restart the service"}')).score).toBe(0);
    expect(sim.calls.map((c) => c.kind)).toEqual(["judge", "judge"]);
  });

  it("proposes instructions deterministically, preferring the proposals of the families in the prompt", async () => {
    const propose = (seed?: number) =>
      client.chat.completions.create({
        model: "sim-chat",
        ...(seed !== undefined ? { seed } : {}),
        messages: [{ role: "user", content: "These inputs failed: 'disk full on node-3'. Propose improved instructions for the diagnosis agent." }],
      });
    const a = await propose();
    expect(a.choices[0]!.message.content).toBe("Always check disk usage before restarting anything.");
    expect((await propose()).choices[0]!.message.content).toBe(a.choices[0]!.message.content);
    const several = await client.chat.completions.create({
      model: "m",
      n: 2,
      messages: [{ role: "user", content: "Propose better instructions for the agent." }],
    });
    expect(several.choices.map((c) => c.message.content)).toEqual(["Answer precisely.", "Answer precisely."]);
    const generic = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "Please rewrite the instructions of the summariser." }] });
    expect(generic.choices[0]!.message.content).toBe("Answer precisely.");
    // A task that merely mentions instructions is still a task.
    const task = await client.chat.completions.create({ model: "m", messages: [{ role: "system", content: "Propose sub-tasks, then follow the instructions." }, { role: "user", content: "disk full on node-4" }] });
    expect(sim.calls.at(-1)).toMatchObject({ kind: "answer", family: "disk-full" });
    expect(task.choices[0]!.message.content).toContain("rootCause");
  });

  it("gives unknown requests a deterministic generic answer and counts tokens deterministically", async () => {
    const msg = [{ role: "user" as const, content: "Tell me something about llamas." }];
    const a = await client.chat.completions.create({ model: "m", messages: msg });
    const b = await client.chat.completions.create({ model: "m", messages: msg });
    expect(a.choices[0]!.message.content).toMatch(/^Simulated answer [0-9a-f]{8}\.$/);
    expect(b.choices[0]!.message.content).toBe(a.choices[0]!.message.content);
    expect(a.usage).toEqual(b.usage);
    expect(a.usage!.prompt_tokens).toBeGreaterThan(5);
    expect(a.usage!.total_tokens).toBe(a.usage!.prompt_tokens + a.usage!.completion_tokens);
    const schema = await ask(msg, { response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "object", properties: { summary: { type: "string" }, score: { type: "number" } } } } } });
    expect(answerOf(schema)).toMatchObject({ score: 0 });
  });

  it("rejects invalid requests with an OpenAI-shaped 400 naming the field, and records them", async () => {
    const res = await fetch(`${sim.baseURL}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "m", messages: [] }) });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; type: string } };
    expect(body.error.message).toMatch(/messages/);
    expect(body.error.type).toBe("invalid_request_error");
    expect(sim.calls.at(-1)).toMatchObject({ endpoint: "chat", status: 400 });
  });

  it("lists its models and swaps banks at runtime", async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(["sim-chat", "sim-embed"]);
    sim.setBank({ models: ["other"], families: [] });
    expect((await client.models.list()).data.map((m) => m.id)).toEqual(["other"]);
    sim.setBank(BANK);
  });

  it("refuses an invalid bank with an error naming the path", () => {
    expect(() => sim.setBank({ families: [{ id: "x", match: {}, answer: {} }] } as unknown as BankInput)).toThrow(/families\[0\]\.match/);
    expect(() => sim.setBank({ families: [{ id: "x", match: { regex: "(" }, answer: { a: 1 } }] })).toThrow(/families\[0\]\.match\.regex/);
  });
});

describe("the simulator's record of calls", () => {
  it("keeps the last maxRecordedCalls requests, the oldest dropped first, so a long run does not grow without bound", async () => {
    const sim = await startSimulator({ bank: BANK, maxRecordedCalls: 3 });
    try {
      const client = new OpenAI({ baseURL: sim.baseURL, apiKey: "unused", maxRetries: 0 });
      for (let i = 1; i <= 5; i++) await client.chat.completions.create({ model: "sim-chat", messages: [{ role: "user", content: `question ${i}` }] });
      expect(sim.calls.map((c) => c.seq)).toEqual([3, 4, 5]);
      expect((sim.calls[2]!.body as { messages: { content: string }[] }).messages[0]!.content).toBe("question 5");
    } finally {
      await sim.close();
    }
  });
});
