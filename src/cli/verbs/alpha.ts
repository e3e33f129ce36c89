import type { Command } from '../command';

// kubectl alpha: hidden, and empty in 1.32 (`kubectl alpha debug` of the
// ephemeral containers page is `kubectl debug` now). Whatever follows, it
// says so on stderr and succeeds.
export const command: Command = {
  flags: [],
  run(ctx) {
    ctx.io.err('No alpha commands are available in this version of kubectl\n');
    return 0;
  },
};
