/** Every failure that crosses the API boundary is one of these codes, so callers can branch on it. */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'IO_ERROR',
  'UNSUPPORTED',
  'TOO_LARGE',
  'CORRUPT',
  'CANCELLED',
  'CONFLICT',
  'OUT_OF_MEMORY',
  'BACKEND_UNAVAILABLE',
  'UNAUTHORIZED',
  'READ_ONLY',
  'DISK_FULL',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The plain-data form of an error, as it travels over IPC and WebSocket. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class UnetError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'UnetError';
    this.code = code;
    this.details = details;
  }

  toInfo(): ErrorInfo {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromInfo(info: ErrorInfo): UnetError {
    return new UnetError(info.code, info.message, info.details);
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Turns anything thrown into an ErrorInfo; unknown failures become INTERNAL with their message kept. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof UnetError) return error.toInfo();
  if (error && typeof error === 'object' && 'code' in error && isErrorCode((error as { code: unknown }).code)) {
    const e = error as { code: ErrorCode; message?: unknown; details?: Record<string, unknown> };
    return { code: e.code, message: String(e.message ?? e.code), ...(e.details ? { details: e.details } : {}) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}
