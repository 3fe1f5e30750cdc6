import type { Command } from 'commander';
import { integer } from '../cli-args';
import { EXIT_OK } from '../cli-errors';
import { withCommonOptions, type CommandEnv, type Wrap } from '../command-kit';

interface ServeOptions {
  port: number;
  host: string;
}

export function registerServe(program: Command, env: CommandEnv, wrap: Wrap): Command {
  return withCommonOptions(
    program
      .command('serve')
      .description('Browser mode: serve the app on this machine and print the URL with its access token (needs a built renderer: npm run build)')
      .option('--port <n>', 'TCP port (0 = any free port)', integer(0, 65535), 0)
      .option('--host <host>', 'address to listen on', '127.0.0.1'),
  ).action(
    wrap<ServeOptions>(async (options) => {
      const out = env.output(options);
      const { serve } = await import('../../server/serve');
      const { ctx, server } = await serve({ host: options.host, port: options.port, workspacePath: options.workspace });
      out.result({ url: server.url, workspacePath: ctx.workspacePath });
      out.line(`U-Net Studio is running in browser mode.\nOpen: ${server.url}\n(Ctrl-C stops it)`);
      await new Promise<void>((resolve) => env.interrupted.addEventListener('abort', () => resolve(), { once: true }));
      await server.close();
      await ctx.close();
      return EXIT_OK;
    }),
  );
}
