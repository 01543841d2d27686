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
import type { ToolRunner } from "../signature/complete-with-tools.js";
import type { RegistryDeps } from "../registry/registry-deps.js";
import type { AnalyzeOutcome, CompileOutcome, LearningDeps, LearningTarget } from "./learning-deps.js";
import { targetsFromTraces } from "./new-traces.js";

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
  /** The service tools signatures are evaluated with (the service passes its orchestrator's). Default: built from configuration on first use. */
  toolRunner?: ToolRunner;
}

/** The production wiring of analyze → compile → gate → commit. */
export function createLearningDeps(options: CreateLearningDepsOptions): LearningDeps {
  const { config, db, logger } = options;
  const cwd = options.cwd ?? process.cwd();
  const promptsDir = path.resolve(cwd, config.promptsDir);
  let registry: Promise<RegistryDeps> | undefined;
  // Analysis and compilation share one embedder: the caller's, else the configured one, made on first use.
  let embedder: Embedder | undefined = options.embedder;
  const getEmbedder = async (): Promise<Embedder> => (embedder ??= (await import("../llm/create-embedder.js")).createEmbedder(config, { logger }));
  const getRegistry = () =>
    (registry ??= options.registry ? Promise.resolve(options.registry) : import("../registry/registry-deps.js").then((m) => m.createRegistryDeps(config, db, logger, { cwd })));

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
        intents: { embedder: await getEmbedder(), sampleSize: config.analyzerIntentSample },
        logger,
        ...(signal ? { signal } : {}),
      });
      const found = run.patterns.filter((p) => p.change !== "vanished");
      return { runId: run.runId, tracesRead: run.tracesRead, patternsFound: found.length, actionablePatterns: found.filter((p) => p.actionable).length };
    },

    async syncVersions(tenant, signatures) {
      const registry = await getRegistry();
      const { syncMirror } = await import("../registry/sync-mirror.js");
      for (const name of signatures) {
        await syncMirror(registry, tenant, name).catch((e: unknown) => logger.warn({ name: "version-sync-failed", tenant, signature: name, err: e }, "could not sync the version mirror with git"));
      }
    },

    async measureDevSet(tenant, target) {
      const { loadSignature } = await import("../signature/load-signatures.js");
      const { NotFoundError } = await import("../errors.js");
      const { measureDevSet } = await import("../compiler/measure-dev-set.js");
      let loaded;
      try {
        loaded = await loadSignature(promptsDir, target.signature);
      } catch (e) {
        if (e instanceof NotFoundError) return undefined;
        throw e;
      }
      return measureDevSet(db.forTenant(tenant).pool, { tenant, signature: loaded.signature, signatureFile: loaded.file, devSetSize: config.devSetSize, holdoutFraction: config.evalHoldoutFraction });
    },
    ...(config.heuristicsEnabled
      ? {
          async refreshHeuristics({ tenant, agent, signal, maxLlmCalls }: { tenant: string; agent: string; signal?: AbortSignal; maxLlmCalls: number }) {
            const { refreshHeuristics } = await import("../heuristics/refresh-heuristics.js");
            const { heuristicsSettingsFrom } = await import("../heuristics/settings.js");
            const model = options.model ?? (await configuredModel(config, logger).catch(() => undefined));
            const r = await refreshHeuristics({ db, logger, settings: heuristicsSettingsFrom(config), ...(model ? { model } : {}) }, { tenant, agent, maxLlmCalls, ...(signal ? { signal } : {}) });
            return { added: r.fromPatterns.added + r.fromReflections.added, retired: r.values.retired.length, llmCalls: r.fromReflections.calls, tokens: r.fromReflections.tokens };
          },
        }
      : {}),

    async compile({ tenant, target, maxLlmCalls, signal }): Promise<CompileOutcome> {
      const model = options.model ?? (await configuredModel(config, logger));
      const registry = await getRegistry();
      // Learning rewrites prompts on its own: it needs git's history, tags and rollback.
      if (!registry.git) throw new UnrecoverableError("prompts_repository_unavailable", `cannot commit versions: ${registry.storeError ?? "no prompts repository"}`);
      const { createCompileDeps } = await import("../compiler/create-compile-deps.js");
      const { compileAndRecord } = await import("../compiler/compile-and-record.js");
      const compileEmbedder = await getEmbedder();
      // Signatures with the service's tools are evaluated with them, as they are served.
      const toolRunner = options.toolRunner ?? (await import("../orchestrator/tools/create-tool-runner.js")).createServiceToolRunner(config, { db, embedder: () => compileEmbedder, logger });
      const deps = await createCompileDeps({ config, db, logger, cwd, registry, model, embedder: compileEmbedder, toolRunner, ...(signal ? { signal } : {}) });
      const { report, recorded, canary } = await compileAndRecord(deps, { tenant, name: target.signature, maxLlmCalls });
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
      if (!report.candidate || report.unchanged) return { ...base, verdict: "no_candidate", reason: report.verdict.reason, candidateVersion: null };
      if (!report.verdict.promoted) return { ...base, verdict: "rejected", reason: report.verdict.reason, candidateVersion: recorded?.version ?? report.candidate.version };
      if (canary) {
        // Not served yet: the canary decides later (learning/canary/check-canaries.ts).
        return { ...base, verdict: "promoted", reason: `${report.verdict.reason}; canary started on ${Math.round(canary.settings.share * 100)}% of traffic (${canary.id})`, candidateVersion: canary.candidateVersion };
      }
      return {
        ...base,
        verdict: "promoted",
        reason: report.verdict.reason,
        parentVersion: recorded?.parent ?? base.parentVersion,
        candidateVersion: recorded?.version ?? report.candidate.version,
        ...(recorded?.saved ? { saved: { version: recorded.version, commit: recorded.saved.commit, branch: recorded.saved.branch, mode: recorded.action === "review-branch" ? ("review" as const) : ("auto" as const) } } : {}),
      };
    },
  };
}

async function configuredModel(config: Config, logger: Logger): Promise<ChatModel> {
  const { createChatModel, isChatModelConfigured } = await import("../llm/create-chat-model.js");
  // Without a model nothing can be evaluated: fail the cycle once, clearly, instead of
  // recording a rejected candidate every interval.
  if (!isChatModelConfigured(config)) throw new UnrecoverableError("llm_not_configured", "learning needs a model to evaluate candidates: set LLM_BASE_URL and LLM_MODEL");
  return createChatModel(config, { logger });
}
