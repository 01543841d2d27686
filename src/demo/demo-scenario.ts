// The demo's world: an SRE diagnosis signature, a stream of incidents of two kinds, and the
// simulator bank that plants what helps the model — seeing a solved incident of the same kind
// (a few-shot demo) makes it right; without one it is right only ~30 % of the time. A failure
// pattern is planted too: on DNS incidents the agent often restarts the pod first, and that tool
// call fails; the analyzer finds it (direct evidence: the tool's own failed calls), and the
// guideline it becomes also helps the model on those incidents.
import type { BankInput } from "../simulator/index.js";

export const SIGNATURE_NAME = "diagnosis";

export const SIGNATURE_SOURCE = `# Demo signature: classify an incident report into a fault type.
name: ${SIGNATURE_NAME}
description: Decides which kind of fault an incident report describes.
inputs:
  - name: incidentReport
    description: The alert text and first observations of the on-call engineer.
outputs:
  - name: faultType
    description: Kind of fault.
    type: enum
    values: [misconfiguration, resource_exhaustion, network, dependency_failure, code_bug]
instructions: Read the incident report and name the kind of fault.
# Every resolved incident carries the fault type the engineer confirmed, so every trace is a
# usable gold example (threshold 0); its score says whether the agent itself was right.
metric:
  name: exact_match
  field: faultType
  threshold: 0
`;

export const BANK: BankInput = {
  families: [
    {
      id: "disk-pressure",
      match: { keywords: ["disk usage"] },
      answer: { faultType: "resource_exhaustion" },
      wrongAnswer: { faultType: "code_bug" },
      baseAccuracy: 0.3,
      fixedBy: ["disk usage at"],
    },
    {
      id: "dns-failure",
      match: { keywords: ["could not resolve"] },
      answer: { faultType: "network" },
      wrongAnswer: { faultType: "misconfiguration" },
      baseAccuracy: 0.3,
      fixedBy: ["restart_pod"],
    },
  ],
};

/**
 * The playground's bank (`serve --simulate`): its traffic has no tool calls, so no failure
 * pattern to learn a guideline from; a solved incident of the same kind (a demo) fixes both kinds.
 */
export const PLAYGROUND_BANK: BankInput = {
  families: BANK.families!.map((f) => (f.id === "dns-failure" ? { ...f, fixedBy: [...(f.fixedBy ?? []), "could not resolve host"] } : f)),
};

export interface Incident {
  report: string;
  faultType: string;
  /** The tool calls the agent made on it (recorded as the trace's steps). */
  toolCalls: Array<{ name: string; arguments: Record<string, unknown>; success: boolean; response?: string; error?: string }>;
}

const SERVICES = ["checkout", "payments", "search", "cart", "auth", "catalog", "shipping", "reviews"];

/** The `i`-th incident of the stream (deterministic). */
export function incident(i: number): Incident {
  const service = SERVICES[i % SERVICES.length]!;
  const pod = `${service}-${(i * 7919) % 997}`;
  const getLogs = { name: "get_logs", arguments: { pod }, success: true, response: `logs of ${pod}` };
  if (i % 2 === 0) {
    return {
      report: `Alert #${i}: ${service} pods evicted; disk usage at ${90 + (i % 10)}% on node-${i % 7}`,
      faultType: "resource_exhaustion",
      toolCalls: [getLogs, { name: "check_disk", arguments: { node: `node-${i % 7}` }, success: true, response: `/dev/sda1 ${90 + (i % 10)}% used` }],
    };
  }
  // The planted failure: two DNS incidents in three, the agent restarts the pod before looking at
  // name resolution, and the restart fails.
  const restart = i % 3 !== 0 ? [{ name: "restart_pod", arguments: { pod }, success: false, error: `restart of ${pod} did not help: could not resolve host ${service}-db.shop.svc` }] : [];
  return {
    report: `Alert #${i}: ${service} returns 502; logs say: could not resolve host ${service}-db.shop.svc (attempt ${i % 5})`,
    faultType: "network",
    toolCalls: [...restart, getLogs, { name: "check_dns", arguments: { host: `${service}-db.shop.svc` }, success: true, response: "NXDOMAIN" }],
  };
}

/** The demo's price list, USD per million tokens (a made-up but typical hosted-model price). */
export const DEMO_PRICE_PER_MILLION_TOKENS = { prompt: 0.5, completion: 1.5 };

/** What a run of the demo agent costs at DEMO_PRICE_PER_MILLION_TOKENS. */
export const demoCostUsd = (promptTokens: number, completionTokens: number): number =>
  Number(((promptTokens * DEMO_PRICE_PER_MILLION_TOKENS.prompt + completionTokens * DEMO_PRICE_PER_MILLION_TOKENS.completion) / 1_000_000).toFixed(8));
