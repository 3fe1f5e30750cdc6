import { Option, type Command } from 'commander';
import type { CliIo, CliOutput, GlobalOptions } from './cli-output';

/** What a command's action receives besides its own options. */
export interface CommandEnv {
  io: CliIo;
  /** Output helper bound to the command's --json/--verbose. */
  output(options: GlobalOptions): CliOutput;
  /** Resolves when the user pressed Ctrl-C (once); commands cancel their job on it. */
  interrupted: AbortSignal;
}

export type CommandAction<O> = (options: O & GlobalOptions, args: string[]) => Promise<number | void>;

/** --workspace, --json and --verbose, on every command so that each command's --help lists them. */
export function withCommonOptions(command: Command): Command {
  return command
    .addOption(new Option('--workspace <dir>', 'workspace folder (default: the app\'s default workspace, or $UNET_STUDIO_WORKSPACE)'))
    .option('--json', 'machine-readable result on stdout (progress stays on stderr)')
    .option('--verbose', 'log details and show stack traces of errors');
}

export type Wrap = <O>(action: CommandAction<O>) => (...params: unknown[]) => Promise<void>;
