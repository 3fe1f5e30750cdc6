import type { ErrorInfo } from '../../src-shared/contract/errors';

/**
 * What V8 prints when the engine's JavaScript heap cannot grow ("FATAL ERROR: Reached heap limit
 * Allocation failed - JavaScript heap out of memory", "Fatal process out of memory: ...") before it
 * aborts, and the frames of its out-of-memory handler in the native stack trace that follows
 * (`node::OOMErrorHandler`, `v8::internal::V8::FatalProcessOutOfMemory`). Only these lines count: a log
 * line that merely mentions memory does not make a crash one.
 */
const V8_FATAL_OUT_OF_MEMORY = /JavaScript heap out of memory|Fatal process out of memory|FATAL ERROR:[^\n]*allocation failed|node::OOMErrorHandler|V8::FatalProcessOutOfMemory/i;

/** Whether a line of the engine's stderr is V8 reporting that its heap ran out. */
export function reportsHeapExhaustion(line: string): boolean {
  return V8_FATAL_OUT_OF_MEMORY.test(line);
}

export interface EngineExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The app ended the process itself (kill, shutdown). */
  killedByApp: boolean;
  /** The last lines the engine wrote to stderr. */
  stderrTail: readonly string[];
  /**
   * V8 reported its heap exhausted somewhere in stderr (`reportsHeapExhaustion`): its native stack traces,
   * one per thread, can push that line out of the tail before the process ends.
   */
  heapExhaustionSeen?: boolean;
}

/**
 * Why an engine process that died without reporting ended: OUT_OF_MEMORY when the system killed it
 * (SIGKILL not sent by the app: the kernel's out-of-memory killer) or when V8 aborted because its heap
 * could not grow; INTERNAL otherwise. The stderr tail is kept in the message.
 */
export function engineExitError(exit: EngineExit): ErrorInfo {
  const { code, signal, killedByApp, stderrTail, heapExhaustionSeen = false } = exit;
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  const output = stderrTail.join('\n');
  const systemKill = signal === 'SIGKILL' && !killedByApp;
  const heapExhausted = !killedByApp && (heapExhaustionSeen || V8_FATAL_OUT_OF_MEMORY.test(output));
  const hint = heapExhausted ? ' (its JavaScript heap ran out of memory)' : systemKill ? ' (the system may have run out of memory)' : '';
  const detail = output.length > 0 ? `: ${output.slice(-2000)}` : '';
  return {
    code: systemKill || heapExhausted ? 'OUT_OF_MEMORY' : 'INTERNAL',
    message: `the engine process ${how}${hint}${detail}`,
    details: { exitCode: code, signal },
  };
}
