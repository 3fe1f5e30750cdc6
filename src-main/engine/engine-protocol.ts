import type { ErrorInfo } from '../../src-shared/contract/errors';
import type { BackendReport } from './backend';
import type { TrainConfig } from './train-config';
import type { CheckpointInfo, TrainProgress, TrainRequest, TrainResult } from './trainer';

/**
 * Messages between the app and the engine process. Each side numbers its messages (seq, from 1) so a
 * log can show their order and a reader can spot a gap. Typed arrays travel as they are (structured
 * clone: `serialization: 'advanced'` for child_process, always for Electron's utilityProcess).
 */
export type ParentMessageBody = { type: 'start'; request: TrainRequest } | { type: 'cancel' };
export type ParentMessage = ParentMessageBody & { seq: number };

export type EngineMessageBody =
  | { type: 'started'; backend: BackendReport; config: TrainConfig; startStep: number }
  | { type: 'progress'; progress: TrainProgress }
  | { type: 'checkpoint'; checkpoint: CheckpointInfo }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'done'; result: TrainResult }
  | { type: 'error'; error: ErrorInfo };
export type EngineMessage = EngineMessageBody & { seq: number };

export type ParentMessageType = ParentMessage['type'];
export type EngineMessageType = EngineMessage['type'];

const ENGINE_TYPES: readonly EngineMessageType[] = ['started', 'progress', 'checkpoint', 'log', 'done', 'error'];
const PARENT_TYPES: readonly ParentMessageType[] = ['start', 'cancel'];

export function isEngineMessage(value: unknown): value is EngineMessage {
  const v = value as { type?: unknown; seq?: unknown } | null;
  return !!v && typeof v === 'object' && typeof v.seq === 'number' && ENGINE_TYPES.includes(v.type as EngineMessageType);
}

export function isParentMessage(value: unknown): value is ParentMessage {
  const v = value as { type?: unknown; seq?: unknown } | null;
  return !!v && typeof v === 'object' && typeof v.seq === 'number' && PARENT_TYPES.includes(v.type as ParentMessageType);
}

/** Stamps outgoing messages with consecutive sequence numbers. */
export function sequencer<M extends { type: string }>(): (message: M) => M & { seq: number } {
  let seq = 0;
  return (message) => ({ ...message, seq: ++seq });
}
