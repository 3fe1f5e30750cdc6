import type { UnetApi } from '../../../../src-shared/contract/index';
import type { RunSummary } from '../../../../src-shared/contract/records';
import { bestValidationIou, configSummary, type BestValue } from './run-summary';

/** What the run list shows beyond `RunSummary`: the config in one line and the best validation IoU. */
export interface RunExtras {
  config: string;
  preset: string | undefined;
  best: BestValue | null;
}

/**
 * One `runs.get` and one thinned `runs.curves` per run (RunSummary carries neither the config nor a
 * best metric). Failures of single runs leave their row without extras rather than failing the list.
 */
export async function fetchRunExtras(api: UnetApi, runs: readonly RunSummary[]): Promise<Map<number, RunExtras>> {
  const entries = await Promise.all(
    runs.map(async (run): Promise<[number, RunExtras] | undefined> => {
      try {
        const [detail, points] = await Promise.all([api.runs.get({ id: run.id }), api.runs.curves({ id: run.id, maxPoints: 500 })]);
        const preset = typeof detail.config.preset === 'string' ? detail.config.preset : undefined;
        return [run.id, { config: configSummary(detail.config), preset, best: bestValidationIou(points) }];
      } catch {
        return undefined;
      }
    }),
  );
  return new Map(entries.filter((e): e is [number, RunExtras] => e !== undefined));
}
