import { toErrorInfo, UnetError } from '../../src-shared/contract/errors';
import { isParentMessage, sequencer, type EngineMessageBody, type ParentMessage } from './engine-protocol';
import { train } from './trainer';

/**
 * Entry of the engine process: receives one `start`, trains, reports, and exits. A `cancel` sets a flag
 * that the trainer polls before every step (it yields to the event loop between steps, so the message
 * is seen). If the parent goes away, the process exits rather than training for nobody.
 */

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
const stamp = sequencer<EngineMessageBody>();

function send(message: EngineMessageBody): Promise<void> {
  const stamped = stamp(message);
  if (parentPort) {
    parentPort.postMessage(stamped);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(stamped, undefined, {}, () => resolve());
  });
}

function onMessage(handler: (message: unknown) => void): void {
  if (parentPort) parentPort.on('message', (event) => handler(event.data));
  else process.on('message', handler);
}

let cancelled = false;
let started = false;

async function run(message: ParentMessage & { type: 'start' }): Promise<void> {
  const result = await train(message.request, {
    shouldStop: () => cancelled,
    onStart: ({ backend, config, startStep }) => void send({ type: 'started', backend, config, startStep }),
    onProgress: (progress) => void send({ type: 'progress', progress }),
    onCheckpoint: (checkpoint) => void send({ type: 'checkpoint', checkpoint }),
    onLog: (level, text) => void send({ type: 'log', level, message: text }),
  });
  await send({ type: 'done', result });
  process.exit(0);
}

onMessage((raw) => {
  if (!isParentMessage(raw)) {
    void send({ type: 'error', error: new UnetError('INVALID_ARGUMENT', 'the engine received a malformed message').toInfo() });
    return;
  }
  if (raw.type === 'cancel') {
    cancelled = true;
    return;
  }
  if (started) {
    void send({ type: 'error', error: new UnetError('CONFLICT', 'this engine process is already training').toInfo() });
    return;
  }
  started = true;
  run(raw).catch(async (error) => {
    await send({ type: 'error', error: toErrorInfo(error) });
    process.exit(1);
  });
});

if (!parentPort) process.on('disconnect', () => process.exit(2));
