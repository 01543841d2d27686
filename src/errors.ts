// Error vocabulary shared by every layer: HTTP maps `status`, schedulers read `isRetryable`,
// and UnrecoverableError tells a retry loop to stop.

export interface AppErrorOptions {
  status?: number;
  isRetryable?: boolean;
  details?: unknown;
  cause?: unknown;
}

/** Base error: a stable machine-readable `code`, an HTTP status and whether a retry may help. */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly isRetryable: boolean;
  readonly details?: unknown;

  constructor(code: string, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = options.status ?? 500;
    this.isRetryable = options.isRetryable ?? false;
    this.details = options.details;
  }

  static isInstance(err: unknown): err is AppError {
    return err instanceof AppError;
  }
}

/** An error a scheduler must not retry (bad configuration, corrupt repository...). */
export class UnrecoverableError extends AppError {
  constructor(code: string, message: string, options: AppErrorOptions = {}) {
    super(code, message, { ...options, isRetryable: false });
  }
}

/** Configuration is invalid; `problems` names each key and what is allowed. */
export class ConfigError extends UnrecoverableError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super("invalid_config", `Invalid configuration:\n  - ${problems.join("\n  - ")}`, { status: 500 });
    this.problems = problems;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super("invalid_request", message, { status: 400, details });
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super("not_found", message, { status: 404 });
  }
}

/** The database cannot be reached or is not migrated yet. */
export class DatabaseUnavailableError extends AppError {
  constructor(message: string, cause?: unknown) {
    super("database_unavailable", message, { status: 503, isRetryable: true, cause });
  }
}

/** Union result for expected failures. */
export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
