import type { ErrorInfo } from '../contract/errors';

/** The result of one call as it crosses a process boundary: never a thrown exception. */
export type CallOutcome = { ok: true; value: unknown } | { ok: false; error: ErrorInfo };

/** Client -> server messages of the WebSocket transport. */
export type ClientMessage = { type: 'call'; id: number; method: string; input?: unknown };

/** Server -> client messages of the WebSocket transport. */
export type ServerMessage =
  | { type: 'result'; id: number; outcome: CallOutcome }
  | { type: 'event'; channel: string; payload: unknown }
  | { type: 'hello'; protocol: number };

export const PROTOCOL_VERSION = 1;

/** The transport-neutral surface that the generic client needs. */
export interface Transport {
  call(method: string, input: unknown): Promise<CallOutcome>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}
