// The dashboard's traces list filtered by intent (issue 28, point 2): traces without a task key
// from two planted request families, analysed over HTTP by the real service (intents clustered
// from their inputs by the configured embedder, here the lexical `hash` one); picking one intent
// in the filter form lists exactly that family's traces, and only the signed-in tenant's.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { silentLogger } from "../../src/log/logger.js";
import { startService, type Service } from "../../src/main.js";
import { createApiKey } from "../../src/tenancy/create-api-key.js";
import { createRng } from "../../src/compiler/random.js";
import { seedDataDir } from "../support/database-template.js";
import { makeTempDir } from "../support/temp-dir.js";

const N = 24;
const pick = <T>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)]!;
// Two families with no words in common, so even a lexical embedder tells them apart.
const flights = (r: () => number) => `book flight ${pick(["Paris", "Rome", "Oslo", "Lisbon"], r)} ${pick(["monday", "friday", "tomorrow"], r)} seats`;
const baggage = (r: () => number) => `baggage allowance ${pick(["suitcase", "stroller", "bicycle", "skis"], r)} weight fee kilograms`;

describe("the traces list filtered by intent", () => {
  const tmp = makeTempDir();
  let service: Service;
  const get = (p: string, headers: Record<string, string> = {}) => fetch(`${service.url}${p}`, { headers });
  const post = (p: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${p}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const rowIds = (page: string) => [...page.matchAll(/<a href="\/ui\/traces\/([^"]+)">/g)].map((m) => decodeURIComponent(m[1]!));
  const intentOptions = (page: string) =>
    [...(/<select id="intent" name="intent">([\s\S]*?)<\/select>/.exec(page)?.[1] ?? "").matchAll(/<option value="([^"]+)"[^>]*>([^<]*)<\/option>/g)].map((m) => ({ value: m[1]!, label: m[2]! }));

  beforeAll(async () => {
    const config = loadConfig({ env: { META_AGENT_DATA_DIR: tmp.dir, PORT: "0", LEARNING_INTERVAL: "86400", MIN_TRACES_FOR_ANALYSIS: "10", EMBEDDER: "hash" }, cwd: tmp.dir });
    seedDataDir(config.dataDir);
    service = await startService(config, silentLogger);
  });
  afterAll(async () => {
    await service?.close();
    tmp.remove();
  });

  it("offers the latest analysis's intents in a labelled select and lists only the chosen intent's traces", async () => {
    const r = createRng(7);
    const trace = (id: string, input: string, i: number) => ({
      id,
      agent: "support",
      input,
      startedAt: new Date(Date.now() - 3_600_000 + i * 1000).toISOString(),
      outcome: { success: r() < 0.6 },
      steps: [{ type: "tool_call", name: "lookup", arguments: {}, success: true, durationMs: 5 }],
    });
    const traces = [...Array.from({ length: N }, (_, i) => trace(`fl-${i}`, flights(r), 2 * i)), ...Array.from({ length: N }, (_, i) => trace(`bg-${i}`, baggage(r), 2 * i + 1))];
    expect((await post("/v1/traces", { traces })).status).toBe(200);

    // Before any analysis there is nothing to pick.
    const before = await (await get("/ui/traces")).text();
    expect(before).toContain('<label for="intent">Intent</label>');
    expect(intentOptions(before)).toEqual([]);

    expect((await post("/v1/analyze", { agent: "support", full: true, windowDays: 30 })).status).toBe(200);
    const page = await (await get("/ui/traces")).text();
    const options = intentOptions(page);
    expect(options.map((o) => o.label).sort()).toEqual([expect.stringMatching(/^support: baggage allowance .* \(24\)$/), expect.stringMatching(/^support: book flight .* \(24\)$/)]);

    const flightIntent = options.find((o) => o.label.includes("book flight"))!;
    const filtered = await (await get(`/ui/traces?intent=${encodeURIComponent(flightIntent.value)}`)).text();
    const ids = rowIds(filtered);
    expect(ids.sort()).toEqual(Array.from({ length: N }, (_, i) => `fl-${i}`).sort());
    // The choice stays selected, and the other filters combine with it.
    expect(filtered).toContain(`<option value="${flightIntent.value}" selected>`);
    const failures = rowIds(await (await get(`/ui/traces?intent=${encodeURIComponent(flightIntent.value)}&outcome=failure`)).text());
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.length).toBeLessThan(N);
    expect(failures.every((id) => id.startsWith("fl-"))).toBe(true);

    const baggageIntent = options.find((o) => o.label.includes("baggage"))!;
    expect(rowIds(await (await get(`/ui/traces?intent=${encodeURIComponent(baggageIntent.value)}`)).text()).every((id) => id.startsWith("bg-"))).toBe(true);

    // An intent id that is not stored lists nothing and says why.
    const unknown = await (await get("/ui/traces?intent=no-such-intent")).text();
    expect(rowIds(unknown)).toEqual([]);
    expect(unknown).toMatch(/role="alert">That intent is not stored/);
  });

  it("neither offers nor filters by another tenant's intents", async () => {
    const page = await (await get("/ui/traces")).text();
    const flightIntent = intentOptions(page).find((o) => o.label.includes("book flight"))!;
    const key = (await createApiKey(service.db, { tenant: "acme" })).key;
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the "are there keys?" check is cached for 1 s
    const auth = { authorization: `Bearer ${key}` };
    const theirs = await (await get("/ui/traces", auth)).text();
    expect(intentOptions(theirs)).toEqual([]);
    const probed = await (await get(`/ui/traces?intent=${encodeURIComponent(flightIntent.value)}`, auth)).text();
    expect(rowIds(probed)).toEqual([]);
    expect(probed).toMatch(/role="alert">That intent is not stored/);
  });
});
