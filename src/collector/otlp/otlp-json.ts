// The subset of OTLP/HTTP JSON (ExportTraceServiceRequest) the collector reads, validated with
// zod, and a reader for OTLP's typed attribute values.
import { z } from "zod";
import { isStorableMs } from "../../domain/input-safety.js";

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

// Nanoseconds since the epoch, within the instants a trace can store (years 0001..9999): larger
// values used to reach `new Date(...).toISOString()` and throw a RangeError (a 500).
const nanos = z
  .union([z.string().regex(/^\d{1,30}$/, "expected nanoseconds since the epoch"), z.number().nonnegative()])
  .refine((n) => isStorableMs(nanosToMs(n)), "is out of range: the instant must lie in years 0001..9999");

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
}).refine((s) => s.endTimeUnixNano === undefined || nanosToMs(s.endTimeUnixNano) >= nanosToMs(s.startTimeUnixNano), { path: ["endTimeUnixNano"], message: "must not be before startTimeUnixNano (the duration would be negative)" });
export type OtlpSpan = z.infer<typeof OtlpSpanSchema>;

export const OtlpRequestSchema = z.object({
  resourceSpans: z
    .array(
      z.object({
        // Read after the envelope, once input-safety has checked it (deep nesting would overflow the stack).
        resource: z.unknown().optional(),
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

/** OTLP attributes as a plain record. Every key is data: `__proto__` becomes an own key, not the prototype. */
export function attributes(list: readonly Kv[]): Record<string, unknown> {
  return Object.fromEntries(list.map((kv) => [kv.key, anyValue(kv.value)]));
}

/** An OTLP Resource: its attributes. */
export const OtlpResourceSchema = z.object({ attributes: z.array(KeyValue).default([]) });

/** Nanoseconds since the epoch (string or number) → ISO date and milliseconds. */
export function nanosToMs(n: string | number): number {
  return typeof n === "number" ? n / 1e6 : Number(BigInt(n) / 1000n) / 1000;
}
