import type { Command } from '../command';
import { CliError } from '../errors';
import { CHANGE_CAUSE } from '../record';
import { metadataMapCommand } from './label';
import type { MapEdit, MapVerbSpec } from './label';

// kubectl annotate: label's machinery on metadata.annotations, with
// annotate's own parsing, checks and messages (always `annotated`).

function parseAnnotations(pairs: string[]): MapEdit {
  const set = new Map<string, string>();
  const remove: string[] = [];
  const invalid: string[] = [];
  for (const arg of pairs) {
    const eq = arg.indexOf('=');
    if (eq > 0) set.set(arg.slice(0, eq), arg.slice(eq + 1));
    else if (arg.endsWith('-') && arg !== '-') remove.push(arg.slice(0, -1));
    else invalid.push(arg);
  }
  if (invalid.length > 0) throw new CliError(`error: invalid annotation format: ${invalid.join(', ')}`);
  return { set, remove };
}

const ANNOTATE: MapVerbSpec = {
  noun: 'annotation',
  field: 'annotations',
  fieldManager: 'kubectl-annotate',
  localFile: 'rsrc',
  parse: parseAnnotations,
  validate(edit) {
    const both = edit.remove.filter((k) => edit.set.has(k));
    if (both.length > 0) {
      throw new CliError(`error: can not both modify and remove the following annotation(s) in the same command: ${both.join(', ')}`);
    }
  },
  overwriteError(current, edit) {
    // The change-cause annotation may always be overwritten, and setting the
    // value a key already has is no overwrite.
    const found = [...edit.set]
      .filter(([k, v]) => k !== CHANGE_CAUSE && Object.hasOwn(current, k) && current[k] !== v)
      .map(([k]) => `'${k}' already has a value (${current[k]})`);
    return found.length > 0 ? `--overwrite is false but found the following declared annotation(s): ${found.join('; ')}` : undefined;
  },
  operation: () => 'annotated',
  clearVersionAlways: false,
  printServerObject: true,
  reportMissing: false,
  onePrinter: true,
};

export const command: Command = metadataMapCommand(ANNOTATE);
