import { describe, expect, it } from 'vitest';
import { engineExitError } from '../../../src-main/engine/engine-exit';

// V8's last words when the heap cannot grow, as Node 20 prints them before aborting.
const V8_HEAP_ABORT = [
  '<--- Last few GCs --->',
  '[4242:0x6a1b000]    81234 ms: Mark-Compact 2046.1 (2081.4) -> 2045.9 (2082.4) MB, 912.3 / 0.0 ms  (average mu = 0.101, current mu = 0.004) allocation failure;',
  'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
  '----- Native stack trace -----',
  ' 1: 0xb8ced1 node::OOMErrorHandler(char const*, v8::OOMDetails const&) [node]',
];

describe('engine exit', () => {
  it('calls a SIGKILL the app did not send out of memory (the kernel OOM killer)', () => {
    const error = engineExitError({ code: null, signal: 'SIGKILL', killedByApp: false, stderrTail: [] });
    expect(error.code).toBe('OUT_OF_MEMORY');
    expect(error.message).toBe('the engine process was killed by SIGKILL (the system may have run out of memory)');
    expect(error.details).toEqual({ exitCode: null, signal: 'SIGKILL' });
  });

  it('calls an abort after V8 reports its heap exhausted out of memory, keeping what it printed', () => {
    const error = engineExitError({ code: null, signal: 'SIGABRT', killedByApp: false, stderrTail: V8_HEAP_ABORT });
    expect(error.code).toBe('OUT_OF_MEMORY');
    expect(error.message).toMatch(/^the engine process was killed by SIGABRT \(its JavaScript heap ran out of memory\): <--- Last few GCs/);
    expect(error.message).toContain('JavaScript heap out of memory');
  });

  it('calls it out of memory when the tail holds only the stack traces that followed V8\'s report', () => {
    // Two threads' native stack traces (about 12 lines each) pushed the report out of the 20-line tail.
    const frames = [
      ' 3: 0xee85e7 v8::internal::V8::FatalProcessOutOfMemory(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [/usr/bin/node]',
      ' 4: 0x10fb205  [/usr/bin/node]',
    ];
    expect(engineExitError({ code: null, signal: 'SIGABRT', killedByApp: false, stderrTail: frames }).code).toBe('OUT_OF_MEMORY');
    const noFrames = [' 4: 0x10fb205  [/usr/bin/node]', ' 5: 0x1137e94 v8::internal::EvacuateNewSpaceVisitor::Visit(v8::internal::HeapObject, int) [/usr/bin/node]'];
    expect(engineExitError({ code: null, signal: 'SIGABRT', killedByApp: false, stderrTail: noFrames }).code).toBe('INTERNAL');
    const seen = engineExitError({ code: null, signal: 'SIGABRT', killedByApp: false, stderrTail: noFrames, heapExhaustionSeen: true });
    expect(seen.code).toBe('OUT_OF_MEMORY');
    expect(seen.message).toMatch(/^the engine process was killed by SIGABRT \(its JavaScript heap ran out of memory\): /);
  });

  it('recognises V8\'s process-level out-of-memory abort too', () => {
    const error = engineExitError({ code: 134, signal: null, killedByApp: false, stderrTail: ['#', '# Fatal process out of memory: Zone', '#'] });
    expect(error.code).toBe('OUT_OF_MEMORY');
    expect(error.message).toMatch(/^the engine process exited with code 134 \(its JavaScript heap ran out of memory\)/);
  });

  it('leaves other crashes INTERNAL, even when an earlier log line mentions memory', () => {
    const error = engineExitError({
      code: 1,
      signal: null,
      killedByApp: false,
      stderrTail: ['warn: If memory ran out: try a smaller tile', 'Error: Cannot find module onnxruntime-node'],
    });
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe('the engine process exited with code 1: warn: If memory ran out: try a smaller tile\nError: Cannot find module onnxruntime-node');
  });

  it('does not blame memory for a process the app ended itself', () => {
    expect(engineExitError({ code: null, signal: 'SIGKILL', killedByApp: true, stderrTail: [] })).toMatchObject({ code: 'INTERNAL', message: 'the engine process was killed by SIGKILL' });
    expect(engineExitError({ code: null, signal: 'SIGKILL', killedByApp: true, stderrTail: V8_HEAP_ABORT }).code).toBe('INTERNAL');
  });

  it('keeps only the last 2000 characters of a long stderr', () => {
    const error = engineExitError({ code: 3, signal: null, killedByApp: false, stderrTail: ['x'.repeat(5000)] });
    expect(error.message).toBe(`the engine process exited with code 3: ${'x'.repeat(2000)}`);
  });
});
