import { BACKEND_CHOICES, type BackendChoice } from '../../../src-shared/contract/training';
import path from 'node:path';
import type { Command } from 'commander';
import { choice, decimal, integer } from '../cli-args';
import { EXIT_OK } from '../cli-errors';
import { formatMetric, formatTable } from '../cli-output';
import { formatDuration, ProgressDisplay } from '../progress-display';
import { withCommonOptions, type CommandEnv, type Wrap } from '../command-kit';

interface DemoCliOptions {
  minutes: number;
  preset: 'paper' | 'fast' | 'tiny';
  backend: BackendChoice;
  threads?: number;
  batch?: number;
  tile?: number;
  seed?: number;
  optimizer?: 'sgd' | 'adam';
  lr?: number;
  data?: string;
}

export function registerDemo(program: Command, env: CommandEnv, wrap: Wrap): Command {
  return withCommonOptions(
    program
      .command('demo')
      .description('The whole loop on the bundled demo data (DSB 2018 nuclei): import, train within a time budget, segment held-out images, score them, report')
      .option('--minutes <m>', 'training time budget', decimal(0, 600, { exclusiveMin: true }), 4)
      .option('--preset <name>', 'paper, fast or tiny', choice(['paper', 'fast', 'tiny'] as const), 'fast')
      .option('--backend <name>', `training backend: ${BACKEND_CHOICES.join(', ')} (auto: the fastest that starts here; ort: ONNX Runtime on CUDA, DirectML or all CPU cores)`, choice(BACKEND_CHOICES), 'auto')
      .option('--threads <n>', 'CPU threads for ONNX Runtime (default: all cores)', integer(1, 1024))
      .option('--tile <n>', 'training tile edge (default: the preset\'s)', integer(16, 2048))
      .option('--seed <n>', 'random seed', integer(0, 2 ** 31 - 1))
      .option('--optimizer <name>', 'sgd or adam: Adam learns faster in a short budget than the paper\'s SGD', choice(['sgd', 'adam'] as const), 'adam')
      .option('--lr <x>', 'learning rate (default: the preset\'s)', decimal(0, 1, { exclusiveMin: true }))
      .option('--data <dir>', 'a folder laid out like resources/demo (train/ and test/, each with images/ and masks/)'),
  ).action(
    wrap<DemoCliOptions>(async (options) => {
      const out = env.output(options);
      const [{ openLocalApp }, { runDemo }, { describeInstanceOptions }] = await Promise.all([import('../local-api'), import('../../workflows/demo'), import('../../pipeline/instance-calibration')]);
      const app = openLocalApp(options.workspace, options);
      const training = new ProgressDisplay(env.io, 'train');
      try {
        const workspace = app.ctx.workspace.current.path;
        out.note(`U-Net Studio demo: workspace ${workspace}, preset ${options.preset}, ${options.minutes} min of training`);
        const report = await runDemo(
          app.ctx,
          {
            minutes: options.minutes,
            preset: options.preset,
            backend: options.backend,
            threads: options.threads,
            tile: options.tile,
            seed: options.seed,
            optimizer: options.optimizer,
            learningRate: options.lr,
            dataDir: options.data ? path.resolve(options.data) : undefined,
            modelDir: path.join(workspace, 'models', 'demo-model'),
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
        training.stop();
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
        if (report.instances) out.line(`Objects: ${describeInstanceOptions(report.instances.options)}${report.instances.calibrated ? ' (calibrated on the validation images after training)' : ''}.`);
        if (report.otsu) {
          out.line(`Otsu baseline: Gaussian σ ${String(report.otsu.settings.sigma)}, ${String(report.otsu.settings.polarity)} foreground (${String(report.otsu.settings.rule)}), objects = 4-connected components.`);
          if (report.otsu.verdict) out.line(report.otsu.verdict);
        }
        out.line('');
        out.line(`Recorded in workspace ${report.workspace} (data set "${report.datasetName}", run ${report.runId}).`);
        if (report.modelDir) out.line(`Model folder: ${report.modelDir}`);
        out.line(`Open it in the UI: npm run serve -- --workspace ${report.workspace}  (then the Results view)`);
        return EXIT_OK;
      } finally {
        training.stop();
        await app.close();
      }
    }),
  );
}
