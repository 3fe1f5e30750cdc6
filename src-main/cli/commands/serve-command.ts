import type { Command } from 'commander';
import { integer, requireFolder } from '../cli-args';
import { EXIT_OK } from '../cli-errors';
import { withCommonOptions, type CommandEnv, type Wrap } from '../command-kit';

interface ServeOptions {
  port: number;
  host: string;
  allowRoot: string[];
  rendererDir?: string;
}

/** Commander collector for a repeatable option. */
const collect = (value: string, previous: string[]) => [...previous, value];

export function registerServe(program: Command, env: CommandEnv, wrap: Wrap): Command {
  return withCommonOptions(
    program
      .command('serve')
      .description('Browser mode: serve the app on this machine and print the URL with its access token (needs a built renderer: npm run build)')
      .option('--port <n>', 'TCP port (0 = any free port)', integer(0, 65535), 0)
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .option('--allow-root <dir>', 'a folder whose files the browser may read and write, besides the workspace (repeatable; default: the home folder)', collect, [])
      .option('--renderer-dir <dir>', 'the built renderer to serve (default: dist/renderer of the app)'),
  ).action(
    wrap<ServeOptions>(async (options) => {
      const out = env.output(options);
      // A mistyped root would silently allow nothing useful: refuse it as a usage error.
      const allowRoots = options.allowRoot.map((root) => requireFolder(root, '--allow-root'));
      const rendererDir = options.rendererDir === undefined ? undefined : requireFolder(options.rendererDir, '--renderer-dir');
      const { serve } = await import('../../server/serve');
      const { ctx, server, allowRoots: roots } = await serve({
        host: options.host,
        port: options.port,
        workspacePath: options.workspace,
        ...(allowRoots.length > 0 ? { allowRoots } : {}),
        ...(rendererDir ? { rendererDir } : {}),
      });
      out.result({ url: server.url, workspacePath: ctx.workspacePath, allowRoots: roots });
      out.line(`U-Net Studio is running in browser mode.\nFiles: the workspace and ${roots.join(', ')}\nOpen: ${server.url}\n(Ctrl-C stops it)`);
      await new Promise<void>((resolve) => {
        if (env.interrupted.aborted) return resolve();
        env.interrupted.addEventListener('abort', () => resolve(), { once: true });
      });
      await server.close();
      await ctx.close();
      return EXIT_OK;
    }),
  );
}
