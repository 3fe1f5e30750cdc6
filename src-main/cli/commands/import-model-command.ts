import path from 'node:path';
import type { Command } from 'commander';
import { requireFile } from '../cli-args';
import { EXIT_FAILURE, EXIT_OK } from '../cli-errors';
import { withCommonOptions, type CommandEnv, type Wrap } from '../command-kit';

interface ImportOptions {
  out?: string;
}

export function registerImportModel(program: Command, env: CommandEnv, wrap: Wrap): Command {
  return withCommonOptions(
    program
      .command('import-model')
      .description('Import a bioimage.io package exported by U-Net Studio and check it: its test input is segmented and compared with its test output')
      .argument('<file>', 'the package (.zip)')
      .option('--out <dir>', 'model folder to create (default: the workspace\'s models/imported/NAME)'),
  ).action(
    wrap<ImportOptions>(async (options, args) => {
      const out = env.output(options);
      const file = requireFile(args[0], 'FILE');
      const [{ importBioimageio, TEST_TOLERANCE }, { defaultWorkspacePath }] = await Promise.all([
        import('../../pipeline/bioimageio/import-bioimageio'),
        import('../../app/default-workspace'),
      ]);
      const base = path.basename(file).replace(/\.zip$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-');
      const dest = path.resolve(options.out ?? path.join(options.workspace ?? defaultWorkspacePath(), 'models', 'imported', base));
      const result = await importBioimageio(file, dest);
      const ok = result.check.maxAbsDifference <= TEST_TOLERANCE;
      out.result({ ...result, rdf: undefined, ok, tolerance: TEST_TOLERANCE });
      out.line(`imported "${result.name}" into ${result.modelDir}`);
      out.line(`test tensors: input [${result.check.inputShape.join(', ')}] -> output [${result.check.outputShape.join(', ')}] with ${result.check.runner}`);
      out.line(`max abs difference from the package's test output: ${result.check.maxAbsDifference.toExponential(2)} (${ok ? 'ok' : `above ${TEST_TOLERANCE}`})`);
      out.line(`segment with: unet-studio segment --model ${result.modelDir} --images DIR --out DIR`);
      return ok ? EXIT_OK : EXIT_FAILURE;
    }),
  );
}
