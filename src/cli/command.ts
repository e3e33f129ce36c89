import * as fs from 'node:fs';
import type { FlagDef, ParsedFlags } from './flags';
import { Session } from './session';

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
  ) {}

  get commandPath(): string {
    return ['kubectl', ...this.path].join(' ');
  }

  session(): Session {
    this.sessionCache ??= new Session(this.env);
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
