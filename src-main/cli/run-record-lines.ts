import type { RunDetail, RunStart } from '../../src-shared/contract/records';

/** "run #1 (name) at step 40, validation IoU 0.812" */
export function describeStart(start: RunStart): string {
  const iou = start.validationIou === null ? '' : `, validation IoU ${start.validationIou.toFixed(3)}`;
  return `${start.label} at step ${start.step}${iou}`;
}

/** A run's record for the terminal: status, data, configuration and where its weights came from. */
export function runRecordLines(run: RunDetail): string[] {
  const split = (name: string) => run.images.filter((i) => i.split === name).length;
  const config = run.config;
  const arch = [`depth ${String(config.depth)}`, `${String(config.baseChannels)} channels`, `tile ${String(config.tile)}`].join(', ');
  const lines = [
    `run #${run.id} ${run.name}: ${run.status}`,
    `data set:     ${run.datasetName}, ${split('train')} train / ${split('validation')} validation image(s)`,
    `network:      ${arch}; seed ${run.seed}; ${run.backend} on ${run.device}`,
    `steps:        ${run.lastStep ?? 0}`,
  ];
  if (run.lineage.length === 0) lines.push('started from: random weights (the paper)');
  else run.lineage.forEach((start, k) => lines.push(`${k === 0 ? 'started from: ' : '              ← '}${describeStart(start)}`));
  if (run.resumedFrom !== null) lines.push(`resumed:      from step ${run.resumedFrom}`);
  if (run.error) lines.push(`error:        ${run.error.message}`);
  return lines;
}
