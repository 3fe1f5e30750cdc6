import { fork, type ChildProcess } from 'node:child_process';
import type { ErrorInfo } from '../../src-shared/contract/errors';
import type { BackendReport } from './backend';
import type { CurveEntry, ValidationEntry } from './checkpoint';
import { siblingEntry } from './entry-files';
import { engineExitError, reportsHeapExhaustion } from './engine-exit';
import { isEngineMessage, sequencer, type EngineMessage, type ParentMessage, type ParentMessageBody } from './engine-protocol';
import type { TrainConfig } from './train-config';
import type { CheckpointInfo, TrainProgress, TrainRequest, TrainResult } from './trainer';

export interface TrainingCallbacks {
  onStart?(info: { backend: BackendReport; config: TrainConfig; startStep: number }): void;
  onProgress?(p: TrainProgress): void;
  onCheckpoint?(c: CheckpointInfo): void;
  onLog?(level: 'info' | 'warn' | 'error', message: string): void;
}

export interface TrainingHandle {
  /** Asks the engine to stop after the current step and save `latest` (status 'cancelled'). */
  cancel(): void;
  /** Ends the engine process at once (no checkpoint); the result is 'interrupted'. */
  kill(): void;
  /** Settles when the engine process is gone; never rejects. */
  readonly done: Promise<TrainResult>;
  /** Process id once started (undefined before, or under Electron until spawned). */
  readonly pid: number | undefined;
}

export interface StartOptions {
  /** Extra environment for the engine process. */
  env?: NodeJS.ProcessEnv;
}

/** The minimal surface both child_process and Electron's utilityProcess give us. */
interface EngineChild {
  pid: number | undefined;
  send(message: ParentMessage): void;
  kill(): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  onOutput(listener: (stream: 'stdout' | 'stderr', text: string) => void): void;
}

/**
 * Runs training in a separate engine process so that a crash, an out-of-memory kill or a native abort
 * ends the job, not the app. The result says what happened: 'succeeded' / 'failed' / 'cancelled' as
 * reported by the engine, or 'interrupted' with the exit code or signal when the process died without
 * reporting; the checkpoints and curve received so far are kept in either case.
 */
export function startTraining(request: TrainRequest, callbacks: TrainingCallbacks = {}, options: StartOptions = {}): TrainingHandle {
  const stamp = sequencer<ParentMessageBody>();
  const curve: CurveEntry[] = [];
  const validation: ValidationEntry[] = [];
  let best: ValidationEntry | null = null;
  let latestCheckpoint: string | null = null;
  let bestCheckpoint: string | null = null;
  let lastStep = 0;
  let reported: TrainResult | null = null;
  let engineError: ErrorInfo | null = null;
  let killed = false;
  const stderrTail: string[] = [];
  let heapExhaustionSeen = false;
  let child: EngineChild | null = null;
  const pending: ParentMessage[] = [];
  let resolveDone!: (r: TrainResult) => void;
  const done = new Promise<TrainResult>((resolve) => (resolveDone = resolve));

  const post = (message: ParentMessageBody) => {
    const stamped = stamp(message);
    if (child) trySend(child, stamped);
    else pending.push(stamped);
  };

  const handleMessage = (raw: unknown) => {
    if (!isEngineMessage(raw)) return;
    const message: EngineMessage = raw;
    switch (message.type) {
      case 'started':
        callbacks.onStart?.({ backend: message.backend, config: message.config, startStep: message.startStep });
        break;
      case 'progress': {
        const p = message.progress;
        lastStep = p.step;
        curve.push({ step: p.step, loss: p.loss });
        if (p.validation) validation.push({ step: p.step, ...p.validation });
        callbacks.onProgress?.(p);
        break;
      }
      case 'checkpoint': {
        const c = message.checkpoint;
        if (c.kind === 'latest') latestCheckpoint = c.dir;
        else {
          bestCheckpoint = c.dir;
          if (c.validation) best = { step: c.step, ...c.validation };
        }
        callbacks.onCheckpoint?.(c);
        break;
      }
      case 'log':
        callbacks.onLog?.(message.level, message.message);
        break;
      case 'done':
        reported = message.result;
        break;
      case 'error':
        engineError = message.error;
        callbacks.onLog?.('error', message.error.message);
        break;
    }
  };

  const handleExit = (code: number | null, signal: NodeJS.Signals | null) => {
    if (reported) return resolveDone(reported);
    const error: ErrorInfo = engineError ?? engineExitError({ code, signal, killedByApp: killed, stderrTail, heapExhaustionSeen });
    resolveDone({
      status: signal !== null || killed ? 'interrupted' : 'failed',
      error,
      bestCheckpoint,
      latestCheckpoint,
      steps: lastStep,
      metrics: { curve, validation, best },
      elapsedSeconds: 0,
    });
  };

  const attach = (c: EngineChild) => {
    child = c;
    c.onMessage(handleMessage);
    c.onExit(handleExit);
    c.onOutput((stream, text) => {
      const lines = text.split('\n').filter((l) => l.trim() !== '');
      if (stream === 'stderr') {
        stderrTail.push(...lines);
        stderrTail.splice(0, Math.max(0, stderrTail.length - 20));
        heapExhaustionSeen ||= lines.some(reportsHeapExhaustion);
      }
      for (const line of lines) callbacks.onLog?.(stream === 'stderr' ? 'warn' : 'info', line);
    });
    for (const m of pending.splice(0)) trySend(c, m);
  };

  const env = { ...process.env, ...engineEnv(), ...options.env };
  if (process.versions.electron) {
    spawnUtilityProcess(env)
      .then(attach)
      .catch((error: unknown) => {
        engineError = { code: 'BACKEND_UNAVAILABLE', message: `cannot start the engine process: ${(error as Error).message}` };
        handleExit(1, null);
      });
  } else {
    try {
      attach(spawnNodeChild(env));
    } catch (error) {
      engineError = { code: 'BACKEND_UNAVAILABLE', message: `cannot start the engine process: ${(error as Error).message}` };
      queueMicrotask(() => handleExit(1, null));
    }
  }
  post({ type: 'start', request });

  return {
    cancel: () => post({ type: 'cancel' }),
    kill: () => {
      killed = true;
      child?.kill();
    },
    done,
    get pid() {
      return child?.pid;
    },
  };
}

function trySend(child: EngineChild, message: ParentMessage): void {
  try {
    child.send(message);
  } catch {
    // The process is gone; its exit handler reports why.
  }
}

/**
 * Large buffers come and go every step. Keeping glibc from returning them to the system (and from
 * using fresh mmaps for them) avoids paying page faults on every step, which are slow on some VMs.
 */
function engineEnv(): NodeJS.ProcessEnv {
  return { MALLOC_MMAP_THRESHOLD_: '4294967296', MALLOC_TRIM_THRESHOLD_: '68719476736' };
}

/** The engine entry next to this module: the bundled .js, or the .ts source under tsx (tests, dev). */
export function engineEntry(): { file: string; typescript: boolean; execArgv: string[] } {
  return siblingEntry('engine-process');
}

function spawnNodeChild(env: NodeJS.ProcessEnv): EngineChild {
  const entry = engineEntry();
  const proc: ChildProcess = fork(entry.file, [], {
    serialization: 'advanced',
    execArgv: entry.execArgv,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  return {
    get pid() {
      return proc.pid;
    },
    send: (m) => {
      if (proc.connected) proc.send(m);
    },
    kill: () => proc.kill('SIGKILL'),
    onMessage: (l) => proc.on('message', l),
    // 'close' comes after 'exit' once the pipes and the IPC channel are drained, so no message is lost.
    onExit: (l) => proc.on('close', l),
    onOutput: (l) => {
      proc.stdout?.on('data', (d: Buffer) => l('stdout', d.toString()));
      proc.stderr?.on('data', (d: Buffer) => l('stderr', d.toString()));
    },
  };
}

interface ElectronUtilityProcess {
  pid: number | undefined;
  postMessage(message: unknown): void;
  kill(): boolean;
  on(event: 'message', listener: (message: unknown) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  stdout: NodeJS.ReadableStream | null;
  stderr: NodeJS.ReadableStream | null;
}

/** Electron: a utility process (Chromium's process model; the same engine entry, bundled as .js). */
async function spawnUtilityProcess(env: NodeJS.ProcessEnv): Promise<EngineChild> {
  const electron = (await import('electron')) as unknown as {
    utilityProcess: { fork(modulePath: string, args: string[], options: object): ElectronUtilityProcess };
  };
  const entry = engineEntry();
  const proc = electron.utilityProcess.fork(entry.file, [], { serviceName: 'U-Net Studio engine', stdio: 'pipe', env });
  let killed = false;
  return {
    get pid() {
      return proc.pid;
    },
    send: (m) => proc.postMessage(m),
    kill: () => {
      killed = true;
      proc.kill();
    },
    onMessage: (l) => proc.on('message', l),
    // utilityProcess reports only an exit code; a kill from here is reported as SIGKILL.
    onExit: (l) => proc.on('exit', (code) => l(killed ? null : code, killed ? 'SIGKILL' : null)),
    onOutput: (l) => {
      proc.stdout?.on('data', (d: Buffer) => l('stdout', d.toString()));
      proc.stderr?.on('data', (d: Buffer) => l('stderr', d.toString()));
    },
  };
}
