import { UnetError } from '../../../../src-shared/contract/errors';
import { decodeMessage, encodeMessage } from '../../../../src-shared/transport/codec';
import { MAX_WS_MESSAGE_BYTES } from '../../../../src-shared/transport/limits';
import type { CallOutcome, ClientMessage, ServerMessage, Transport } from '../../../../src-shared/transport/messages';

export type ConnectionState = 'connecting' | 'open' | 'closed';

/**
 * The browser-mode transport: calls and events over one WebSocket to the serving process. Calls made
 * while (re)connecting wait for the socket; a dropped connection fails pending calls with IO_ERROR and
 * reconnects with back-off.
 */
export class WebSocketTransport implements Transport {
  private socket: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (outcome: CallOutcome) => void>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private opened: Promise<void> | undefined;
  private retryMs = 250;
  private closedByUser = false;
  state: ConnectionState = 'connecting';
  onStateChange: ((state: ConnectionState) => void) | undefined;

  constructor(
    private readonly url: string,
    private readonly maxMessageBytes = MAX_WS_MESSAGE_BYTES,
  ) {
    this.connect();
  }

  call(method: string, input: unknown): Promise<CallOutcome> {
    const id = this.nextId++;
    return new Promise<CallOutcome>((resolve) => {
      this.pending.set(id, resolve);
      const message: ClientMessage = { type: 'call', id, method, input };
      void (this.opened ?? Promise.resolve()).then(() => {
        if (this.socket?.readyState !== WebSocket.OPEN) return this.fail(id, 'not connected to the U-Net Studio server');
        const bytes = encodeMessage(message);
        // The server would drop the connection (and every other pending call) for a larger message.
        if (bytes.byteLength > this.maxMessageBytes) {
          const mb = (n: number) => Math.ceil(n / 2 ** 20);
          return this.fail(id, `${method} needs a ${mb(bytes.byteLength)} MB message; browser mode takes up to ${mb(this.maxMessageBytes)} MB`, 'TOO_LARGE');
        }
        this.socket.send(bytes);
      });
    });
  }

  subscribe(channel: string, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  close(): void {
    this.closedByUser = true;
    this.socket?.close();
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.setState('connecting');
    this.opened = new Promise<void>((resolve) => {
      socket.addEventListener('open', () => {
        this.retryMs = 250;
        this.setState('open');
        resolve();
      });
      socket.addEventListener('close', () => {
        resolve();
        this.setState('closed');
        for (const id of [...this.pending.keys()]) this.fail(id, 'the connection to the U-Net Studio server was lost');
        if (!this.closedByUser)
          setTimeout(() => {
            // close() may have been called while the retry was waiting.
            if (!this.closedByUser) this.connect();
          }, (this.retryMs = Math.min(this.retryMs * 2, 5000)));
      });
    });
    socket.addEventListener('message', (event) => this.receive(event.data));
  }

  private receive(data: unknown): void {
    let message: ServerMessage;
    try {
      message = (data instanceof ArrayBuffer ? decodeMessage(new Uint8Array(data)) : JSON.parse(String(data))) as ServerMessage;
    } catch {
      return;
    }
    if (message.type === 'result') {
      const resolve = this.pending.get(message.id);
      if (resolve) {
        this.pending.delete(message.id);
        resolve(message.outcome);
      }
    } else if (message.type === 'event') {
      for (const listener of this.listeners.get(message.channel) ?? []) listener(message.payload);
    }
  }

  private fail(id: number, text: string, code: 'IO_ERROR' | 'TOO_LARGE' = 'IO_ERROR'): void {
    const resolve = this.pending.get(id);
    if (!resolve) return;
    this.pending.delete(id);
    resolve({ ok: false, error: new UnetError(code, text).toInfo() });
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.onStateChange?.(state);
  }
}
