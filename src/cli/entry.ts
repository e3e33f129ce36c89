// What bin/kubemu and the single executable run with the command line.
// Nothing is imported at the top: the daemon and the CLI load what they need.

// The hidden first argument with which kubemu starts its own daemon
// (reconciler/daemon.ts), so that the single executable needs no second script.
export const DAEMON_ARG = '--kubemu-daemon';

export function runCli(argv: string[]): void {
  if (argv[0] === DAEMON_ARG) {
    (require('../reconciler/daemon') as typeof import('../reconciler/daemon')).daemonMain(argv[1] ?? '');
    return;
  }
  // A reader that went away (`| head`) ends the program quietly, as SIGPIPE ends kubectl.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(141);
  });
  (require('./main') as typeof import('./main'))
    .main(argv)
    .then(
      (code) => {
        process.exitCode = code;
      },
      // What no command caught (a corrupt state file read before a verb
      // runs...) is reported as kubectl reports errors, without a stack.
      (e: unknown) => {
        process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 1;
      },
    );
}
