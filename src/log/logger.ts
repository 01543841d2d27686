// Structured logging (pino). Events carry a `name` saying what happened, e.g. `cycle-start`.
import { pino, destination, type Logger, type DestinationStream } from "pino";

export type { Logger };

/** Creates the root logger. JSON to stderr, so CLI commands keep stdout for their output. */
export function createLogger(level: string, options: { destination?: DestinationStream } = {}): Logger {
  return pino({ level, base: { service: "meta-agent" } }, options.destination ?? destination({ fd: 2, sync: true }));
}

/** A logger that drops everything (tests, libraries used without a service). */
export const silentLogger: Logger = pino({ level: "silent" });
