// Which of a signature's declared tools the service can call, and how they are offered to the model.
// A declared tool is the service tool of the same name; its parameters are checked against the
// service's: a declaration without parameters takes the service's schema, otherwise every declared
// property must be one the service accepts, with the same type, and every argument the service
// requires must be declared required. The declared description (versioned, learnable) is what the
// model reads. Any tool the service does not have, or whose parameters do not fit: 422
// `signature_tools_unavailable`, naming each, so the author runs it with the SDK instead.
import { AppError } from "../../errors.js";
import type { ChatToolSpec } from "../../llm/chat-model.js";
import type { CompiledTool } from "../../domain/compiled-version.js";
import { toolDescriptionOf } from "../../signature/render.js";
import type { ServiceTool, ServiceToolbox } from "./service-tool.js";

export interface ResolvedTools {
  /** The tools as sent to the model. */
  specs: ChatToolSpec[];
  /** The service tool behind each name. */
  byName: ReadonlyMap<string, ServiceTool>;
}

type Schema = { type?: unknown; properties?: Record<string, { type?: unknown }>; required?: unknown };

const propertiesOf = (s: Schema) => (s.properties && typeof s.properties === "object" ? s.properties : {});
const requiredOf = (s: Schema) => (Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === "string") : []);

/** Why `declared` parameters do not fit the service tool's (empty: they fit). */
export function parameterProblems(declared: Record<string, unknown>, service: Record<string, unknown>): string[] {
  const d = declared as Schema;
  const s = service as Schema;
  const dProps = propertiesOf(d);
  if (Object.keys(dProps).length === 0) return [];
  const sProps = propertiesOf(s);
  const problems: string[] = [];
  for (const [name, prop] of Object.entries(dProps)) {
    const theirs = sProps[name];
    if (!theirs) problems.push(`parameter "${name}" is not one the service accepts (it takes ${Object.keys(sProps).join(", ") || "none"})`);
    else if (prop?.type !== undefined && theirs.type !== undefined && JSON.stringify(prop.type) !== JSON.stringify(theirs.type)) problems.push(`parameter "${name}" must be of type ${JSON.stringify(theirs.type)} (declared ${JSON.stringify(prop.type)})`);
  }
  const declaredRequired = new Set(requiredOf(d));
  for (const name of requiredOf(s)) if (!declaredRequired.has(name)) problems.push(`parameter "${name}" is required by the service and must be declared required`);
  return problems;
}

/** The offered tools of a signature, or the 422 naming the tools the service cannot call. */
export function resolveSignatureTools(signature: string, declared: readonly CompiledTool[], toolbox: ServiceToolbox): ResolvedTools {
  const missing: string[] = [];
  const mismatched: { name: string; problems: string[] }[] = [];
  const specs: ChatToolSpec[] = [];
  const byName = new Map<string, ServiceTool>();
  for (const tool of declared) {
    const service = toolbox.get(tool.name);
    if (!service) {
      missing.push(tool.name);
      continue;
    }
    const problems = parameterProblems(tool.parameters, service.parameters);
    if (problems.length > 0) {
      mismatched.push({ name: tool.name, problems });
      continue;
    }
    const own = Object.keys(propertiesOf(tool.parameters as Schema)).length > 0;
    specs.push({ name: tool.name, description: toolDescriptionOf(tool), parameters: own ? tool.parameters : service.parameters });
    byName.set(tool.name, service);
  }
  if (missing.length === 0 && mismatched.length === 0) return { specs, byName };
  const parts = [
    ...(missing.length > 0 ? [`declares tools the service does not have: ${missing.join(", ")} (the service's tools: ${[...toolbox.keys()].join(", ")})`] : []),
    ...mismatched.map((m) => `declares ${m.name} with parameters the service's ${m.name} does not accept: ${m.problems.join("; ")}`),
  ];
  throw new AppError(
    "signature_tools_unavailable",
    `Signature "${signature}" ${parts.join("; it ")}. Run it in your agent with the SDK's runSignature(prompt, inputs, { openai, tools }) and your own tool functions.`,
    { status: 422, details: { missing, mismatched, available: [...toolbox.keys()] } },
  );
}
