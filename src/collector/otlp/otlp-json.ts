// The subset of OTLP/HTTP JSON (ExportTraceServiceRequest) the collector reads, validated with
// zod, and a reader for OTLP's typed attribute values.
import { z } from "zod";

const AnyValue: z.ZodType<unknown> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: z.union([z.string(), z.number()]).optional(),
    doubleValue: z.union([z.number(), z.string()]).optional(),
    arrayValue: z.object({ values: z.array(AnyValue).default([]) }).optional(),
    kvlistValue: z.object({ values: z.array(KeyValue).default([]) }).optional(),
    bytesValue: z.string().optional(),
  }),
);
const KeyValue: z.ZodType<{ key: string; value?: unknown }> = z.lazy(() => z.object({ key: z.string(), value: AnyValue.optional() }));

const nanos = z.union([z.string().regex(/^\d+$/, "expected nanoseconds since the epoch"), z.number().nonnegative()]);

export const OtlpSpanSchema = z.object({
  traceId: z.string().min(1),
  spanId: z.string().min(1),
  parentSpanId: z.string().optional(),
  name: z.string().default(""),
  kind: z.union([z.number(), z.string()]).optional(),
  startTimeUnixNano: nanos,
  endTimeUnixNano: nanos.optional(),
  attributes: z.array(KeyValue).default([]),
  status: z.object({ code: z.union([z.number(), z.string()]).optional(), message: z.string().optional() }).optional(),
});
export type OtlpSpan = z.infer<typeof OtlpSpanSchema>;

export const OtlpRequestSchema = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: z.object({ attributes: z.array(KeyValue).default([]) }).optional(),
        scopeSpans: z.array(z.object({ spans: z.array(z.unknown()).default([]) })).default([]),
      }),
    )
    .default([]),
});

type Kv = { key: string; value?: unknown };

/** Plain JS value of an OTLP AnyValue. */
export function anyValue(v: unknown): unknown {
  if (!v || typeof v !== "object") return undefined;
  const a = v as Record<string, any>;
  if (a.stringValue !== undefined) return a.stringValue;
  if (a.boolValue !== undefined) return a.boolValue;
  if (a.intValue !== undefined) return Number(a.intValue);
  if (a.doubleValue !== undefined) return Number(a.doubleValue);
  if (a.arrayValue) return (a.arrayValue.values ?? []).map(anyValue);
  if (a.kvlistValue) return attributes(a.kvlistValue.values ?? []);
  if (a.bytesValue !== undefined) return a.bytesValue;
  return undefined;
}

/** OTLP attributes as a plain record. */
export function attributes(list: readonly Kv[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list) out[kv.key] = anyValue(kv.value);
  return out;
}

/** Nanoseconds since the epoch (string or number) → ISO date and milliseconds. */
export function nanosToMs(n: string | number): number {
  return typeof n === "number" ? n / 1e6 : Number(BigInt(n) / 1000n) / 1000;
}
