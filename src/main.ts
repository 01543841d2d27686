// Composition root: builds the service's dependencies from configuration and starts HTTP.
// The CLI's `serve` command calls startService; other commands reuse the same builders.
import type { Express } from "express";
import type { Config } from "./config/index.js";
import type { Logger } from "./log/logger.js";
import { openDatabase, type Database } from "./db/database.js";
import { createApp } from "./http/app.js";
import { apiKeyAuth, keysRequiredCheck } from "./http/api-key-auth.js";
import { operatorAuth } from "./http/operator-auth.js";
import { isLoopbackHost, resolveBindHost } from "./http/bind-host.js";
import { metricsRoutes } from "./http/routes/metrics.js";
import { setMetricsLogger } from "./observability/metrics.js";
import { hasActiveApiKeys } from "./tenancy/list-api-keys.js";
import { ensureBootstrapKey } from "./tenancy/ensure-bootstrap-key.js";
import { learningRoutes } from "./http/routes/learning.js";
import { createLearningDeps } from "./learning/create-learning-deps.js";
import { startLearningScheduler, type LearningScheduler } from "./learning/scheduler.js";
import { listTenants, runScheduledCycles } from "./learning/run-scheduled-cycles.js";
import { collectorRouters } from "./http/routes/collector-routes.js";
import { patternRoutes } from "./http/routes/patterns.js";
import { listen } from "./http/server.js";
import { orchestratorRoutes } from "./http/routes/orchestrator.js";
import { openApiRoutes } from "./http/routes/openapi.js";
import { routingRoutes } from "./http/routes/routing.js";
import { createRoutingDeps } from "./learning/create-routing-deps.js";
import { retrainRoutingPolicies } from "./learning/retrain-routing-policies.js";
import { taskRoutes } from "./http/routes/tasks.js";
import { createOrchestrator, type Orchestrator } from "./orchestrator/create-orchestrator.js";
import { createTaskRunner, taskRunnerSettingsFrom } from "./tasks/create-task-runner.js";
import { writeServiceState, removeServiceState } from "./runtime/state-file.js";
import { VERSION } from "./version.js";
import { createRegistryDeps } from "./registry/registry-deps.js";
import { versionRoutes } from "./http/routes/versions.js";
import { heuristicRoutes } from "./http/routes/heuristics.js";
import { heuristicsSettingsFrom } from "./heuristics/settings.js";
import { createEmbedder, type EmbedderService } from "./llm/create-embedder.js";
import { libraryRoutes } from "./http/routes/library.js";
import { searchLibrary } from "./librarian/search-library.js";
import { startCacheSweeper, type CacheSweeper } from "./memory/cache-sweeper.js";
import { uiRoutes } from "./ui/ui-routes.js";
import type { UiDeps } from "./ui/ui-deps.js";
import { missingUiAssets } from "./ui/assets-files.js";
import { listCanaryRows } from "./ui/canary-rows.js";
import { evalRoutes } from "./http/routes/eval.js";
import { canaryRoutes } from "./http/routes/canaries.js";
import { checkCanaries, type CheckCanariesDeps } from "./learning/canary/check-canaries.js";
import { evalSettingsFrom } from "./compiler/eval/evaluate-signature.js";

export interface Service {
  readonly url: string;
  /** The express application (its router lists every route the service answers). */
  readonly app: Express;
  readonly db: Database;
  /**
   * Graceful stop: abort a running learning cycle (recorded as aborted with `reason`, default
   * "the service is stopping"), drain HTTP, close the database, stop the embedded server. Idempotent.
   */
  close(reason?: string): Promise<void>;
}

export interface StartServiceOptions {
  /** The database, already being opened by the caller (so that it starts while this module loads). Default: opened here. */
  database?: Promise<Database>;
  /** The process's embedder (tests give a local encoder whose model cannot load). Default: built from configuration. */
  embedder?: EmbedderService;
  /** Optional dashboard sources (the canary state of a tenant). Default: none. */
  ui?: Pick<UiDeps, "canaries">;
}

export async function startService(config: Config, logger: Logger, options: StartServiceOptions = {}): Promise<Service> {
  const db = await (options.database ?? openDatabase(config, logger));
  let shuttingDown = false;
  // Aborted on close(): stops work started by requests (a learning cycle) instead of waiting for it.
  const stopping = new AbortController();
  let scheduler: LearningScheduler | undefined;
  let canaryScheduler: LearningScheduler | undefined;
  let orchestrator: Orchestrator | undefined;
  let cacheSweeper: CacheSweeper | undefined;
  let writeState: (() => void) | undefined;
  try {
    setMetricsLogger(logger);
    // One embedder for the whole process (cache, Librarian, demo retrieval, learning). The local
    // model loads in its worker now, in the background: the service listens at once, the first
    // request waits only for what is left of the load, and a model that cannot load is announced
    // at start (the fallback to hashing), not at the first lookup.
    const embedder = options.embedder ?? createEmbedder(config, { logger });
    void embedder.load().then(() => {
      if (!shuttingDown) writeState?.();
    });
    orchestrator = await createOrchestrator(config, db, logger, { embedder });
    const registry = await createRegistryDeps(config, db, logger);
    const learning = createLearningDeps({ config, db, logger, registry, embedder, toolRunner: orchestrator.toolRunner });
    const memory = { db, embedder, logger };
    // Reflections of a heuristics refresh use the configured model; without one, findings only.
    const { createChatModel, isChatModelConfigured } = await import("./llm/create-chat-model.js");
    const heuristicsModel = isChatModelConfigured(config) ? createChatModel(config, { logger }) : undefined;
    const tasks = createTaskRunner(taskRunnerSettingsFrom(config), { orchestrator, db, logger });
    const routing = await createRoutingDeps(config, { db, logger, registry, embedder, router: tasks.router });
    await ensureBootstrapKey(db, { tenant: config.bootstrapTenant, ...(config.bootstrapApiKey ? { key: config.bootstrapApiKey } : {}), ...(config.bootstrapApiKeyFile ? { keyFile: config.bootstrapApiKeyFile } : {}) }, logger);
    const canaryChecks: CheckCanariesDeps = { db, registry, logger, onDecided: (c) => orchestrator?.canary.invalidate(c.tenant) };
    const host = resolveBindHost(config.host, await hasActiveApiKeys(db), logger);
    // Reachable beyond loopback: a key is required even if every key is revoked later.
    const authOptions = { db, alwaysRequireKey: !isLoopbackHost(host) };
    const keysRequired = keysRequiredCheck(authOptions);
    const app = createApp({
      logger,
      health: { isReady: () => db.isReady(), isShuttingDown: () => shuttingDown, embedder: () => embedder.status() },
      operatorRouters: [metricsRoutes(logger, operatorAuth({ keysRequired, ...(config.metricsToken ? { token: config.metricsToken } : {}) }))],
      ui: uiRoutes({ db, registry, logger, keysRequired, sessionTtlSeconds: config.uiSessionTtl, confidenceThreshold: config.confidenceThreshold, canaries: (tenant) => listCanaryRows({ db }, tenant), ...options.ui }),
      tenant: apiKeyAuth(authOptions, keysRequired),
      routers: [
        ...collectorRouters({ db, logger, config }),
        orchestratorRoutes({ orchestrator, logger }),
        taskRoutes({ tasks, defaultTaskBudgetTokens: config.defaultTaskBudgetTokens }),
        routingRoutes(routing),
        learningRoutes({ db, logger, config, learning, stopSignal: stopping.signal }),
        versionRoutes(registry),
        canaryRoutes({ ...canaryChecks, rollout: config.rollout }),
        evalRoutes({ db, store: registry.store, model: orchestrator.model, toolRunner: orchestrator.toolRunner, promptsDir: config.promptsDir, ...evalSettingsFrom(config) }),
        heuristicRoutes({ db, logger, settings: heuristicsSettingsFrom(config), ...(heuristicsModel ? { model: heuristicsModel } : {}) }),
        libraryRoutes({ search: (input) => searchLibrary(memory, { ...input, efSearch: config.vectorEfSearch }) }),
        openApiRoutes(),
        patternRoutes({ db, logger, minTraces: config.minTracesForAnalysis, confidenceThreshold: config.confidenceThreshold, windowDays: config.analysisWindowDays, intents: { embedder, sampleSize: config.analyzerIntentSample } }),
      ],
    });
    scheduler = startLearningScheduler({
      interval: config.learningInterval,
      logger,
      tick: async (signal) => {
        await runScheduledCycles({ db, logger, deps: learning, config }, { trigger: "cron", signal });
        // Routing policies learn from the same traces, on the same schedule (docs/routing.md).
        if (config.routingEnabled) await retrainRoutingPolicies(routing, await listTenants(db), { signal });
      },
    });
    // Every replica checks; the claim in the database lets one of them decide each canary.
    canaryScheduler = startLearningScheduler({
      interval: config.canaryCheckInterval,
      logger,
      tick: async () => void (await checkCanaries(canaryChecks)),
    });
    cacheSweeper = startCacheSweeper({ db, logger });
    const missing = missingUiAssets();
    if (missing.length > 0) logger.warn({ name: "ui-assets-missing", missing }, "the dashboard's assets are missing: run `npm run build`");
    const http = await listen(app, host, config.port);
    const startedAt = new Date().toISOString();
    // Rewritten once the embedder settled, so `meta-agent status` shows a fallback.
    writeState = () =>
      writeServiceState(config.stateFile, { pid: process.pid, url: http.url, databaseMode: db.mode, startedAt, version: VERSION, embedder: embedder.status() });
    writeState();
    logger.info({ name: "service-started", url: http.url, ui: `${http.url}/ui`, database: db.mode, embedder: embedder.status() }, `meta-agent listening on ${http.url} (dashboard: ${http.url}/ui)`);
    let closing: Promise<void> | undefined;
    return {
      url: http.url,
      app,
      db,
      close(reason = "the service is stopping") {
        closing ??= (async () => {
          shuttingDown = true;
          logger.info({ name: "service-stopping" }, "draining requests");
          // Stopping the scheduler and aborting `stopping` first ends a running learning cycle at
          // once, scheduled or started over HTTP (recorded as aborted, claim released), while HTTP
          // drains; the database closes after both.
          const schedulerStopped = scheduler?.stop(reason);
          const canaryStopped = canaryScheduler?.stop(reason);
          stopping.abort(reason);
          await http.close();
          await schedulerStopped;
          await canaryStopped;
          await cacheSweeper?.stop();
          await orchestrator?.close();
          await db.close();
          removeServiceState(config.stateFile);
          logger.info({ name: "service-stopped" }, "stopped");
        })();
        return closing;
      },
    };
  } catch (e) {
    await scheduler?.stop();
    await canaryScheduler?.stop();
    await cacheSweeper?.stop();
    await orchestrator?.close();
    await db.close();
    throw e;
  }
}
