import { parseArgs } from 'node:util';
import { serve } from '../server/serve';

/**
 * `npm run serve [-- --port N --host H --workspace DIR --allow-root DIR ... --renderer-dir DIR]`:
 * browser mode from the command line. Files can be read and written only in the workspace and the
 * --allow-root folders (default: the home folder).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      workspace: { type: 'string' },
      'allow-root': { type: 'string', multiple: true },
      'renderer-dir': { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got "${values.port}"`);
  const { ctx, server, allowRoots } = await serve({
    host: values.host,
    port,
    workspacePath: values.workspace,
    allowRoots: values['allow-root'],
    rendererDir: values['renderer-dir'],
  });
  process.stdout.write(`U-Net Studio is running in browser mode.\nFiles: the workspace and ${allowRoots.join(', ')}\nOpen: ${server.url}\n`);
  const stop = async () => {
    await server.close();
    await ctx.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`unet-studio serve: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
