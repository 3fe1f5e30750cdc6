import type { Command } from 'commander';
import { outputFolder, requireFolder } from '../cli-args';
import { EXIT_OK, UsageError } from '../cli-errors';
import { formatTable } from '../cli-output';
import { withCommonOptions, type CommandEnv, type Wrap } from '../command-kit';

interface MergeOptions {
  into?: string;
}

export function registerMergeWorkspaces(program: Command, env: CommandEnv, wrap: Wrap): Command {
  return withCommonOptions(
    program
      .command('merge-workspaces')
      .description('Fold the records of shard workspaces (one per cluster task) into one workspace; merging twice adds nothing')
      .requiredOption('--into <dir>', 'the workspace to merge into (created if missing)')
      .argument('<shards...>', 'shard workspace folders'),
  ).action(
    wrap<MergeOptions>(async (options, args) => {
      const out = env.output(options);
      const into = outputFolder(options.into, '--into');
      if (args.length === 0) throw new UsageError('give at least one shard workspace folder');
      const shards = args.map((dir) => requireFolder(dir, 'SHARD'));
      const { mergeWorkspaces } = await import('../../workflows/merge-workspaces');
      const report = mergeWorkspaces(into, shards);
      out.result(report);
      const keys = ['datasets', 'images', 'annotationVersions', 'runs', 'curvePoints', 'checkpoints', 'predictions', 'evaluations'] as const;
      out.line(formatTable(['shard', ...keys], [...report.shards.map((s) => [s.path, ...keys.map((k) => String(s.added[k]))]), ['total', ...keys.map((k) => String(report.total[k]))]]));
      out.line(`merged ${report.shards.length} shard(s) into ${report.target}`);
      return EXIT_OK;
    }),
  );
}
