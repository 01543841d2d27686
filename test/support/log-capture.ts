// A real pino logger whose records are kept in memory, so tests can assert on logged events.
import { pino, type Logger } from "pino";

export interface CapturedLogger {
  logger: Logger;
  records: Array<Record<string, unknown>>;
  /** Records whose event `name` matches. */
  events(name: string): Array<Record<string, unknown>>;
}

export function captureLogger(level = "debug"): CapturedLogger {
  const records: Array<Record<string, unknown>> = [];
  const logger = pino({ level }, { write: (line: string) => void records.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, records, events: (name) => records.filter((r) => r["name"] === name) };
}
