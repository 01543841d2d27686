// Runs learning cycles on `learning_interval`: a cron expression goes to node-cron (with
// noOverlap); a number of seconds is a timer re-armed after each run finishes, because cron
// cannot express arbitrary periods such as 90 s and a re-armed timer can never overlap itself.
// Overlap across processes is prevented by the cycle's own claim (claim-cycle.ts).
import cron from "node-cron";
import type { Logger } from "../log/logger.js";
import { ConfigError } from "../errors.js";

export interface LearningScheduler {
  /**
   * Stops scheduling, aborts a running tick's signal with `reason` (default "the scheduler is
   * stopping") and waits for the tick to finish.
   */
  stop(reason?: string): Promise<void>;
}

export interface SchedulerOptions {
  /** Seconds between runs, or a cron expression (5 or 6 fields). */
  interval: number | string;
  /** One scheduled run: all tenants' cycles. Receives an abort signal raised on stop(). */
  tick(signal: AbortSignal): Promise<void>;
  logger: Logger;
  /** Run once right away instead of waiting a full interval first. Default false. */
  runImmediately?: boolean;
}

/** Starts the schedule; a tick that throws is logged and the schedule goes on. */
export function startLearningScheduler(options: SchedulerOptions): LearningScheduler {
  const { logger } = options;
  const abort = new AbortController();
  let running: Promise<void> | undefined;
  const runTick = async (trigger: string) => {
    if (running) {
      logger.info({ name: "cycle-tick-skipped", trigger }, "previous scheduled learning run still in progress; skipping this one");
      return;
    }
    running = options.tick(abort.signal).catch((e: unknown) => logger.error({ name: "cycle-tick-failed", err: e }, "scheduled learning run failed"));
    try {
      await running;
    } finally {
      running = undefined;
    }
  };

  if (typeof options.interval === "string") {
    if (!cron.validate(options.interval)) throw new ConfigError([`learning_interval: ${JSON.stringify(options.interval)} is not a valid cron expression`]);
    const task = cron.schedule(options.interval, () => runTick("cron"), { noOverlap: true, name: "learning-cycle" });
    if (options.runImmediately) void runTick("start");
    logger.info({ name: "scheduler-started", interval: options.interval }, `learning cycles on cron ${options.interval}`);
    return {
      async stop(reason = "the scheduler is stopping") {
        abort.abort(reason);
        await task.stop();
        await task.destroy();
        await running;
      },
    };
  }

  const periodMs = options.interval * 1000;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const arm = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      void runTick("interval").finally(() => arm(periodMs));
    }, ms);
  };
  arm(options.runImmediately ? 0 : periodMs);
  logger.info({ name: "scheduler-started", intervalSeconds: options.interval }, `learning cycles every ${options.interval} s`);
  return {
    async stop(reason = "the scheduler is stopping") {
      stopped = true;
      abort.abort(reason);
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
