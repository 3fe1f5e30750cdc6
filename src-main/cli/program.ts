import { Command, CommanderError } from 'commander';
import { packageInfo } from '../support/app-info';
import { describeError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, exitCodeFor } from './cli-errors';
import { CliOutput, type CliIo, type GlobalOptions } from './cli-output';
import type { CommandAction, CommandEnv } from './command-kit';
import { registerDemo } from './commands/demo-command';
import { registerEvaluate } from './commands/evaluate-command';
import { registerExport } from './commands/export-command';
import { registerImportModel } from './commands/import-model-command';
import { registerInfo } from './commands/info-command';
import { registerMergeWorkspaces } from './commands/merge-command';
import { registerSegment } from './commands/segment-command';
import { registerServe } from './commands/serve-command';
import { registerTrain } from './commands/train-command';

export function buildProgram(env: CommandEnv, setExitCode: (code: number) => void): Command {
  const program = new Command('unet-studio');
  program
    .description('U-Net Studio on the command line: train, segment, evaluate and export U-Nets (Ronneberger et al. 2015).')
    .version(packageInfo().version, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => env.io.stdout.write(s),
      writeErr: (s) => env.io.stderr.write(s),
      // Commander's own errors (unknown flag, missing value) as one line.
      outputError: (s, write) => write(`${s.replace(/^error: /, 'unet-studio: ').split('\n')[0].replace(/\.?$/, '')} (see --help)\n`),
    });

  const wrap = <O>(action: CommandAction<O>) =>
    async (...params: unknown[]) => {
      const command = params[params.length - 1] as Command;
      const options = command.opts() as O & GlobalOptions;
      try {
        const code = await action(options, command.args);
        setExitCode(typeof code === 'number' ? code : EXIT_OK);
      } catch (error) {
        const code = exitCodeFor(error);
        env.io.stderr.write(`unet-studio ${command.name()}: ${describeError(error)}\n`);
        if (options.verbose && error instanceof Error && error.stack) env.io.stderr.write(`${error.stack}\n`);
        setExitCode(code);
      }
    };

  for (const register of [registerTrain, registerSegment, registerEvaluate, registerInfo, registerServe, registerExport, registerImportModel, registerMergeWorkspaces, registerDemo]) {
    const command = register(program, env, wrap);
    command.exitOverride().configureOutput(program.configureOutput());
  }
  return program;
}

/**
 * Runs one command line and returns its exit code: 0 success, 1 the work failed, 2 bad usage (one
 * line on stderr, no stack trace unless --verbose).
 */
export async function runCli(argv: string[], io: CliIo, interrupted: AbortSignal = new AbortController().signal): Promise<number> {
  let exitCode = EXIT_OK;
  const env: CommandEnv = { io, output: (options) => new CliOutput(io, options), interrupted };
  const program = buildProgram(env, (code) => {
    exitCode = code;
  });
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    io.stderr.write(`unet-studio: ${describeError(error)}\n`);
    return EXIT_FAILURE;
  }
  return exitCode;
}
