import * as fs from 'node:fs';
import type { FlagDef, ParsedFlags } from './flags';
import { Session } from './session';
import { setKlogSource } from './klog';

// What every verb receives, and what it is: flags plus a run function, as in
// kubectl's pkg/cmd/<verb> (flags -> complete -> validate -> run).

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

// client-go's WarningWriter as kubectl sets it up: each distinct warning once,
// `Warning:` in bold yellow on a colour terminal.
function warningWriter(io: Output, env: NodeJS.ProcessEnv): (text: string) => void {
  const seen = new Set<string>();
  const color = process.stderr.isTTY === true && env.TERM !== 'dumb';
  return (text) => {
    if (seen.has(text)) return;
    seen.add(text);
    io.err(`${color ? '\x1b[33;1mWarning:\x1b[0m' : 'Warning:'} ${text}\n`);
  };
}

export class CommandContext {
  private sessionCache: Session | undefined;

  constructor(
    readonly path: string[],
    readonly args: string[],
    readonly flags: ParsedFlags,
    readonly argsLenAtDash: number,
    readonly env: NodeJS.ProcessEnv,
    readonly io: Output,
    // The whole command line after the program name, and the flags as given.
    readonly argv: string[] = [],
    readonly occurrences: { name: string; value: string }[] = [],
  ) {
    // klog lines (flag warnings come before any request) take the cluster's clock.
    setKlogSource(() => this.session().klogStamp());
  }

  get commandPath(): string {
    return ['kubectl', ...this.path].join(' ');
  }

  session(): Session {
    if (!this.sessionCache) {
      this.sessionCache = new Session(this.env);
      this.sessionCache.onWarning = warningWriter(this.io, this.env);
    }
    return this.sessionCache;
  }

  // -n, or the current context's namespace.
  namespace(): string {
    return this.flags.str('namespace') || this.session().contextNamespace();
  }

  explicitNamespace(): boolean {
    return this.flags.has('namespace');
  }

  readStdin(): string {
    try {
      return fs.readFileSync(0, 'utf8');
    } catch {
      return '';
    }
  }
}

export interface Command {
  flags?: FlagDef[];
  // A bad flag is a usage error (kubectl diff: `See '... -h' for help and
  // examples`, exit 2) instead of pflag's generic one.
  flagErrorExitCode?: number;
  run(ctx: CommandContext): number | Promise<number>;
}
