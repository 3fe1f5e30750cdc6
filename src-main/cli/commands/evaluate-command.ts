import type { Command } from 'commander';
import { requireFolder } from '../cli-args';
import { EXIT_OK, UsageError } from '../cli-errors';
import { formatMetric, formatTable } from '../cli-output';
import { withCommonOptions, type CommandEnv, type Wrap } from '../command-kit';

interface EvaluateOptions {
  pred?: string;
  masks?: string;
}

export function registerEvaluate(program: Command, env: CommandEnv, wrap: Wrap): Command {
  return withCommonOptions(
    program
      .command('evaluate')
      .description('Score predicted masks against ground truth: foreground IoU, SEG, V_rand, V_info, Rand error, pixel error, warping error, AP@0.5')
      .requiredOption('--pred <dir>', 'folder of predicted masks (0 = background; 255 or 1 = foreground, or instance labels)')
      .requiredOption('--masks <dir>', 'folder of ground-truth masks, matched to predictions by file name'),
  ).action(
    wrap<EvaluateOptions>(async (options) => {
      const out = env.output(options);
      const { evaluateFolders } = await import('../../pipeline/evaluate-folders');
      const { METRIC_LABELS, REPORTED_METRICS } = await import('../../pipeline/segmentation-metrics');
      const predDir = requireFolder(options.pred, '--pred');
      const masksDir = requireFolder(options.masks, '--masks');
      const result = await evaluateFolders(predDir, masksDir, (done, total, name) => out.debug(`evaluated ${done}/${total} ${name}`));
      if (result.images.length === 0) throw new UsageError(`no prediction in ${options.pred} has a mask of the same name in ${options.masks}`);
      for (const file of result.unmatchedPredictions) out.note(`no mask for ${file}; skipped`);
      out.result(result);
      const header = ['image', ...REPORTED_METRICS.map((m) => METRIC_LABELS[m])];
      const rows = result.images.map((img) => [img.name, ...REPORTED_METRICS.map((m) => formatMetric(img.metrics[m]))]);
      rows.push(['mean', ...REPORTED_METRICS.map((m) => formatMetric(result.mean[m]))]);
      out.line(formatTable(header, rows));
      return EXIT_OK;
    }),
  );
}
