// The optimizer contract (DSPy/Ax style): from the signature, the version in service, training
// examples and a metric, propose one candidate version. Optimizers never see the dev set.
import type { CompiledVersion } from "../../domain/compiled-version.js";
import type { Signature } from "../../domain/signature.js";
import type { ChatModel } from "../../llm/chat-model.js";
import type { Embedder } from "../../llm/embedder.js";
import type { Logger } from "../../log/logger.js";
import type { Example } from "../example.js";
import type { Metric } from "../metrics/metric.js";
import type { AgentPatterns } from "../../analyzer/latest-patterns.js";
import type { ExampleTools } from "../evaluate-version.js";

/** The parts of a version an optimizer may change. */
export type Candidate = Pick<CompiledVersion, "instructions" | "guidelines" | "demos"> & {
  /** Human-readable notes on what was changed and why (shown by the CLI). */
  notes: string[];
};

/** A training example retrieved for the inputs a version will serve, with its best cosine similarity to them. */
export interface RetrievedDemo {
  id: string;
  similarity: number;
}

/**
 * Similar-trace retrieval for demo selection: among `candidates` (training examples the optimizer
 * may use as demos), the `perInput` nearest to each input the version will be judged on (the
 * dev-set inputs, which stay hidden behind this function), merged and most similar first.
 * An empty answer means "no retrieval": the optimizer falls back to the whole pool.
 */
export type DemoRetriever = (candidates: readonly Example[], perInput: number) => Promise<RetrievedDemo[]>;

export interface OptimizerOptions {
  /** Budgeted model; reflective proposals and minibatch evaluation need it. */
  model?: ChatModel;
  /** For diverse demo selection (MMR); lexical similarity is used without it. */
  embedder?: Embedder;
  /** Favours demos near the dev-set inputs (config `demo_retrieval`); without it demos are diverse picks from the whole pool. */
  retrieveDemos?: DemoRetriever;
  /** The analyzer's latest findings for the signature's agent. */
  patterns: AgentPatterns;
  /** Minimum pattern confidence for a guideline (config `confidence_threshold`). */
  confidenceThreshold: number;
  /** Demos in a candidate. Default 4. */
  maxDemos?: number;
  /** Seed for every random choice. */
  seed: string;
  /** The current version's tools (the service's, or each example's recorded results): minibatch evaluations run them. */
  tools?: ExampleTools;
  logger: Logger;
}

export interface Optimizer {
  readonly name: string;
  compile(signature: Signature, current: CompiledVersion, trainset: Example[], metric: Metric, options: OptimizerOptions): Promise<Candidate>;
}

/** The candidate that changes nothing. */
export const unchanged = (current: CompiledVersion): Candidate => ({ instructions: current.instructions, guidelines: current.guidelines, demos: current.demos, notes: [] });
