import type { Command } from 'commander';
import { baselineReport } from '../baseline-report';
import { choice, requireFolder } from '../cli-args';
import { EXIT_OK, UsageError } from '../cli-errors';
import { formatMetric, formatTable } from '../cli-output';
import { withCommonOptions, type CommandEnv, type Wrap } from '../command-kit';
import { planeOption, planeSelectionOf, type PlaneCliOptions } from '../plane-options';

interface EvaluateOptions extends PlaneCliOptions {
  pred?: string;
  masks?: string;
  images?: string;
  baselinePolarity?: 'bright' | 'dark';
}

export function registerEvaluate(program: Command, env: CommandEnv, wrap: Wrap): Command {
  return withCommonOptions(
    program
      .command('evaluate')
      .description('Score predicted masks against ground truth: foreground IoU, SEG, V_rand, V_info, Rand error, pixel error, warping error, AP@0.5')
      .requiredOption('--pred <dir>', 'folder of predicted masks (0 = background; 255 or 1 = foreground, or instance labels)')
      .requiredOption('--masks <dir>', 'folder of ground-truth masks, matched to predictions by file name')
      .option('--images <dir>', 'the images that were segmented: adds an Otsu threshold of them (Gaussian σ 1) scored against the same masks')
      .option('--baseline-polarity <side>', 'foreground of the Otsu baseline: bright or dark (default: the side with fewer pixels, per image)', choice(['bright', 'dark'] as const))
      .addOption(planeOption('channel', 'with --images, the baseline thresholds'))
      .addOption(planeOption('z', 'with --images, the baseline thresholds'))
      .addOption(planeOption('t', 'with --images, the baseline thresholds')),
  ).action(
    wrap<EvaluateOptions>(async (options) => {
      const out = env.output(options);
      const { evaluateFolders } = await import('../../workflows/evaluate-folders');
      const { METRIC_LABELS, REPORTED_METRICS } = await import('../../pipeline/segmentation-metrics');
      const predDir = requireFolder(options.pred, '--pred');
      const masksDir = requireFolder(options.masks, '--masks');
      const imagesDir = options.images ? requireFolder(options.images, '--images') : undefined;
      const plane = planeSelectionOf(options);
      if (plane && !imagesDir) throw new UsageError('--channel, --z and --t choose the plane of the --images the baseline thresholds: give --images');
      const polarity = options.baselinePolarity ? { polarity: options.baselinePolarity, rule: 'given' as const } : { polarity: null, rule: 'minority' as const };
      const result = await evaluateFolders(predDir, masksDir, (done, total, name) => out.debug(`evaluated ${done}/${total} ${name}`), imagesDir ? { imagesDir, polarity, ...(plane ? { plane } : {}) } : undefined);
      if (result.images.length === 0) throw new UsageError(`no prediction in ${options.pred} has a mask of the same name in ${options.masks}`);
      for (const file of result.unmatchedPredictions) out.note(`no mask for ${file}; skipped`);
      out.result({ ...result, verdict: result.baseline ? baselineReport(result.images, result.baseline).verdict : null });
      const header = ['image', ...REPORTED_METRICS.map((m) => METRIC_LABELS[m])];
      const rows = result.images.map((img) => [img.name, ...REPORTED_METRICS.map((m) => formatMetric(img.metrics[m]))]);
      rows.push(['mean', ...REPORTED_METRICS.map((m) => formatMetric(result.mean[m]))]);
      const baseline = result.baseline ? baselineReport(result.images, result.baseline) : null;
      if (baseline) rows.push(baseline.row);
      out.line(formatTable(header, rows));
      if (baseline) for (const line of baseline.lines) out.line(line);
      else out.line('Add --images DIR (the images that were segmented) to see an Otsu threshold scored beside the model.');
      return EXIT_OK;
    }),
  );
}
