// OTLP/HTTP protobuf: decodes an ExportTraceServiceRequest into the OTLP/HTTP JSON shape that
// ingest-otlp.ts reads, and encodes the ExportTraceServiceResponse. protobufjs does the wire
// work; the schema below declares only the messages and fields the collector reads, with their
// numbers from the OTLP protocol (opentelemetry/proto: collector/trace/v1, trace/v1,
// resource/v1, common/v1). Protobuf decoders skip fields a schema does not declare, so spans
// carrying events, links or newer fields decode the same way.
import protobuf from "protobufjs";
import { ValidationError } from "../../errors.js";
import type { OtlpExportResponse } from "./ingest-otlp.js";

const OTLP_SUBSET = `
syntax = "proto3";
package otlp;

message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
message ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }

message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message Resource { repeated KeyValue attributes = 1; }
message ScopeSpans { repeated Span spans = 2; }

message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  bytes parent_span_id = 4;
  string name = 5;
  int32 kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  Status status = 15;
}
message Status { string message = 2; int32 code = 3; }

message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
`;

const root = protobuf.parse(OTLP_SUBSET).root;
const Request = root.lookupType("otlp.ExportTraceServiceRequest");
const Response = root.lookupType("otlp.ExportTraceServiceResponse");

/** Content types of OTLP/HTTP protobuf. */
export const OTLP_PROTOBUF_TYPES = ["application/x-protobuf", "application/protobuf"];

const hex = (base64: unknown) => (typeof base64 === "string" ? Buffer.from(base64, "base64").toString("hex") : base64);

/**
 * An OTLP/HTTP protobuf body as OTLP/HTTP JSON: lowerCamelCase fields, 64-bit integers as
 * decimal strings, trace and span ids as hex, `bytesValue` as base64 (the JSON encoding's rules).
 * A body that is not protobuf throws ValidationError (400).
 */
export function decodeOtlpProtobuf(body: Uint8Array): unknown {
  let request: { resourceSpans: { scopeSpans?: { spans?: Record<string, unknown>[] }[] }[] };
  try {
    // protobufjs recurses per nested message: values nested thousands deep overflow the stack
    // in decode or toObject (a RangeError), which is malformed input like any other.
    const message = Request.decode(body);
    request = Request.toObject(message, { longs: String, bytes: String, enums: Number, arrays: true }) as typeof request;
  } catch (e) {
    const reason = e instanceof RangeError ? "values are nested too deeply" : (e as Error).message;
    throw new ValidationError(`Body is not an OTLP protobuf ExportTraceServiceRequest: ${reason}`, [{ path: "(root)", message: reason }]);
  }
  for (const rs of request.resourceSpans) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        for (const key of ["traceId", "spanId", "parentSpanId"]) span[key] = hex(span[key]);
        // proto3 leaves an empty parent id for a root span; JSON exporters omit it.
        if (span["parentSpanId"] === "") delete span["parentSpanId"];
      }
    }
  }
  return request;
}

/** The export's answer as a protobuf ExportTraceServiceResponse (empty when all spans were accepted). */
export function encodeOtlpResponse(result: OtlpExportResponse): Uint8Array {
  return Response.encode(Response.fromObject(result.partialSuccess ? { partialSuccess: result.partialSuccess } : {})).finish();
}
