import path from 'node:path';
import type { Command } from 'commander';
import { choice, decimal, integer, outputFolder, requireFolder, shard, type Shard } from '../cli-args';
import { EXIT_OK, UsageError } from '../cli-errors';
import { ProgressDisplay } from '../progress-display';
import { withCommonOptions, type CommandEnv, type Wrap } from '../command-kit';
import { planeOption, planeSelectionOf, type PlaneCliOptions } from '../plane-options';

interface SegmentCliOptions extends PlaneCliOptions {
  model?: string;
  images?: string[];
  out?: string;
  tta?: boolean;
  probabilities?: boolean;
  instances?: boolean;
  rois?: 'zip' | 'geojson';
  shard?: Shard;
  tile?: number;
  seedThreshold?: number;
  erosion?: number;
  minSize?: number;
  growth?: 'nearest' | 'probability' | 'distance';
  fill?: boolean;
  merge?: number;
  masks?: string;
  /** Commander's negated flag: false with --no-noise-matching. */
  noiseMatching?: boolean;
}

function formatRange(values: number[]): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? lo.toFixed(2) : `${lo.toFixed(2)}-${hi.toFixed(2)}`;
}

export function registerSegment(program: Command, env: CommandEnv, wrap: Wrap): Command {
  return withCommonOptions(
    program
      .command('segment')
      .description('Segment images with a trained model (overlap-tile): one mask per input, named like the input (PNG for PNG inputs, TIFF otherwise)')
      .requiredOption('--model <dir>', 'model folder (written by "unet-studio train" or "unet-studio import-model")')
      .requiredOption('--images <paths...>', 'image files and/or folders of images')
      .requiredOption('--out <dir>', 'folder for the masks (created if missing)')
      .option('--tta', 'test-time augmentation: average over the 8 rotations and flips (the default)')
      .option('--no-tta', 'one pass per tile instead of the 8 rotations and flips (8x faster, usually a little less accurate)')
      .option('--probabilities', 'also write the foreground probability as float TIFF under OUT/probabilities/')
      .option('--instances', 'write instance labels (1..N per object) instead of 0/255 masks')
      .option('--rois <format>', 'with --instances, also write each image\'s objects as an ImageJ ROI set (zip: NAME.rois.zip) or QuPath GeoJSON (geojson: NAME.geojson)', choice(['zip', 'geojson'] as const))
      .addOption(planeOption('channel', 'segment'))
      .addOption(planeOption('z', 'segment'))
      .addOption(planeOption('t', 'segment'))
      .option('--shard <i/n>', 'process only the I-th of N slices of the sorted input list (cluster array jobs)', shard)
      .option('--tile <n>', 'input tile edge (rounded down to a legal size; default: picked per image)', integer(16, 4096))
      .option('--seed-threshold <p>', 'with --instances: foreground probability a seed pixel must reach (default: the model\'s calibrated post-processing)', decimal(0, 1))
      .option('--erosion <px>', 'with --instances: seed erosion radius (0 = plain connected components unless other parameters are given)', integer(0, 50))
      .option('--min-size <px>', 'with --instances: drop objects smaller than this', integer(0, 1_000_000))
      .option('--growth <how>', 'with --instances: nearest, probability or distance (seeded watershed)', choice(['nearest', 'probability', 'distance'] as const))
      .option('--fill', 'with --instances: grow the objects over the background until they meet (objects that tile the image, as neurons in EM)')
      .option('--merge <p>', 'with --instances: merge objects grown from different seeds where the foreground probability along their shared border stays at or above p', decimal(0, 1))
      .option('--no-noise-matching', 'segment images noisier than the training images as they are (default: smooth them down to the training noise level)')
      .option('--masks <dir>', 'ground-truth masks (matched by file name): score the outputs, with an Otsu threshold of the same images beside them'),
  ).action(
    wrap<SegmentCliOptions>(async (options) => {
      const out = env.output(options);
      const modelDir = requireFolder(options.model, '--model');
      const outDir = outputFolder(options.out, '--out');
      if (!options.images || options.images.length === 0) throw new UsageError('--images needs at least one file or folder');
      if (options.rois && !options.instances) throw new UsageError('--rois needs --instances (ROIs outline the objects of the instance labels)');
      const [{ resolveInputs, segmentFiles, shardOf }, { recordPredictions }, { defaultWorkspacePath }, { describeInstanceOptions }, { scoreOutputs }] = await Promise.all([
        import('../../workflows/segment-files'),
        import('../../workflows/record-predictions'),
        import('../../app/default-workspace'),
        import('../../pipeline/instance-calibration'),
        import('../score-outputs'),
      ]);
      const all = await resolveInputs(options.images);
      if (all.length === 0) throw new UsageError(`no TIFF, PNG or JPEG files in ${options.images.join(', ')}`);
      const inputs = options.shard ? shardOf(all, options.shard.index, options.shard.count) : all;
      const masksDir = options.masks ? requireFolder(options.masks, '--masks') : undefined;
      const explicit = { threshold: options.seedThreshold, erosion: options.erosion, minSize: options.minSize, growth: options.growth, fill: options.fill, merge: options.merge };
      const instanceOptions = Object.values(explicit).some((v) => v !== undefined) ? explicit : undefined;
      if (instanceOptions && !options.instances) throw new UsageError('--seed-threshold, --erosion, --min-size, --growth, --fill and --merge need --instances');
      if (options.shard) out.note(`shard ${options.shard.index}/${options.shard.count}: ${inputs.length} of ${all.length} image(s)`);
      const plane = planeSelectionOf(options);
      const display = new ProgressDisplay(env.io, 'segment');
      let result;
      try {
        result = await segmentFiles(
          {
            modelDir,
            inputs,
            outDir,
            tta: options.tta !== false,
            instances: options.instances,
            instanceOptions,
            probabilities: options.probabilities,
            rois: options.rois,
            plane,
            tile: options.tile,
            matchNoise: options.noiseMatching !== false,
          },
          (done, total, file, percent) => display.update({ percent: ((done + percent / 100) / Math.max(1, total)) * 100, detail: `${Math.min(done + 1, total)}/${total} ${path.basename(file)}` }),
          env.interrupted,
        );
      } finally {
        display.stop();
      }
      for (const note of result.notes) out.debug(note);
      const workspace = options.workspace ?? defaultWorkspacePath();
      const recorded = await recordPredictions(workspace, modelDir, result.outputs, options.instances === true);
      if (recorded.runId === null) out.debug(`predictions not recorded: ${recorded.reason}`);
      const scores = masksDir ? await scoreOutputs(modelDir, result.outputs, masksDir, (text) => out.note(text), { plane }) : null;
      out.result({
        model: modelDir,
        outDir,
        shard: options.shard ?? null,
        total: all.length,
        outputs: result.outputs,
        instances: result.instances,
        runner: result.runner,
        seconds: result.seconds,
        recordedRunId: recorded.runId,
        ...(scores ? { evaluation: scores.evaluation } : {}),
      });
      out.line(`segmented ${result.outputs.length} image(s) in ${result.seconds.toFixed(1)} s with ${result.runner} -> ${outDir}`);
      const smoothed = result.outputs.filter((o) => o.noiseSmoothing !== null);
      if (smoothed.length > 0) out.line(`${smoothed.length} image(s) noisier than the training images were smoothed to their noise level (Gaussian sigma ${formatRange(smoothed.map((o) => o.noiseSmoothing!))} px; --no-noise-matching turns this off)`);
      const enlarged = result.outputs.filter((o) => o.upscale > 1);
      if (enlarged.length > 0) {
        const factors = [...new Set(enlarged.map((o) => o.upscale))].sort((a, b) => a - b);
        out.line(`${enlarged.length} image(s) were enlarged ${factors.join(' or ')} times before the network, as the model was trained for small objects`);
      }
      const notEnlarged = result.outputs.filter((o) => o.upscaleSkipped !== null);
      if (notEnlarged.length > 0) out.line(`${notEnlarged.length} image(s) with small objects were too large to enlarge and were segmented as they are (crop them into parts to enlarge them)`);
      const distrusted = result.outputs.filter((o) => o.upscaleDistrusted !== null);
      if (distrusted.length > 0) out.line(`${distrusted.length} image(s) lost most of their objects when enlarged (the model had not learned objects that large) and were segmented as they are`);
      if (result.instances) out.line(`objects: ${describeInstanceOptions(result.instances.options)}${result.instances.calibrated ? ' (calibrated after training)' : ''}`);
      if (scores) for (const line of scores.lines) out.line(line);
      if (recorded.runId !== null) out.line(`recorded as predictions of run ${recorded.runId} in ${workspace}`);
      return EXIT_OK;
    }),
  );
}
