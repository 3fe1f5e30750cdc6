import { toErrorInfo, UnetError } from '../../src-shared/contract/errors';

/** Exit codes of every command: 0 success, 1 the work failed, 2 the command line was wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A mistake in the command line (a missing folder, a bad number, no matching masks): exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** INVALID_ARGUMENT from a service called with the user's values is a usage error too. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT_USAGE;
  if (error instanceof UnetError && error.code === 'INVALID_ARGUMENT' && error.details?.usage === true) return EXIT_USAGE;
  return EXIT_FAILURE;
}

/** One line for the terminal: the message, with the error code for failures of the work itself. */
export function describeError(error: unknown): string {
  if (error instanceof UsageError) return error.message;
  const info = toErrorInfo(error);
  const line = info.message.split('\n')[0];
  return info.code === 'INTERNAL' ? line : `${line} (${info.code})`;
}
