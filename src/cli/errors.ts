import { StatusError } from '../api/errors';
import { FlagError } from './flags';

// kubectl's CheckErr: how an error becomes stderr text and an exit code.

// An error a command reports in its own words (`error: ...` is added unless present).
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

// Several errors reported together, one per line (an aggregate).
export class AggregateError extends Error {
  constructor(readonly errors: Error[]) {
    super(errors.map((e) => e.message).join('\n'));
  }
}

// An error kubectl prints as it is, without `error: ` (a server it cannot reach).
export class PlainError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

// An error that has already been printed; only the exit code remains.
export class ExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

export function formatStatusError(err: StatusError): string {
  const causes = err.details?.causes ?? [];
  if (err.reason === 'Invalid' && err.details?.kind && causes.length > 0) {
    const head = `The ${err.details.kind} "${err.details.name ?? ''}" is invalid: `;
    if (causes.length === 1) return head + (causes[0].field ? `${causes[0].field}: ` : '') + causes[0].message;
    const seen = new Set<string>();
    const lines: string[] = [];
    for (const c of causes) {
      const line = `* ${c.field ? `${c.field}: ` : ''}${c.message}`;
      if (!seen.has(line)) lines.push(line);
      seen.add(line);
    }
    return `${head}\n${lines.join('\n')}`;
  }
  if (err.reason === 'Invalid' && causes.length === 0 && !err.details?.kind) return `The request is invalid: ${err.message}`;
  if (err.reason === 'Unauthorized') return `error: You must be logged in to the server (${err.message})`;
  return err.reason ? `Error from server (${err.reason}): ${err.message}` : `Error from server: ${err.message}`;
}

export function formatError(err: unknown, commandPath: string): string {
  // Already printed: only the exit code is left.
  if (err instanceof ExitError) return '';
  if (err instanceof StatusError) return formatStatusError(err);
  // MultipleErrors: each API error in its standard form, Invalid ones too.
  if (err instanceof AggregateError && err.errors.length === 1) return formatError(err.errors[0], commandPath);
  if (err instanceof AggregateError) {
    return err.errors.map((e) => (e instanceof StatusError && e.reason === 'Invalid' ? `Error from server (Invalid): ${e.message}` : formatError(e, commandPath))).join('\n');
  }
  if (err instanceof PlainError) return err.message;
  if (err instanceof FlagError) return `error: ${err.message}\nSee '${commandPath} --help' for usage.`;
  const msg = err instanceof Error ? err.message : String(err);
  return msg.startsWith('error: ') ? msg : `error: ${msg}`;
}

export function exitCodeOf(err: unknown): number {
  if (err instanceof CliError || err instanceof ExitError || err instanceof PlainError) return err.exitCode;
  return 1;
}
