// Compiling one signature for one tenant: load the signature and the tenant's traces, let an
// optimizer propose a candidate, evaluate candidate and parent on the same dev examples, gate.
// It returns a report and saves nothing: compiler/compile-and-record.ts is the one use case that
// compiles and records the outcome (CLI, HTTP and learning cycles all call it).
import type { Database } from "../db/database.js";
import type { CompiledTool, CompiledVersion } from "../domain/compiled-version.js";
import { nextVersion } from "../domain/version-bump.js";
import type { ChatModel } from "../llm/chat-model.js";
import type { Embedder } from "../llm/embedder.js";
import type { Logger } from "../log/logger.js";
import type { SimilarTraces } from "../memory/similar-traces.js";
import type { PromptStore } from "../registry/prompt-store.js";
import { baselineVersion } from "../domain/baseline-version.js";
import { CompileBudgetExceededError, createBudget, type BudgetSpend } from "./budget.js";
import { createDemoRetriever } from "./create-demo-retriever.js";
import { evaluateVersion, type ExampleScore, type ExampleTools } from "./evaluate-version.js";
import { decidePromotion, type Verdict } from "./gate.js";
import { loadExamples } from "./load-examples.js";
import { loadLatestPatterns } from "../analyzer/latest-patterns.js";
import { loadSignature } from "../signature/load-signatures.js";
import { toolDescriptionOf } from "../signature/render.js";
import type { ToolRunner } from "../signature/complete-with-tools.js";
import { resolveMetric } from "./metrics/resolve-metric.js";
import { createOptimizer } from "./optimizers/index.js";
import type { Candidate } from "./optimizers/optimizer.js";
import type { Signature, SignatureTool } from "../domain/signature.js";
import { splitForCompile } from "./measure-dev-set.js";
import { isCorrected } from "./example.js";
import { devFlips } from "./dev-flips.js";
import type { DevFlips } from "../domain/dev-flip.js";
import { isHeldOut } from "./split-examples.js";
import { collectSources } from "./collect-sources.js";
import { withHeuristics } from "./with-heuristics.js";
import { selectHeuristics } from "../heuristics/select-heuristics.js";
import { countSources, sourcesRoot, type VersionSource } from "../domain/version-sources.js";
import { hashHeuristics } from "../heuristics/heuristic-store.js";
import type { Guideline } from "../domain/compiled-version.js";
import { induceToolGuidelines, toolGuidelineNotes } from "./induce-tool-guidelines.js";
import { describeReplay, REPLAY_MAX_ROUNDS, replayTools, type ReplayTools } from "./replay-tools.js";
import { loadRecordedToolCalls, type RecordedToolCall } from "../collector/query/recorded-tool-calls.js";
import { pairedBootstrap, summarizeScores, type PairedComparison, type ScoreSummary } from "./statistics.js";
import { describeObjective, objectiveValues, type ObjectiveSettings, type ScoredRun } from "./objective.js";

const runsOf = (scores: readonly ExampleScore[]): ScoredRun[] => scores.map((s) => ({ score: s.score, tokens: s.tokens ?? 0 }));

/**
 * Preference among search finalists scored on the same dev examples: the best objective mean,
 * except that a finalist equal to the best within the paired interval and cheaper in tokens is
 * preferred (issue 27: of two equal candidates, the cheaper).
 */
export function preferFinalists(finalists: readonly ScoredRun[][], objective: ObjectiveSettings, confidence: number): number[] {
  const reference = finalists[0] ?? [];
  const values = finalists.map((runs) => objectiveValues(runs, objective, reference));
  const means = values.map((v) => (v.length === 0 ? 0 : v.reduce((a, b) => a + b, 0) / v.length));
  const best = means.indexOf(Math.max(...means));
  const tokens = finalists.map((runs) => (runs.length === 0 ? 0 : runs.reduce((a, r) => a + r.tokens, 0) / runs.length));
  let chosen = best;
  finalists.forEach((_, i) => {
    if (i === best || tokens[i]! >= tokens[chosen]!) return;
    const diff = pairedBootstrap(values[i]!, values[best]!, { confidence });
    if (diff.ci[0] <= 0 && diff.ci[1] >= 0) chosen = i;
  });
  return means.map((m, i) => (i === chosen ? Math.max(...means) + 1 : m));
}

/**
 * The note a reviewer needs when the declared tools did not run in the service (they live in the
 * agent, which calls them through the SDK): the dev set replayed each run's recorded results, or,
 * when the runs recorded none, was evaluated without tools.
 */
function agentToolsNote(tools: readonly CompiledTool[] | undefined, replays: readonly ReplayTools[]): string[] {
  if (!tools || tools.length === 0) return [];
  if (replays.length === 0) return [`evaluated without tools: ${tools.map((t) => t.name).join(", ")} run in the agent (the SDK's runSignature) and its runs recorded no tool calls, so the dev-set scores measure the prompt without their results`];
  const counts = replays.reduce((sum, r) => ({ exact: sum.exact + r.counts.exact, byName: sum.byName + r.counts.byName, unrecorded: sum.unrecorded + r.counts.unrecorded }), { exact: 0, byName: 0, unrecorded: 0 });
  return [describeReplay(tools, counts)];
}

/** What compilation needs, as plain values and ports. */
export interface CompileDeps {
  /** The database; examples and patterns are read in the requesting tenant's scope. */
  db: Pick<Database, "forTenant">;
  /** Where the tenant's served version (the parent) is read. */
  store: Pick<PromptStore, "latest">;
  /** The configured model; without it candidates cannot be evaluated (nor proposed by search/reflective). */
  model?: ChatModel;
  embedder?: Embedder;
  /**
   * Similar-trace retrieval (config `demo_retrieval`): demos are then chosen among the successful
   * training traces nearest to the dev-set inputs. Without it, diverse demos from the whole pool.
   */
  similarTraces?: SimilarTraces;
  logger: Logger;
  settings: CompileSettings;
  /**
   * The shared heuristics library (config heuristics_enabled): the active heuristics whose scope
   * meets the signature's runs are added to the candidate's guidelines, at most `maxPerVersion`.
   * Default: none.
   */
  heuristics?: { maxPerVersion: number };
  /**
   * Where a signature's declared tools run during evaluation (the service's built-in tools; the
   * composition root passes the orchestrator's). Without it, or for tools it cannot call,
   * predictions run without tools.
   */
  toolRunner?: ToolRunner;
  /** Clock, for compiledAt. Default: now. */
  now?: () => Date;
  /**
   * Stops the compilation (a learning cycle being aborted): every model call gets it, and it is
   * checked before the optimizer, before the evaluation and before anything is saved. A save
   * that has started is not interrupted. Default: none.
   */
  signal?: AbortSignal;
}

export interface CompileSettings {
  promptsDir: string;
  /** Optimizer when the request names none (config `compile_optimizer`). */
  defaultOptimizer: string;
  devSetSize: number;
  minImprovement: number;
  promotionConfidence: number;
  confidenceThreshold: number;
  maxLlmCalls: number;
  maxTokens: number;
  maxDemos: number;
  backupOriginalPrompts: boolean;
  /** Share of traces held out for `meta-agent eval --from-traces`, never compiled from (config `eval_holdout_fraction`). Default 0. */
  evalHoldoutFraction?: number;
  /** What the gate compares (config `promotion_objective`, `objective_token_penalty`). Default: quality alone. */
  objective?: ObjectiveSettings;
}

export interface CompileSignatureRequest {
  tenant: string;
  name: string;
  optimizer?: string;
  /** Lowers the call budget (e.g. what is left of a learning cycle's budget). */
  maxLlmCalls?: number;
}

export interface CompileSpend extends BudgetSpend {
  promptTokens: number;
  completionTokens: number;
}

export interface CompileReport {
  /** Whose traces it was compiled from, and whose version it would become. */
  tenant: string;
  name: string;
  optimizer: string;
  /** The version in service (or the hand-written baseline when nothing was compiled yet). */
  parent: CompiledVersion;
  /** Whether the parent is stored; false when it is the baseline built from prompts/. */
  parentStored: boolean;
  /** The proposed version; null when the budget stopped the optimizer before it proposed one. */
  candidate: CompiledVersion | null;
  notes: string[];
  /** `devCorrected`: dev examples whose gold answer is a correction (`outcome.expected`) rather than the run's own output. */
  data: { examples: number; skipped: number; train: number; dev: number; devIds: string[]; devCorrected: number };
  evaluation: {
    metric: string;
    devSetSize: number;
    parent: ScoreSummary | null;
    candidate: ScoreSummary | null;
    /** Candidate − parent on the promotion objective (what the gate decided on). */
    comparison: PairedComparison | null;
    /** The objective compared, e.g. `quality` or `quality_cost`. */
    objective: string;
    /** Candidate − parent on quality alone, shown beside the objective. */
    qualityComparison: PairedComparison | null;
    /** Mean prompt + completion tokens per dev example. */
    tokens: { parent: number | null; candidate: number | null };
    /** Dev examples whose pass/fail changed between parent and candidate (null: not evaluated). */
    flips: DevFlips | null;
  };
  verdict: Verdict;
  spend: CompileSpend;
  /** Candidates the optimizer scored (for cycle records). */
  candidatesTried: number;
  /** True when the optimizer proposed exactly the parent's content. */
  unchanged: boolean;
  /** What the candidate was built from, with content hashes (its provenance tree's leaves); empty without a candidate. */
  sources: VersionSource[];
}

const contentKey = (v: Pick<CompiledVersion, "instructions" | "guidelines" | "demos">) => JSON.stringify([v.instructions, v.guidelines, v.demos]);
// A tool's name and parameters are the signature's shape; its description is prompt text a
// version may have learned, so it does not count.
const toolShape = (tools: SignatureTool[] | undefined) => (tools ?? []).map((t) => [t.name, t.parameters]);
const sameFields = (a: CompiledVersion, b: Pick<CompiledVersion, "inputs" | "outputs" | "tools">) =>
  JSON.stringify([a.inputs, a.outputs, toolShape(a.tools)]) === JSON.stringify([b.inputs, b.outputs, toolShape(b.tools)]);

/** The signature's tools, each keeping the description (and what was learned about it) the parent version has for it (versioned prompt text). */
const toolsFor = (signature: Signature, start: CompiledVersion): CompiledTool[] | undefined =>
  signature.tools && signature.tools.length > 0
    ? signature.tools.map((t) => {
        const kept = start.tools?.find((s) => s.name === t.name);
        return { ...t, description: kept?.description ?? t.description, ...(kept?.learned ? { learned: kept.learned } : {}) };
      })
    : undefined;
/** What was learned about each tool: prompt content too, scored when the service can run the tools (deps.toolRunner). */
/** The tools as the model reads them (names, descriptions with learned text, parameters): part of a dev evaluation's cache key when they run. */
const toolsKey = (tools: CompiledTool[] | undefined) => JSON.stringify((tools ?? []).map((t) => [t.name, toolDescriptionOf(t), t.parameters]));
const learnedKey = (tools: CompiledTool[] | undefined) => JSON.stringify((tools ?? []).map((t) => [t.name, (t.learned ?? []).map((g) => g.text)]));

/** Content hashes of the library heuristics the guidelines were drawn from. */
async function hashApplied(db: CompileDeps["db"], tenant: string, guidelines: Guideline[]): Promise<{ id: string; hash: string }[]> {
  const hashes = await hashHeuristics(db, tenant, [...new Set(guidelines.flatMap((g) => (g.heuristicId ? [g.heuristicId] : [])))]);
  return [...hashes].map(([id, hash]) => ({ id, hash }));
}

/** Compiles one signature; see the module header. Never throws for a spent budget: the report says so. */
export async function compileSignature(deps: CompileDeps, request: CompileSignatureRequest): Promise<CompileReport> {
  const { settings, logger } = deps;
  const now = deps.now?.() ?? new Date();
  const optimizerName = request.optimizer ?? settings.defaultOptimizer;
  const objective: ObjectiveSettings = settings.objective ?? { objective: "quality", tokenPenalty: 0 };
  const { signature, file } = await loadSignature(settings.promptsDir, request.name);
  const stored = await deps.store.latest(request.tenant, signature.name);
  const baseline = baselineVersion(signature, now);
  const parent = stored ?? baseline;
  // When the signature's fields changed since the stored version, compile from the new source.
  const start = stored && !sameFields(stored, signature) ? { ...baseline, version: stored.version } : parent;

  const budget = createBudget({ maxCalls: Math.min(settings.maxLlmCalls, request.maxLlmCalls ?? Infinity), maxTokens: settings.maxTokens });
  let promptTokens = 0;
  let completionTokens = 0;
  const model: ChatModel | undefined = deps.model && budget.wrap({
    model: deps.model.model,
    async complete(req) {
      deps.signal?.throwIfAborted();
      const signal = deps.signal && req.signal ? AbortSignal.any([deps.signal, req.signal]) : (deps.signal ?? req.signal);
      const res = await deps.model!.complete({ ...req, ...(signal ? { signal } : {}) });
      promptTokens += res.usage.promptTokens;
      completionTokens += res.usage.completionTokens;
      return res;
    },
  });
  const spend = (): CompileSpend => ({ ...budget.spend(), promptTokens, completionTokens });

  const metric = await resolveMetric(signature, { signatureFile: file, ...(model ? { model } : {}) });
  const { pool } = deps.db.forTenant(request.tenant);
  const all = await loadExamples(pool, request.tenant, signature);
  const heldOut = settings.evalHoldoutFraction ?? 0;
  const loaded = heldOut > 0 ? { ...all, examples: all.examples.filter((e) => !isHeldOut(e.id, heldOut)) } : all;
  // The same split status uses to say whether a cycle can promote (measure-dev-set.ts).
  const { train, dev } = splitForCompile(loaded.examples, signature, metric, settings.devSetSize);
  const patterns = await loadLatestPatterns(pool, request.tenant, signature.agent ?? signature.name);
  logger.info({ name: "compile-start", signature: signature.name, optimizer: optimizerName, examples: loaded.examples.length, train: train.length, dev: dev.length, patterns: patterns.patterns.length }, "compiling");

  // Dev-set evaluations are cached by content, so the parent, search finalists and the winner
  // are each run once.
  // A signature whose tools the service has is evaluated with them (deps.toolRunner), so the
  // text of its tool descriptions — learned text too — is measured like the rest of the prompt.
  const devCache = new Map<string, Promise<ExampleScore[]>>();
  const startTools = toolsFor(signature, start);
  const serviceLoop = (t: CompiledTool[] | undefined) => (deps.toolRunner && t && t.length > 0 ? deps.toolRunner({ name: signature.name, tools: t }, request.tenant) : undefined);
  // Tools the service cannot call live in the agent: each example's calls get the results its
  // own run recorded (replay-tools.ts); runs that recorded no tool calls leave nothing to replay.
  const agentTools = Boolean(startTools && startTools.length > 0 && !serviceLoop(startTools));
  const recorded = agentTools ? await loadRecordedToolCalls(pool, request.tenant, [...train, ...dev].map((e) => e.id)) : new Map<string, RecordedToolCall[]>();
  const replays: ReplayTools[] = [];
  const loopFor = (t: CompiledTool[] | undefined): ExampleTools | undefined => {
    const service = serviceLoop(t);
    if (service || !t || t.length === 0 || recorded.size === 0) return service;
    const replay = replayTools(t, recorded, REPLAY_MAX_ROUNDS);
    replays.push(replay);
    return (example) => replay.forExample(example);
  };
  const evaluateOnDev = (v: Pick<CompiledVersion, "instructions" | "guidelines" | "demos">, t: CompiledTool[] | undefined = startTools) => {
    const loop = loopFor(t);
    const key = loop ? `${contentKey(v)}\n${toolsKey(t)}` : contentKey(v);
    let p = devCache.get(key);
    if (!p) devCache.set(key, (p = evaluateVersion(model!, { ...start, ...v, ...(t ? { tools: t } : {}) }, dev, metric, loop ? { tools: loop } : {})));
    return p;
  };
  let candidatesTried = 0;
  const optimizer = createOptimizer(optimizerName, {
    judgeFinalists: async (cands: Candidate[]) => {
      candidatesTried += cands.length;
      const scored = await Promise.all(cands.map(async (c) => runsOf(await evaluateOnDev(c))));
      return preferFinalists(scored, objective, settings.promotionConfidence);
    },
  });

  // The optimizer sees the dev set only through this retriever: inputs to aim demos at, never
  // their traces (excluded) nor their outputs. Indexing happens on first use, so optimizers that
  // choose no demos embed nothing.
  const retrieveDemos =
    deps.similarTraces && dev.length > 0 ? createDemoRetriever(deps.similarTraces, { tenant: request.tenant, signature: signature.name, targets: dev, logger }) : undefined;

  let proposal: Candidate | null = null;
  let tools: CompiledTool[] | undefined = startTools;
  const startLoop = loopFor(startTools);
  let applied: Awaited<ReturnType<typeof selectHeuristics>> = [];
  let budgetStop: string | undefined;
  let parentScores: ExampleScore[] | null = null;
  let candidateScores: ExampleScore[] | null = null;
  try {
    deps.signal?.throwIfAborted();
    proposal = await optimizer.compile(signature, start, train, metric, {
      ...(model ? { model } : {}),
      ...(deps.embedder ? { embedder: deps.embedder } : {}),
      ...(retrieveDemos ? { retrieveDemos } : {}),
      patterns,
      confidenceThreshold: settings.confidenceThreshold,
      maxDemos: settings.maxDemos,
      seed: signature.name,
      ...(startLoop ? { tools: startLoop } : {}),
      logger,
    });
    candidatesTried = Math.max(candidatesTried, 1);
    if (deps.heuristics) {
      applied = await selectHeuristics(deps.db, request.tenant, { agent: signature.agent ?? signature.name, signature: signature.name }, deps.heuristics.maxPerVersion);
      proposal = withHeuristics(proposal, applied);
    }
    // Whatever the optimizer, direct findings about a declared tool land in its description.
    const toolInduced = induceToolGuidelines(tools, patterns.patterns, settings.confidenceThreshold);
    tools = toolInduced.tools;
    proposal = { ...proposal, notes: [...proposal.notes, ...toolGuidelineNotes(toolInduced)] };
    // A change to tool descriptions alone is evaluated too: with the service's tools it is run
    // and scored; without them the dev scores come from the cache by content, and the gate says
    // that the dev set shows no gain rather than "no change".
    if (model && dev.length > 0 && (contentKey(proposal) !== contentKey(parent) || learnedKey(tools) !== learnedKey(parent.tools))) {
      deps.signal?.throwIfAborted();
      parentScores = await evaluateOnDev(parent, parent.tools ?? startTools);
      candidateScores = await evaluateOnDev(proposal, tools);
    }
  } catch (e) {
    if (!(e instanceof CompileBudgetExceededError)) throw e;
    budgetStop = e.message;
    logger.warn({ name: "compile-budget-exhausted", signature: signature.name, spend: spend() }, e.message);
  }

  const bootstrapOptions = { confidence: settings.promotionConfidence };
  // The gate compares the promotion objective (quality alone unless configured otherwise).
  const parentRuns = parentScores ? runsOf(parentScores) : [];
  const comparison =
    parentScores && candidateScores ? pairedBootstrap(objectiveValues(runsOf(candidateScores), objective, parentRuns), objectiveValues(parentRuns, objective, parentRuns), bootstrapOptions) : null;
  const qualityComparison = parentScores && candidateScores ? pairedBootstrap(candidateScores.map((s) => s.score), parentScores.map((s) => s.score), bootstrapOptions) : null;
  const tokensPerExample = (scores: ExampleScore[] | null) => (scores && scores.length > 0 ? Math.round(scores.reduce((a, s) => a + (s.tokens ?? 0), 0) / scores.length) : null);
  const parentSummary = parentScores ? summarizeScores(parentScores.map((s) => s.score), bootstrapOptions) : null;
  const candidateSummary = candidateScores ? summarizeScores(candidateScores.map((s) => s.score), bootstrapOptions) : null;
  const unchanged = proposal !== null && contentKey(proposal) === contentKey(parent) && learnedKey(tools) === learnedKey(parent.tools) && sameFields(parent, signature);
  let verdict = decidePromotion(
    { devSetSize: dev.length, comparison, unchanged, ...(budgetStop ? { budgetExhausted: budgetStop } : {}) },
    { minImprovement: settings.minImprovement, minDevSetSize: settings.devSetSize, confidence: settings.promotionConfidence },
  );
  if (objective.objective !== "quality" && comparison) verdict = { ...verdict, reason: `${verdict.reason} (objective: ${describeObjective(objective)})` };
  if (!verdict.promoted && !budgetStop && !unchanged && !model && dev.length >= settings.devSetSize) {
    verdict = { promoted: false, reason: "no model configured to evaluate the candidate (set LLM_BASE_URL and LLM_MODEL)" };
  }

  const parentForNumbering = stored ?? baseline;
  const sources = proposal
    ? await collectSources(pool, request.tenant, {
        traceIds: loaded.examples.map((e) => e.id),
        patternIds: patterns.patterns.map((p) => p.id),
        heuristics: await hashApplied(deps.db, request.tenant, proposal.guidelines),
        demos: proposal.demos,
      })
    : [];
  const candidate: CompiledVersion | null = proposal && {
    ...start,
    instructions: proposal.instructions,
    guidelines: proposal.guidelines,
    demos: proposal.demos,
    version: nextVersion(parentForNumbering, { inputs: signature.inputs, outputs: signature.outputs, instructions: proposal.instructions }),
    parent: stored ? stored.version : settings.backupOriginalPrompts ? baseline.version : null,
    compiledAt: now.toISOString(),
    inputs: signature.inputs,
    outputs: signature.outputs,
    tools,
    evaluation: { metric: metric.name, devSetSize: dev.length, parentScore: parentSummary, score: candidateSummary },
    provenance: {
      optimizer: optimizerName,
      ...(patterns.runId ? { analysisRunId: patterns.runId } : {}),
      ...(loaded.window ? { traceWindow: loaded.window } : {}),
      llmCalls: spend().llmCalls,
      tokens: spend().tokens,
      sourcesRoot: sourcesRoot(sources),
      sources: countSources(sources),
    },
  };

  const report: CompileReport = {
    tenant: request.tenant,
    name: signature.name,
    optimizer: optimizerName,
    parent,
    parentStored: Boolean(stored),
    candidate,
    notes: [...(proposal?.notes ?? []), ...(loaded.invalidCorrections > 0 ? [`${loaded.invalidCorrections} correction(s) ignored: they name no output field of the signature, or a value its field does not accept`] : []), ...(agentTools && (parentScores || candidateScores) ? agentToolsNote(startTools, replays) : [])],
    data: { examples: loaded.examples.length, skipped: loaded.skipped, train: train.length, dev: dev.length, devIds: dev.map((e) => e.id), devCorrected: metric.needsGold ? dev.filter(isCorrected).length : 0 },
    evaluation: {
      metric: metric.name, devSetSize: dev.length, parent: parentSummary, candidate: candidateSummary, comparison, objective: objective.objective, qualityComparison, tokens: { parent: tokensPerExample(parentScores), candidate: tokensPerExample(candidateScores) },
      flips: parentScores && candidateScores ? devFlips(dev, parentScores, candidateScores, signature.metric.threshold) : null,
    },
    verdict,
    spend: spend(),
    candidatesTried,
    unchanged,
    sources,
  };
  logger.info(
    { name: verdict.promoted ? "candidate-promoted" : "candidate-rejected", tenant: request.tenant, signature: signature.name, version: candidate?.version, reason: verdict.reason, spend: report.spend },
    verdict.reason,
  );
  return report;
}
