import { BACKEND_CHOICES, CLASS_WEIGHTINGS, type ClassWeighting, FINE_TUNING_LEARNING_RATE, GAMMA_RANGE_MAX, MAX_UPSCALE, SCALE_RANGE_MAX, type BackendChoice } from '../../../src-shared/contract/training';
import path from 'node:path';
import type { Command } from 'commander';
import { choice, decimal, factorOrAuto, integer } from '../cli-args';
import { EXIT_OK, UsageError } from '../cli-errors';
import { formatMetric, formatTable } from '../cli-output';
import { formatDuration, ProgressDisplay } from '../progress-display';
import { withCommonOptions, type CommandEnv, type Wrap } from '../command-kit';
import type { DemoReport } from '../../workflows/demo';
import { DEMO_STARTER, demoStartingModel } from '../../pipeline/demo-starting-model';

interface DemoCliOptions {
  minutes: number;
  preset?: 'paper' | 'fast' | 'tiny';
  backend: BackendChoice;
  threads?: number;
  batch?: number;
  tile?: number;
  seed?: number;
  optimizer?: 'sgd' | 'adam';
  lr?: number;
  borderClass?: 'on' | 'off';
  classWeights?: ClassWeighting;
  gamma?: number;
  scale?: number;
  upscale?: number | 'auto';
  data?: string;
  init?: string;
  fromScratch?: boolean;
  fineTune?: string | boolean;
  fineTuneMinutes: number;
}

export function registerDemo(program: Command, env: CommandEnv, wrap: Wrap): Command {
  return withCommonOptions(
    program
      .command('demo')
      .description(`The whole loop on the bundled demo data (DSB 2018 nuclei): import, fine-tune ${DEMO_STARTER} within a time budget (--from-scratch: random weights), segment held-out images, score them, report`)
      .option('--minutes <m>', 'training time budget', decimal(0, 600, { exclusiveMin: true }), 4)
      .option('--preset <name>', 'paper, fast or tiny, with --from-scratch or --data (default: fast)', choice(['paper', 'fast', 'tiny'] as const))
      .option('--backend <name>', `training backend: ${BACKEND_CHOICES.join(', ')} (auto: the fastest that starts here; ort: ONNX Runtime on CUDA, DirectML or all CPU cores)`, choice(BACKEND_CHOICES), 'auto')
      .option('--threads <n>', 'CPU threads for ONNX Runtime (default: all cores)', integer(1, 1024))
      .option('--tile <n>', 'training tile edge (default: the preset\'s)', integer(16, 2048))
      .option('--seed <n>', 'random seed', integer(0, 2 ** 31 - 1))
      .option('--optimizer <name>', 'sgd or adam: Adam learns faster in a short budget than the paper\'s SGD', choice(['sgd', 'adam'] as const), 'adam')
      .option('--lr <x>', `learning rate (default: the preset's from scratch, ${FINE_TUNING_LEARNING_RATE} when fine-tuning)`, decimal(0, 1, { exclusiveMin: true }))
      .option('--border-class <on|off>', 'train a third class, the objects\' borders, with --from-scratch or --data (default: the preset\'s, on for fast; with --fine-tune, the run from scratch: a fine-tuned one keeps its model\'s)', choice(['on', 'off'] as const))
      .option('--class-weights <how>', 'how the loss balances the classes: per-image, data-set or none (default: as train)', choice(CLASS_WEIGHTINGS))
      .option('--gamma <range>', `gray-value augmentation: gamma drawn in exp(±range), 0 to ${GAMMA_RANGE_MAX} (default: as train)`, decimal(0, GAMMA_RANGE_MAX))
      .option('--scale <range>', `zoom augmentation: content scaled by exp(±range), 0 to ${SCALE_RANGE_MAX} (default: as train)`, decimal(0, SCALE_RANGE_MAX))
      .option('--upscale <factor|auto>', `enlarge the images before the network: a factor 1 to ${MAX_UPSCALE}, or auto by each image's object size (default: as train)`, factorOrAuto(MAX_UPSCALE))
      .option('--data <dir>', 'a folder laid out like resources/demo (train/ and test/, each with images/ and masks/)')
      .option('--init <model>', `start the demo's training from this model: starter:NAME, a run id or a model folder (default: ${DEMO_STARTER} on the bundled data, random weights with --data)`)
      .option('--from-scratch', 'train from random weights, the paper\'s initialisation, instead of fine-tuning a starting model')
      .option('--fine-tune [model]', `the second demo: fine-tune a starting model (default ${DEMO_STARTER}) for --fine-tune-minutes, train from scratch for --minutes, and compare them`)
      .option('--fine-tune-minutes <m>', 'training budget of the fine-tuned model in the comparison', decimal(0, 600, { exclusiveMin: true }), 1),
  ).action(
    wrap<DemoCliOptions>(async (options) => {
      const out = env.output(options);
      // --fine-tune names its own starting model; a second one would be ignored without a word.
      if (options.fineTune && options.init !== undefined) throw new UsageError('--init and --fine-tune both name a starting model: give it to --fine-tune MODEL');
      if (options.fineTune && options.fromScratch) throw new UsageError('--fine-tune already trains a model from scratch beside the fine-tuned one: leave out --from-scratch');
      if (options.fromScratch && options.init !== undefined) throw new UsageError('--from-scratch and --init contradict each other: give one');
      if (options.init !== undefined && options.borderClass !== undefined) throw new UsageError('a run from --init keeps the starting model\'s border class: leave out --border-class');
      const start = options.fineTune ? undefined : demoStartingModel({ init: options.init, fromScratch: options.fromScratch, dataDir: options.data });
      // Settings of a run from scratch, given while the default starter is fine-tuned, would be ignored or refused.
      if (start !== undefined && options.init === undefined) {
        if (options.borderClass !== undefined) throw new UsageError(`the demo fine-tunes ${start}, which keeps its own border class: add --from-scratch to choose one`);
        if (options.preset !== undefined) throw new UsageError(`the demo fine-tunes ${start}, which keeps its own architecture: add --from-scratch to train the ${options.preset} preset`);
      }
      const [{ openLocalApp }, { runDemo }, { describeInstanceOptions }] = await Promise.all([import('../local-api'), import('../../workflows/demo'), import('../../pipeline/instance-calibration')]);
      const app = openLocalApp(options.workspace, options);
      try {
        if (options.fineTune) {
          const starter = typeof options.fineTune === 'string' ? options.fineTune : DEMO_STARTER;
          const scratch = await demoRun(app, options, { label: 'scratch', minutes: options.minutes });
          const tuned = await demoRun(app, options, { label: 'fine-tuned', minutes: options.fineTuneMinutes, init: starter });
          out.result({ scratch, fineTuned: tuned });
          out.line('');
          out.line(`Fine-tuning ${starter} for ${options.fineTuneMinutes} min against training from scratch for ${options.minutes} min (held-out test images, means):`);
          const row = (label: string, r: DemoReport) => [label, `${r.steps ?? '?'}`, formatMetric(r.meanIou), formatMetric(r.meanSeg), formatMetric(r.meanAp50)];
          const otsu = scratch.otsu?.mean;
          out.line(formatTable(['training', 'steps', 'IoU', 'SEG', 'AP@0.5'], [
            row(`from scratch, ${options.minutes} min`, scratch),
            row(`${starter}, fine-tuned ${options.fineTuneMinutes} min`, tuned),
            ...(otsu ? [['Otsu threshold', '-', formatMetric(otsu.iou), formatMetric(otsu.seg), formatMetric(otsu.ap50)]] : []),
          ]));
          const wins = (['meanIou', 'meanSeg', 'meanAp50'] as const).filter((k) => (tuned[k] ?? -1) > (scratch[k] ?? -1)).length;
          out.line(wins === 3 ? 'The fine-tuned model beats training from scratch on all three metrics.' : `The fine-tuned model beats training from scratch on ${wins} of 3 metrics.`);
          out.line(`Recorded in workspace ${scratch.workspace} (runs ${scratch.runId} and ${tuned.runId}).`);
          return EXIT_OK;
        }
        const report = await demoRun(app, options, { minutes: options.minutes, init: start });
        printReport(report);
        return EXIT_OK;
      } finally {
        await app.close();
      }

      async function demoRun(opened: typeof app, o: DemoCliOptions, run: { label?: string; minutes: number; init?: string }): Promise<DemoReport> {
        const training = new ProgressDisplay(env.io, run.label ? `train (${run.label})` : 'train');
        try {
          const workspace = opened.ctx.workspace.current.path;
          const preset = o.preset ?? 'fast';
          out.note(`U-Net Studio demo${run.label ? ` (${run.label})` : ''}: workspace ${workspace}, ${run.init ? `fine-tuning ${run.init}` : `preset ${preset} from random weights`}, ${run.minutes} min of training`);
          return await runDemo(
            opened.ctx,
            {
              minutes: run.minutes,
              preset,
              backend: o.backend,
              threads: o.threads,
              tile: o.tile,
              seed: o.seed,
              optimizer: o.optimizer,
              learningRate: o.lr,
              // A starting model keeps its own border class.
              ...(o.borderClass !== undefined && !run.init ? { borderClass: o.borderClass === 'on' } : {}),
              ...(o.classWeights !== undefined ? { classWeights: o.classWeights } : {}),
              ...(o.gamma !== undefined ? { gamma: o.gamma } : {}),
              ...(o.scale !== undefined ? { scale: o.scale } : {}),
              ...(o.upscale !== undefined ? { upscale: o.upscale } : {}),
              dataDir: o.data ? path.resolve(o.data) : undefined,
              modelDir: path.join(workspace, 'models', run.label ? `demo-model-${run.label}` : 'demo-model'),
              ...(run.init ? { init: run.init } : {}),
            },
            {
              onPhase: (message) => {
                training.stop();
                out.note(message);
              },
              onTraining: (p, job) => {
                const val = p.validation ? `  val IoU ${p.validation.iou.toFixed(3)}` : '';
                training.update({ percent: job.progress, detail: `step ${p.step}  loss ${p.loss.toFixed(4)}${val}  ${p.tilesPerSecond.toFixed(2)} tiles/s`, etaSeconds: p.etaSeconds });
              },
            },
            env.interrupted,
          );
        } finally {
          training.stop();
        }
      }

      function printReport(report: DemoReport): void {
        out.result(report);
        out.line('');
        out.line(`Demo finished in ${formatDuration(report.seconds)}: run ${report.runId} trained ${report.steps ?? '?'} steps in ${formatDuration(report.trainingSeconds ?? 0)} on ${report.backend ?? '?'}`);
        out.line(`(${report.trainImages} training, ${report.validationImages} validation images; best validation IoU ${formatMetric(report.bestValidationIou)}).`);
        out.line('');
        out.line('Held-out test images (model, and an Otsu threshold on the same images):');
        const otsuCell = (v: number | null | undefined) => (v === undefined ? '-' : formatMetric(v));
        out.line(formatTable(['image', 'IoU', 'SEG', 'AP@0.5', 'Otsu IoU', 'Otsu SEG', 'Otsu AP@0.5'], [
          ...report.test.map((r) => [r.name, formatMetric(r.iou), formatMetric(r.seg), formatMetric(r.ap50), otsuCell(r.otsu?.iou), otsuCell(r.otsu?.seg), otsuCell(r.otsu?.ap50)]),
          ['mean', formatMetric(report.meanIou), formatMetric(report.meanSeg), formatMetric(report.meanAp50), otsuCell(report.otsu?.mean.iou), otsuCell(report.otsu?.mean.seg), otsuCell(report.otsu?.mean.ap50)],
        ]));
        if (report.instances) out.line(`Objects: ${describeInstanceOptions(report.instances.options)}${report.instances.calibrated ? ' (calibrated after training)' : ''}.`);
        if (report.otsu) {
          out.line(`Otsu baseline: Gaussian σ ${String(report.otsu.settings.sigma)}, ${String(report.otsu.settings.polarity)} foreground (${String(report.otsu.settings.rule)}), objects = 4-connected components.`);
          if (report.otsu.verdict) out.line(report.otsu.verdict);
        }
        out.line('');
        out.line(`Recorded in workspace ${report.workspace} (data set "${report.datasetName}", run ${report.runId}).`);
        if (report.modelDir) out.line(`Model folder: ${report.modelDir}`);
        out.line(`Open it in the UI: npm run serve -- --workspace ${report.workspace}  (then the Results view)`);
      }
    }),
  );
}
