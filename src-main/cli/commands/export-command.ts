import type { Command } from 'commander';
import { choice, requireFolder } from '../cli-args';
import { EXIT_OK, UsageError } from '../cli-errors';
import { withCommonOptions, type CommandEnv, type Wrap } from '../command-kit';

interface ExportOptions {
  model?: string;
  format: 'bioimageio' | 'onnx';
  out?: string;
  name?: string;
  author?: string[];
  license?: string;
  sample?: string;
}

export function registerExport(program: Command, env: CommandEnv, wrap: Wrap): Command {
  return withCommonOptions(
    program
      .command('export')
      .description('Export a trained model: a bioimage.io package (zip with rdf.yaml, ONNX and tfjs weights, test tensors) or a plain ONNX file')
      .requiredOption('--model <dir>', 'model folder (as written by "unet-studio train --out")')
      .option('--format <format>', 'bioimageio or onnx', choice(['bioimageio', 'onnx'] as const), 'bioimageio')
      .requiredOption('--out <file>', 'file to write (FILE.zip for bioimageio, FILE.onnx for onnx)')
      .option('--name <name>', 'model name in the package')
      .option('--author <name>', 'an author (repeat for several)', (value: string, previous: string[] = []) => [...previous, value])
      .option('--license <spdx>', 'licence of the weights (SPDX id)', 'CC-BY-4.0')
      .option('--sample <image>', 'an image like the training images, for the test tensors and the cover'),
  ).action(
    wrap<ExportOptions>(async (options) => {
      const out = env.output(options);
      const modelDir = requireFolder(options.model, '--model');
      if (!options.out) throw new UsageError('--out is required');
      if (options.format === 'bioimageio' && !options.out.toLowerCase().endsWith('.zip')) throw new UsageError(`--out ${options.out}: a bioimage.io package is a .zip file`);
      if (options.format === 'onnx') {
        const { exportUnetToOnnx } = await import('../../engine/onnx/export-unet');
        const result = await exportUnetToOnnx(modelDir, options.out);
        out.result(result);
        out.line(`wrote ${result.file} (${(result.bytes / 1024 / 1024).toFixed(1)} MiB)`);
        return EXIT_OK;
      }
      const { exportBioimageio } = await import('../../pipeline/bioimageio/export-bioimageio');
      const sample = options.sample ? await readSample(options.sample) : undefined;
      const result = await exportBioimageio(modelDir, options.out, {
        name: options.name,
        license: options.license,
        authors: options.author?.map((name) => ({ name })),
        sample,
      });
      out.result({ file: result.file, bytes: result.bytes, rdf: result.rdf });
      out.line(`wrote ${result.file} (${(result.bytes / 1024 / 1024).toFixed(1)} MiB): bioimage.io model "${String(result.rdf.name)}", format ${String(result.rdf.format_version)}`);
      return EXIT_OK;
    }),
  );
}

async function readSample(file: string): Promise<{ data: Float32Array; width: number; height: number }> {
  const [{ readImage }, { toFloat32, toGray }] = await Promise.all([import('../../io/read-image'), import('../../io/image-convert')]);
  const image = toGray(await readImage(file));
  return { data: toFloat32(image), width: image.width, height: image.height };
}
