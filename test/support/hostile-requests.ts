// fast-check arbitraries of hostile HTTP requests for any route of the service, built from the
// route's path pattern alone (no route is named here): hostile path parameters, query strings,
// bodies and headers. Bodies always carry at least one value no route may accept or store (NUL,
// an unpaired surrogate, a number that overflows a double, nesting past the limit, bytes that are
// not UTF-8, text that is not JSON), often next to values that are legal but unusual
// (`__proto__` keys, out-of-range integers and dates, objects where strings belong).
import fc from "fast-check";
import { randomUUID } from "node:crypto";

export interface HostileRequest {
  method: string;
  /** The request target as sent on the wire (percent-escapes kept as they are). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What the generator put in, for the counterexample. */
  family: string;
}

const SLOT = (i: number) => `@@SLOT${i}@@`;

/** Raw JSON text that no route may accept or store. */
export const strictToken: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('"\\u0000"', '"x\\u0000y"', '"\\ud800"', '"a\\udfffb"', "1e400", "-1e400", '{"\\u0000k": 1}', '{"\\ud800": 1}'),
  fc.tuple(fc.constantFrom(65, 200, 10_000), fc.boolean()).map(([d, arrays]) => (arrays ? `${"[".repeat(d)}${"]".repeat(d)}` : `${'{"a":'.repeat(d)}1${"}".repeat(d)}`)),
);

/** Raw JSON text that is legal JSON but unusual: must be stored as sent or refused, never changed. */
export const softToken: fc.Arbitrary<string> = fc.constantFrom(
  "3000000000",
  "-1",
  "9007199254740993",
  "1e-400",
  '{"__proto__": {"polluted": true}}',
  '{"constructor": "c", "prototype": {}}',
  '"0000-01-01T00:00:00Z"',
  '"9999-12-31T23:59:59-14:00"',
  '"2026-02-30T00:00:00Z"',
  "{}",
  "[]",
  "null",
  "true",
  JSON.stringify("x".repeat(20_000)),
  '"\\u202egnp.exe"',
  '"😀"',
  '"--help"',
  '"../../etc/passwd"',
  '"\'; DROP TABLE traces; --"',
);

const FIELDS = ["id", "agent", "name", "traces", "steps", "input", "output", "metadata", "startedAt", "endedAt", "tokens", "task_description", "total_budget_tokens", "inputs", "version", "to", "success", "feedback", "score", "messages", "resourceSpans", "full", "windowDays", "type"];

const isoNow = "2026-02-01T10:00:00Z";
const trace = (id: string, slot: string | undefined) => ({
  id,
  agent: "hostile",
  startedAt: isoNow,
  endedAt: "2026-02-01T10:00:05Z",
  input: slot ?? "in",
  metadata: { note: "ok" },
  steps: [{ type: "tool_call", name: "get_pods", arguments: { ns: "a" }, success: true, response: "ok" }],
});
const chatRecord = (id: string, slot: string | undefined) => ({
  id,
  messages: [
    { role: "user", content: slot ?? "why?" },
    { role: "assistant", content: "", tool_calls: [{ id: "c1", type: "function", function: { name: "get_pods", arguments: "{}" } }] },
    { role: "tool", tool_call_id: "c1", content: "ok" },
    { role: "assistant", content: "done" },
  ],
  outcome: true,
});
const nanos = String(BigInt(Date.parse(isoNow)) * 1_000_000n);
const otlpSpan = (traceId: string, slot: string | undefined) => ({
  traceId,
  spanId: traceId.slice(0, 16),
  name: "execute_tool get_pods",
  startTimeUnixNano: nanos,
  attributes: [{ key: "gen_ai.tool.name", value: { stringValue: slot ?? "get_pods" } }],
});

/** A JSON body with slots where raw tokens go: one shape per kind of input the service reads, and free-form objects. */
const frame: fc.Arbitrary<{ shape: string; make: (slots: string[]) => unknown; slots: number }> = fc.oneof(
  fc.constant({ shape: "trace batch", slots: 2, make: ([a, b]: string[]) => ({ traces: [trace(`h-${randomUUID()}`, a), trace(`h-${randomUUID()}`, b)] }) }),
  fc.constant({ shape: "chat records", slots: 2, make: ([a, b]: string[]) => [chatRecord(`h-${randomUUID()}`, a), chatRecord(`h-${randomUUID()}`, b)] }),
  fc.constant({ shape: "otlp export", slots: 2, make: ([a, b]: string[]) => ({ resourceSpans: [{ scopeSpans: [{ spans: [otlpSpan(randomUUID().replace(/-/g, ""), a), otlpSpan(randomUUID().replace(/-/g, ""), b)] }] }] }) }),
  fc
    .uniqueArray(fc.constantFrom(...FIELDS), { minLength: 1, maxLength: 5 })
    .chain((keys) => fc.tuple(fc.constant(keys), fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: keys.length, maxLength: keys.length })))
    .map(([keys, values]) => ({
      shape: "object",
      slots: keys.length,
      make: (slots: string[]) => Object.fromEntries(keys.map((k, i) => [k, slots[i] ?? values[i]])),
    })),
);

/** A JSON body text with at least one strict token and maybe soft ones. */
const jsonBody: fc.Arbitrary<{ text: string; family: string }> = frame.chain((f) =>
  fc.tuple(fc.constant(f), strictToken, fc.nat({ max: f.slots - 1 }), fc.array(fc.option(softToken, { nil: undefined }), { minLength: f.slots, maxLength: f.slots })).map(([f, strict, at, softs]) => {
    const slots = Array.from({ length: f.slots }, (_, i) => (i === at || softs[i] !== undefined ? SLOT(i) : undefined));
    let text = JSON.stringify(f.make(slots as string[]));
    slots.forEach((s, i) => {
      if (s) text = text.replace(JSON.stringify(s), i === at ? strict : softs[i]!);
    });
    // Chat records go as JSON Lines half of the time (the other half as a JSON array).
    if (f.shape === "chat records" && text.startsWith("[") && at % 2 === 0) text = text.slice(1, -1).replace(/\},\{"id"/g, '}\n{"id"');
    return { text, family: `${f.shape}: strict ${strict.slice(0, 24)}${softs.some(Boolean) ? ` + soft ${softs.filter(Boolean).map((s) => s!.slice(0, 16)).join(", ")}` : ""}` };
  }),
);

/** A body as bytes: hostile JSON, or bytes that are not UTF-8 / not JSON / cut short. */
export const hostileBody: fc.Arbitrary<{ bytes: Buffer; family: string }> = fc.oneof(
  { weight: 6, arbitrary: jsonBody.map((b) => ({ bytes: Buffer.from(b.text, "utf8"), family: b.family })) },
  { weight: 1, arbitrary: jsonBody.map((b) => ({ bytes: Buffer.concat([Buffer.from(b.text.slice(0, Math.floor(b.text.length / 2)), "utf8"), Buffer.from([0xc3, 0x28, 0xff])]), family: `invalid UTF-8 inside ${b.family}` })) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 300 }).map((a) => ({ bytes: Buffer.from(a), family: "random bytes" })) },
);

/** Hostile values of a path parameter, as raw (already percent-encoded) text. */
export const STRICT_PARAMS = ["%00", "a%00b", "%ED%A0%80", "%FF", "%C0%AF", "1.0.0%00"];
export const hostileParam: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...STRICT_PARAMS) },
  { weight: 2, arbitrary: fc.constantFrom("%2e%2e", "..", "%0A", "%E2%80%AE", "--help", "-rf", "__proto__", "constructor", "%F0%9F%98%80", "a".repeat(5_000), "%25", "%") },
  // encodeURIComponent throws on unpaired surrogates: those are sent as raw escapes above.
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }).map((s) => encodeURIComponent((s as string & { toWellFormed(): string }).toWellFormed())) },
  { weight: 1, arbitrary: fc.constantFrom("abc123", "diagnosis", "1.0.0", randomUUID()) },
);

const QUERY_KEYS = ["agent", "cursor", "since", "until", "limit", "success", "signature", "promptVersion", "q", "k", "from", "to", "type", "minConfidence", "actionable", "errorPattern", "messagesField", "outcomeField", "successThreshold", "a[b]", "__proto__", "%00"];
const hostileQueryValue: fc.Arbitrary<string> = fc.oneof(
  hostileParam,
  fc.constantFrom("1e400", "-1", "NaN", "99999999999999999999", "0", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59-14:00", "%5E(a%2B)%2B%24", "(%3F%3Da)", Buffer.from('{"s":"2026-01-01T00:00:00Z","i":"\u0000"}').toString("base64url"), "abc"),
);

/** A hostile query string (without `?`), possibly empty, possibly repeating a key. */
export const hostileQuery: fc.Arbitrary<string> = fc.array(fc.tuple(fc.constantFrom(...QUERY_KEYS), hostileQueryValue), { maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join("&"));

const CONTENT_TYPES = ["application/json", "application/json", "application/json", "application/x-ndjson", "text/plain", "application/x-www-form-urlencoded", "application/x-protobuf", "application/json; charset=utf-16", "multipart/form-data; boundary=x", ""];

/** Hostile requests for `route` (method and express path pattern). */
export function hostileRequest(route: { method: string; path: string }): fc.Arbitrary<HostileRequest> {
  const params = route.path.match(/:\w+/g) ?? [];
  return fc
    .record({
      params: fc.array(hostileParam, { minLength: params.length, maxLength: params.length }),
      query: hostileQuery,
      body: hostileBody,
      contentType: fc.constantFrom(...CONTENT_TYPES),
      extra: fc.constantFrom<Record<string, string>>({}, {}, {}, { "content-encoding": "gzip" }, { "content-encoding": "x-unknown" }, { authorization: "Bearer not-a-key" }, { accept: "application/x-protobuf" }),
    })
    .map(({ params: values, query, body, contentType, extra }) => {
      let i = 0;
      const path = route.path.replace(/:\w+/g, () => values[i++]!) + (query ? `?${query}` : "");
      // Every POST carries a hostile body: a route that must refuse it cannot start real work.
      const sendBody = route.method !== "GET";
      return {
        method: route.method,
        path,
        headers: { ...(sendBody && contentType ? { "content-type": contentType } : {}), ...extra },
        ...(sendBody ? { body: body.bytes } : {}),
        family: `${sendBody ? body.family : "no body"}; content-type ${contentType || "(none)"}; ${JSON.stringify(extra)}`,
      };
    });
}

/**
 * Fixed first cases for `route`, so that even a short run sends each strict family to it: a NUL
 * and an unpaired-surrogate escape in every path parameter and in the query, and JSON bodies
 * with a NUL, an unpaired surrogate, an overflowing number and nesting past the limit.
 */
export function hostileExamples(route: { method: string; path: string }): HostileRequest[] {
  const post = route.method !== "GET";
  const hasParams = /:\w+/.test(route.path);
  const at = (v: string) => route.path.replace(/:\w+/g, v);
  // A POST always carries a body no route may accept: the case is about the rest of the request.
  const req = (path: string, family: string, body = '{"x":"\\u0000"}'): HostileRequest =>
    post ? { method: route.method, path, headers: { "content-type": "application/json" }, body: Buffer.from(body), family } : { method: route.method, path, headers: {}, family };
  const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
  return [
    ...(hasParams ? [req(at("%00"), "example: NUL in path"), req(at("%ED%A0%80"), "example: surrogate escape in path"), req(at("%FF"), "example: invalid UTF-8 in path")] : []),
    req(`${at("abc")}?agent=%00&q=%00&cursor=%00&since=%00`, "example: NUL in query"),
    req(`${at("abc")}?agent=%FF&q=%FF`, "example: invalid UTF-8 in query"),
    ...(post
      ? [
          req(at("abc"), "example: NUL in body", `{"traces":[{"id":"ex-nul","agent":"a\\u0000","startedAt":"2026-01-01T00:00:00Z"}],"agent":"a\\u0000","task_description":"a\\u0000","inputs":{"q":"a\\u0000"},"to":"1.0.0","success":true,"feedback":"a\\u0000"}`),
          req(at("abc"), "example: unpaired surrogate in body", `{"traces":[{"id":"ex-sur","agent":"\\ud800","startedAt":"2026-01-01T00:00:00Z"}],"agent":"\\ud800","task_description":"\\ud800","inputs":{"q":"\\ud800"},"success":true,"feedback":"\\ud800"}`),
          req(at("abc"), "example: 1e400 in body", `{"traces":[{"id":"ex-inf","agent":"a","startedAt":"2026-01-01T00:00:00Z","input":1e400}],"agent":"a","task_description":"t","total_budget_tokens":1e400,"inputs":{"q":1e400},"success":true,"score":1e400}`),
          req(at("abc"), "example: nesting 10,000 deep in body", `{"traces":[{"id":"ex-deep","agent":"a","startedAt":"2026-01-01T00:00:00Z","input":${deep}}],"agent":"a","task_description":"t","inputs":{"q":${deep}},"success":true}`),
        ]
      : []),
  ];
}
