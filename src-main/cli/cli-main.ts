import { runCli } from './program';

/** Entry of the `unet-studio` command (bin/unet-studio.js runs this file). */
const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts++;
  if (interrupts === 1) {
    process.stderr.write('\nunet-studio: stopping (press Ctrl-C again to quit at once)\n');
    controller.abort();
  } else {
    process.exit(130);
  }
});
process.on('SIGTERM', () => controller.abort());

const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, controller.signal);
// Exit once stdout is flushed: an idle engine process or database handle must not keep the command alive.
process.stdout.write('', () => process.exit(code));
