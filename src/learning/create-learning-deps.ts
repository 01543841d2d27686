// Builds the learning cycle's dependencies from configuration: the analyzer, the compiler
// (evaluation + gate, run as a dry run) and the git registry, which commits a promoted candidate
// (auto mode: serving branch; review mode: review branch + pull-request text) and mirrors a
// rejected one. Shared by the service, the CLI and the demo.
import path from "node:path";
import type { Config } from "../config/index.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import { UnrecoverableError } from "../errors.js";
import type { ChatModel } from "../llm/chat-model.js";
import type { Embedder } from "../llm/embedder.js";
import type { RegistryDeps } from "../registry/registry-deps.js";
import type { AnalyzeOutcome, CompileOutcome, LearningDeps, LearningTarget } from "./learning-deps.js";
import { throwIfAborted } from "./cycle-aborted.js";
import { targetsFromTraces } from "./new-traces.js";
import { compileSettingsFrom } from "../compiler/create-compile-deps.js";

export interface CreateLearningDepsOptions {
  config: Config;
  db: Database;
  logger: Logger;
  /** Directory prompts_dir and prompts_repo_dir are relative to. Default: process.cwd(). */
  cwd?: string;
  /** Overrides the configured model (tests, demo). Default: built from LLM_BASE_URL/LLM_MODEL. */
  model?: ChatModel;
  embedder?: Embedder;
  /** Overrides the registry (tests). Default: built from configuration on first use. */
  registry?: RegistryDeps;
}

/** The production wiring of analyze → compile → gate → commit. */
export function createLearningDeps(options: CreateLearningDepsOptions): LearningDeps {
  const { config, db, logger } = options;
  const cwd = options.cwd ?? process.cwd();
  const promptsDir = path.resolve(cwd, config.promptsDir);
  let registry: Promise<RegistryDeps> | undefined;
  const getRegistry = () =>
    (registry ??= options.registry ? Promise.resolve(options.registry) : import("../registry/registry-deps.js").then((m) => m.createRegistryDeps(config, db.prisma, logger, { cwd })));

  return {
    async listTargets(tenant) {
      const { loadSignatures } = await import("../signature/load-signatures.js");
      const signatures = await loadSignatures(promptsDir).catch(() => []);
      const fromPrompts: LearningTarget[] = signatures.map((s) => ({ signature: s.signature.name, agent: s.signature.agent ?? s.signature.name }));
      // Without signature sources, report what traces show so status and "too few traces" still
      // explain themselves; compiling such a target fails with the missing file named.
      return fromPrompts.length > 0 ? fromPrompts : targetsFromTraces(db, tenant);
    },

    async analyze({ tenant, agent, signal }): Promise<AnalyzeOutcome> {
      const { analyzeAgent } = await import("../analyzer/analyze-agent.js");
      const run = await analyzeAgent(db, {
        tenant,
        agent,
        minTraces: config.minTracesForAnalysis,
        confidenceThreshold: config.confidenceThreshold,
        ...(config.analysisWindowDays ? { windowDays: config.analysisWindowDays } : {}),
        logger,
        ...(signal ? { signal } : {}),
      });
      const found = run.patterns.filter((p) => p.change !== "vanished");
      return { runId: run.runId, tracesRead: run.tracesRead, patternsFound: found.length, actionablePatterns: found.filter((p) => p.actionable).length };
    },

    async compile({ tenant, target, maxLlmCalls, signal }): Promise<CompileOutcome> {
      const model = options.model ?? (await configuredModel(config, logger));
      const embedder = options.embedder ?? (await import("../llm/create-embedder.js")).createEmbedder(config, { logger });
      const reg = await getRegistry();
      if (!reg.store) throw new UnrecoverableError("prompts_repository_unavailable", `cannot commit versions: ${reg.storeError ?? "no prompts repository"}`);
      const { compileSignature } = await import("../compiler/compile-signature.js");
      const report = await compileSignature(
        {
          pool: db.pool,
          store: reg.store,
          model,
          embedder,
          ...(config.demoRetrieval ? { similarTraces: (await import("../memory/similar-traces.js")).createSimilarTraces({ db, embedder, logger }) } : {}),
          logger,
          ...(signal ? { signal } : {}),
          settings: compileSettingsFrom(config, cwd),
        },
        // A dry run: the registry below commits, so the baseline, review mode, the mirror and
        // the pull-request text are handled in one place.
        { tenant, name: target.signature, dryRun: true, maxLlmCalls },
      );
      const base = {
        parentVersion: report.parentStored ? report.parent.version : null,
        score: report.evaluation.candidate?.mean ?? null,
        parentScore: report.evaluation.parent?.mean ?? null,
        candidatesTried: report.candidatesTried,
        llmCalls: report.spend.llmCalls,
        promptTokens: report.spend.promptTokens,
        completionTokens: report.spend.completionTokens,
        guidelinesBefore: report.parent.guidelines,
        guidelinesAfter: report.candidate?.guidelines ?? report.parent.guidelines,
      };
      const candidate = report.candidate;
      const unchanged = candidate !== null && JSON.stringify([candidate.instructions, candidate.guidelines, candidate.demos]) === JSON.stringify([report.parent.instructions, report.parent.guidelines, report.parent.demos]);
      if (!candidate || unchanged) return { ...base, verdict: "no_candidate", reason: report.verdict.reason, candidateVersion: null };
      const { recordCandidate } = await import("../registry/record-candidate.js");
      // Last checkpoint: recordCandidate (baseline commit, candidate commit + tag, mirror) gets no
      // signal, so once it starts it finishes and git and the mirror never disagree.
      throwIfAborted(signal, `recording ${target.signature}`);
      const summary = `${report.optimizer}, dev score ${fmt(base.parentScore)} → ${fmt(base.score)}`;
      if (!report.verdict.promoted) {
        const rec = await recordCandidate(reg, { tenant, candidate, verdict: "rejected", summary, reason: report.verdict.reason });
        return { ...base, verdict: "rejected", reason: report.verdict.reason, candidateVersion: rec.version };
      }
      const rec = await recordCandidate(reg, { tenant, candidate, verdict: "promoted", summary: `${summary}\n\n${report.verdict.reason}` });
      return {
        ...base,
        verdict: "promoted",
        reason: report.verdict.reason,
        parentVersion: rec.parent,
        candidateVersion: rec.version,
        ...(rec.saved ? { saved: { version: rec.version, commit: rec.saved.commit, branch: rec.saved.branch, mode: rec.action === "review-branch" ? ("review" as const) : ("auto" as const) } } : {}),
      };
    },
  };
}

const fmt = (v: number | null) => (v === null ? "–" : v.toFixed(3));

async function configuredModel(config: Config, logger: Logger): Promise<ChatModel> {
  const { createChatModel, isChatModelConfigured } = await import("../llm/create-chat-model.js");
  // Without a model nothing can be evaluated: fail the cycle once, clearly, instead of
  // recording a rejected candidate every interval.
  if (!isChatModelConfigured(config)) throw new UnrecoverableError("llm_not_configured", "learning needs a model to evaluate candidates: set LLM_BASE_URL and LLM_MODEL");
  return createChatModel(config, { logger });
}
