import { BACKEND_CHOICES, CALIBRATION_METRIC_NAMES, CLASS_WEIGHTINGS, type ClassWeighting, GAMMA_RANGE_MAX, MAX_UPSCALE, SCALE_RANGE_MAX, type BackendChoice, type CalibrationMetricName } from '../../../src-shared/contract/training';
import type { Command } from 'commander';
import { RUN_SCALE_RANGE } from '../../../src-shared/imaging/augmentation';
import { RUN_GAMMA_RANGE } from '../../../src-shared/imaging/intensity-augmentation';
import type { TrainOptions } from '../../../src-shared/contract/training';
import { choice, decayOrOff, decimal, factorOrAuto, integer, outputFolder, requireFolder } from '../cli-args';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../cli-errors';
import { formatMetric } from '../cli-output';
import { formatDuration, ProgressDisplay } from '../progress-display';
import { withCommonOptions, type CommandEnv, type Wrap } from '../command-kit';
import { imagePlaneOf, planeOption, type PlaneCliOptions } from '../plane-options';

interface TrainCliOptions extends PlaneCliOptions {
  images?: string;
  masks?: string;
  out?: string;
  name?: string;
  preset: 'paper' | 'fast' | 'tiny';
  base?: number;
  depth?: number;
  tile?: number;
  steps?: number;
  minutes?: number;
  lr?: number;
  optimizer?: 'sgd' | 'adam';
  init?: string;
  lrSchedule?: 'constant' | 'cosine';
  batchNorm?: 'on' | 'off';
  borderClass?: 'on' | 'off';
  weightAverage?: number;
  classWeights?: ClassWeighting;
  calibrateFor?: CalibrationMetricName;
  normalization?: 'dataset' | 'per-image';
  gamma?: number;
  scale?: number;
  upscale?: number | 'auto';
  valImages?: string;
  valMasks?: string;
  valFraction?: number;
  backend: BackendChoice;
  threads?: number;
  batch?: number;
  seed?: number;
  w0?: number;
  sigma?: number;
  elastic: boolean;
}

export function registerTrain(program: Command, env: CommandEnv, wrap: Wrap): Command {
  return withCommonOptions(
    program
      .command('train')
      .description('Train a U-Net on a folder of images and masks (matched by file name), record the run in the workspace, write the model folder')
      .requiredOption('--images <dir>', 'folder of training images (TIFF, PNG, JPEG)')
      .requiredOption('--masks <dir>', 'folder of masks with the images\' file names: {0,255} or {0,1} = foreground/background, other integers = instance labels')
      .requiredOption('--out <model-dir>', 'model folder to write (model.json, weights.bin, unet.json, model.onnx)')
      .option('--name <name>', 'name of the run in the workspace')
      .option('--preset <name>', 'paper (depth 4, 64 channels, 572 px tiles), fast (16 channels, 316 px) or tiny', choice(['paper', 'fast', 'tiny'] as const), 'fast')
      .option('--base <n>', 'channels of the first level (doubling at each level down)', integer(1, 128))
      .option('--depth <n>', 'number of 2x2 max-pool steps', integer(1, 6))
      .option('--tile <n>', 'input tile edge in pixels (must be legal for the depth)', integer(16, 2048))
      .option('--steps <n>', 'training steps (one tile each)', integer(1, 1_000_000))
      .option('--minutes <m>', 'time budget: stop when spent and keep the best checkpoint on validation', decimal(0, 100_000, { exclusiveMin: true }))
      .option('--lr <x>', 'learning rate', decimal(0, 1, { exclusiveMin: true }))
      .option('--optimizer <name>', 'sgd (momentum 0.99, as the paper) or adam (beta1 0.9)', choice(['sgd', 'adam'] as const))
      .option('--lr-schedule <name>', 'after the warm-up: constant (default) or cosine (decays to 5 % when the budget ends)', choice(['constant', 'cosine'] as const))
      .option('--batch-norm <on|off>', 'batch normalisation while training (ONNX Runtime; folded into the saved model, which stays the paper\'s network); default: the preset\'s, off when fine-tuning', choice(['on', 'off'] as const))
      .option('--border-class <on|off>', 'train a third class, the objects\' borders (outlines and the gaps between touching objects); segmentation grows each object from its interior, which keeps touching cells apart', choice(['on', 'off'] as const))
      .option('--weight-average <decay|off>', 'take the model from a moving average of the weights over about the last 1 / (1 - decay) steps (ONNX Runtime); default: none (no preset uses it)', decayOrOff)
      .option('--class-weights <how>', 'how the loss balances the classes: per-image (default: each image by its own class frequencies, the paper\'s balancing), data-set (by those of all the training annotations: outlines drawn alike on sparse and crowded images) or none', choice(CLASS_WEIGHTINGS))
      .option('--calibrate-for <metric>', 'the score the instance post-processing is chosen for after training, on the validation images and training images beside them: seg (default; cells), ap50, or vRand (objects that tile the image, as neurons in EM)', choice(CALIBRATION_METRIC_NAMES))
      .option('--normalization <how>', 'dataset (default: one percentile scaling from the training images) or per-image (each image by its own percentiles, for images from different instruments; when they mix bright and dark backgrounds, as fluorescence with H&E or bright-field, the bright-background ones are inverted)', choice(['dataset', 'per-image'] as const))
      .option('--gamma <range>', `gray-value augmentation: gamma drawn in exp(±range), 0 to ${GAMMA_RANGE_MAX}; default ${RUN_GAMMA_RANGE}`, decimal(0, GAMMA_RANGE_MAX))
      .option('--scale <range>', `zoom augmentation: content scaled by exp(±range), 0 to ${SCALE_RANGE_MAX}, for objects whose size varies between images; default ${RUN_SCALE_RANGE}`, decimal(0, SCALE_RANGE_MAX))
      .option('--upscale <factor|auto>', `enlarge the images this many times (1 to ${MAX_UPSCALE}) before the network, in training and whenever the model segments, for objects only a few pixels across (nuclei under 20 px); auto: each image by the size of its objects; default 1`, factorOrAuto(MAX_UPSCALE))
      .option('--init <model>', 'start from a model\'s weights (fine-tuning): starter:NAME (shipped with the app, e.g. starter:nuclei), a run id of the workspace, or a model folder; the architecture, tile and normalisation come from it; the learning rate defaults to 3e-4')
      .option('--val-images <dir>', 'folder of validation images (with --val-masks)')
      .option('--val-masks <dir>', 'folder of validation masks')
      .option('--val-fraction <f>', 'share of the training images held out for validation (default 0.2)', decimal(0, 0.9))
      .option('--backend <name>', `training backend: ${BACKEND_CHOICES.join(', ')} (auto: the fastest that starts here; ort: ONNX Runtime on CUDA, DirectML or all CPU cores)`, choice(BACKEND_CHOICES), 'auto')
      .option('--threads <n>', 'CPU threads for ONNX Runtime (default: all cores)', integer(1, 1024))
      .option('--seed <n>', 'random seed (initialisation, augmentation, split)', integer(0, 2 ** 31 - 1))
      .option('--w0 <x>', 'weight of the border term of the loss weight map (paper: 10)', decimal(0, 1000))
      .option('--sigma <x>', 'width of the border term in pixels (paper: 5)', decimal(0, 1000, { exclusiveMin: true }))
      .option('--no-elastic', 'switch off elastic deformation')
      .addOption(planeOption('channel', 'train on'))
      .addOption(planeOption('z', 'train on'))
      .addOption(planeOption('t', 'train on')),
  ).action(
    wrap<TrainCliOptions>(async (options) => {
      const out = env.output(options);
      const images = requireFolder(options.images, '--images');
      const masks = requireFolder(options.masks, '--masks');
      const modelOut = outputFolder(options.out, '--out');
      if ((options.valImages === undefined) !== (options.valMasks === undefined)) throw new UsageError('--val-images and --val-masks go together');
      if (options.valImages && options.valFraction !== undefined) throw new UsageError('give either --val-images/--val-masks or --val-fraction, not both');
      const { pairFolders } = await import('../../io/image-pairs');
      const paired = await pairFolders(images, masks);
      if (paired.pairs.length === 0) throw new UsageError(`no mask in ${options.masks} has the file name of an image in ${options.images}`);
      for (const file of paired.unmatchedImages) out.note(`no mask for ${file}; not used`);
      let validation;
      if (options.valImages && options.valMasks) {
        const val = await pairFolders(requireFolder(options.valImages, '--val-images'), requireFolder(options.valMasks, '--val-masks'));
        if (val.pairs.length === 0) throw new UsageError(`no mask in ${options.valMasks} has the file name of an image in ${options.valImages}`);
        validation = val.pairs;
      }
      const trainOptions: TrainOptions = {
        preset: options.preset,
        backend: options.backend,
        ...(options.threads !== undefined ? { threads: options.threads } : {}),
        ...(options.base !== undefined ? { baseChannels: options.base } : {}),
        ...(options.depth !== undefined ? { depth: options.depth } : {}),
        ...(options.tile !== undefined ? { tile: options.tile } : {}),
        ...(options.steps !== undefined ? { steps: options.steps } : {}),
        ...(options.minutes !== undefined ? { minutes: options.minutes } : {}),
        ...(options.lr !== undefined ? { learningRate: options.lr } : {}),
        ...(options.optimizer !== undefined ? { optimizer: options.optimizer } : {}),
        ...(options.lrSchedule !== undefined ? { lrSchedule: options.lrSchedule } : {}),
        ...(options.batchNorm !== undefined ? { batchNorm: options.batchNorm === 'on' } : {}),
        ...(options.borderClass !== undefined ? { borderClass: options.borderClass === 'on' } : {}),
        ...(options.weightAverage !== undefined ? { weightAverage: options.weightAverage } : {}),
        ...(options.classWeights !== undefined ? { classWeights: options.classWeights } : {}),
        ...(options.calibrateFor !== undefined ? { calibrationMetric: options.calibrateFor } : {}),
        ...(options.normalization !== undefined ? { normalization: options.normalization } : {}),
        ...(options.gamma !== undefined ? { gamma: options.gamma } : {}),
        ...(options.scale !== undefined ? { scale: options.scale } : {}),
        ...(options.upscale !== undefined ? { upscale: options.upscale } : {}),
        ...(options.init !== undefined ? { init: options.init } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.w0 !== undefined ? { w0: options.w0 } : {}),
        ...(options.sigma !== undefined ? { sigma: options.sigma } : {}),
        ...(options.elastic === false ? { elastic: false } : {}),
      };
      const [{ openLocalApp }, { trainFromFolders }] = await Promise.all([import('../local-api'), import('../../workflows/train-from-folders')]);
      const app = openLocalApp(options.workspace, options);
      const display = new ProgressDisplay(env.io, 'train');
      try {
        const result = await trainFromFolders(
          app.ctx,
          { train: paired.pairs, validation, validationFraction: options.valFraction, runName: options.name, options: trainOptions, plane: imagePlaneOf(options), outDir: modelOut },
          {
            onPhase: (message) => out.note(message),
            onProgress: (p, job) => {
              const val = p.validation ? `  val IoU ${p.validation.iou.toFixed(3)}` : '';
              display.update({ percent: job.progress, detail: `step ${p.step}/${p.totalSteps}  loss ${p.loss.toFixed(4)}${val}  ${p.tilesPerSecond.toFixed(2)} tiles/s`, etaSeconds: p.etaSeconds });
            },
          },
          env.interrupted,
        );
        display.stop();
        const { job, outcome } = result;
        const best = outcome?.best ?? null;
        out.result({
          status: job.status,
          error: job.error ?? null,
          runId: result.runId,
          workspace: result.workspace,
          dataset: { id: result.datasetId, name: result.datasetName },
          trainImages: result.trainImages.length,
          validationImages: result.validationImages.length,
          steps: outcome?.steps ?? null,
          stopReason: outcome?.stopReason ?? null,
          bestValidation: best,
          backend: outcome?.backend ?? null,
          elapsedSeconds: outcome?.elapsedSeconds ?? null,
          instancePostprocessing: outcome?.calibration?.instances ?? null,
          modelDir: result.modelDir,
        });
        out.line(`run ${result.runId} ${job.status}: ${result.trainImages.length} training / ${result.validationImages.length} validation image(s) of data set "${result.datasetName}"`);
        if (outcome) {
          out.line(`steps ${outcome.steps}${outcome.stopReason === 'time' ? ' (time budget spent)' : ''} in ${formatDuration(outcome.elapsedSeconds)} on ${outcome.backend ?? 'unknown backend'}`);
          out.line(`best validation IoU ${formatMetric(best?.iou)}${best ? ` at step ${best.step}` : ''}`);
          const chosen = outcome.calibration?.instances;
          if (chosen) {
            const { describeCalibrationImages, describeInstanceOptions } = await import('../../pipeline/instance-calibration');
            out.line(`objects: ${describeInstanceOptions(chosen.options)}, chosen on ${describeCalibrationImages(chosen)}: ${chosen.metric.toUpperCase()} ${formatMetric(chosen.score)} (the model's default: ${formatMetric(chosen.defaultScore)})`);
          }
        }
        if (result.modelDir) out.line(`model: ${result.modelDir}`);
        out.line(`recorded in workspace ${result.workspace} (open it with: npm run serve -- --workspace ${result.workspace})`);
        if (job.status !== 'succeeded') {
          out.note(`unet-studio train: ${job.status}${job.error ? `: ${job.error.message}` : ''}`);
          return EXIT_FAILURE;
        }
        return EXIT_OK;
      } finally {
        display.stop();
        await app.close();
      }
    }),
  );
}
