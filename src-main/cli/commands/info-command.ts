import type { Command } from 'commander';
import { integer } from '../cli-args';
import { EXIT_OK } from '../cli-errors';
import { withCommonOptions, type CommandEnv, type Wrap } from '../command-kit';

const MARK = { ok: 'ok  ', warn: 'warn', error: 'FAIL' } as const;

interface InfoOptions {
  run?: number;
}

export function registerInfo(program: Command, env: CommandEnv, wrap: Wrap): Command {
  return withCommonOptions(
    program
      .command('info')
      .description('Versions, the workspace, the training and inference backends, and the GPU doctor\'s findings; or, with --run, a run\'s record')
      .option('--run <id>', 'show the record of this run of the workspace instead: status, data, network and the models it started from', integer(1)),
  ).action(
    wrap<InfoOptions>(async (options) => {
      const out = env.output(options);
      const { openLocalApp } = await import('../local-api');
      const app = openLocalApp(options.workspace, options);
      try {
        if (options.run !== undefined) {
          const run = await app.api.runs.get({ id: options.run });
          out.result(run);
          const { runRecordLines } = await import('../run-record-lines');
          for (const line of runRecordLines(run)) out.line(line);
          return EXIT_OK;
        }
        const [info, gpu] = await Promise.all([app.api.system.info(), app.api.system.gpu()]);
        out.result({ ...info, gpu });
        out.line(`${info.appName} ${info.appVersion} (${info.platform}, node ${info.versions.node})`);
        out.line(`workspace:  ${info.workspacePath}`);
        out.line(`training:   ${info.compute.training} on ${info.compute.device}`);
        out.line(`inference:  ${info.compute.inference}`);
        if (gpu.gpus.length > 0) out.line(`GPUs:       ${gpu.gpus.map((g) => `${g.name}${g.memoryMiB ? ` (${g.memoryMiB} MiB)` : ''}`).join(', ')}`);
        out.line('');
        out.line('GPU doctor:');
        for (const f of gpu.findings) {
          out.line(`  [${MARK[f.level]}] ${f.title}: ${f.detail}`);
          if (f.fix) out.line(`         fix: ${f.fix}`);
        }
        return EXIT_OK;
      } finally {
        await app.close();
      }
    }),
  );
}
