/** Stable error codes: every failure that crosses a process boundary carries one of these. */
export const ERROR_CODES = [
  'BAD_REQUEST',
  /** a request body that does not parse as JSON */
  'BAD_JSON',
  'BAD_DIMENSION',
  'BAD_FACTORY',
  'BAD_PARAM',
  'BAD_K',
  'NON_FINITE',
  'FILE_NOT_FOUND',
  'BAD_FILE',
  'FILE_TRUNCATED',
  'BAD_MAGIC',
  'RAGGED_ROWS',
  'NOT_NUMERIC',
  'EMPTY_FILE',
  'UNSUPPORTED_DTYPE',
  'MISSING_FIELD',
  'UNKNOWN_FORMAT',
  'DATASET_NOT_FOUND',
  'INDEX_NOT_FOUND',
  'INDEX_NOT_READY',
  'JOB_NOT_FOUND',
  'VECTOR_NOT_FOUND',
  'PATH_NOT_ALLOWED',
  'ROW_OUT_OF_RANGE',
  'NO_QUERY_SET',
  'CANCELLED',
  /** the lab run's indexes were replaced by a later run or a restart */
  'LAB_RUN_NOT_FOUND',
  'WORKER_RESTARTED',
  /** an index or dataset that crashed the worker, kept listed as failed and never reopened */
  'QUARANTINED',
  /** a write could not be made durable (disk full, I/O error) and was undone */
  'STORAGE_ERROR',
  'FAISS_ERROR',
  /** the index cannot do what was asked (add with ids without an IDMap, remove from HNSW...) */
  'NOT_SUPPORTED',
  'NOT_FOUND',
  /** a diagnostic asked about a projection not computed yet */
  'PROJECTION_NOT_FOUND',
  'UNAUTHORIZED',
  /** a Host header that is not this server's own (DNS rebinding) */
  'BAD_HOST',
  /** a request another site's page made through the user's browser */
  'CROSS_SITE',
  /** a request body that is not application/json (or octet-stream where bytes are taken) */
  'UNSUPPORTED_MEDIA_TYPE',
  'BODY_TOO_LARGE',
  /** a dataset that would not fit in what the dataset memory budget has left */
  'MEMORY_BUDGET',
  /** the server holds as many request bodies as its memory budget allows: retry shortly */
  'SERVER_BUSY',
  /** the uploads folder holds as much as its quota allows */
  'QUOTA_EXCEEDED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The only shape an error takes between processes: no stacks, no class instances. */
export interface ErrorValue {
  code: ErrorCode;
  message: string;
}

/** Thrown inside a process; turned into an ErrorValue at its edge. */
export class EngineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * The one decoder for whatever was thrown or received: an error of ours keeps its code (and its
 * message, else the code); anything else becomes `fallback`, by default INTERNAL with its message.
 */
export function toErrorValue(err: unknown, fallback?: ErrorValue): ErrorValue {
  if (err instanceof EngineError) return { code: err.code, message: err.message };
  if (err && typeof err === 'object' && 'code' in err && isErrorCode(err.code)) {
    return { code: err.code, message: 'message' in err && err.message !== undefined ? String(err.message) : err.code };
  }
  return fallback ?? { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

/** toErrorValue, as an error to throw; an EngineError passes as it is. */
export function decodeError(err: unknown, fallback?: ErrorValue): EngineError {
  return err instanceof EngineError ? err : fromErrorValue(toErrorValue(err, fallback));
}

export function fromErrorValue(value: ErrorValue): EngineError {
  return new EngineError(value.code, value.message);
}

/** HTTP status for each code, used by the server; anything not listed is a 400. */
export const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  DATASET_NOT_FOUND: 404,
  INDEX_NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  VECTOR_NOT_FOUND: 404,
  PATH_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  BAD_HOST: 403,
  CROSS_SITE: 403,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BODY_TOO_LARGE: 413,
  MEMORY_BUDGET: 413,
  SERVER_BUSY: 503,
  QUOTA_EXCEEDED: 507,
  INDEX_NOT_READY: 409,
  WORKER_RESTARTED: 503,
  QUARANTINED: 409,
  STORAGE_ERROR: 507,
  CANCELLED: 409,
  FAISS_ERROR: 500,
  INTERNAL: 500,
};
