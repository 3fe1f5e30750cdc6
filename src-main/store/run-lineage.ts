import type { RunStart } from '../../src-shared/contract/records';

/** The model a run started from, as its config records it (`config.init`), or null for random weights. */
export function recordedStartOf(config: Record<string, unknown>): RunStart | null {
  const init = config.init as Partial<RunStart> | undefined;
  if (!init || typeof init !== 'object' || typeof init.label !== 'string' || !init.source || typeof init.source !== 'object') return null;
  return {
    source: init.source,
    label: init.label,
    step: typeof init.step === 'number' ? init.step : 0,
    validationIou: typeof init.validationIou === 'number' ? init.validationIou : null,
  };
}

/**
 * A run's lineage, nearest first: the model it started from, then, while that model is a run's, where
 * that run started from. Stops at random weights, a starter or imported model, a deleted run, or a loop
 * (which a well-formed workspace never has).
 */
export function lineageOf(config: Record<string, unknown>, configOfRun: (runId: number) => Record<string, unknown> | null): RunStart[] {
  const lineage: RunStart[] = [];
  const seen = new Set<number>();
  let start = recordedStartOf(config);
  while (start) {
    lineage.push(start);
    if (start.source.kind !== 'run' || seen.has(start.source.runId)) break;
    seen.add(start.source.runId);
    const parent = configOfRun(start.source.runId);
    start = parent ? recordedStartOf(parent) : null;
  }
  return lineage;
}
