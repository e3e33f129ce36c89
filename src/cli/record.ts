import type { CommandContext } from './command';
import type { KubeObject } from '../api/types';

// --record (deprecated, still honoured): the command line goes into the
// object's kubernetes.io/change-cause annotation, written as kubectl writes it:
// `kubectl` and every word that is not a flag, then each flag given as
// `--name=value` in the order typed (factory.Command).

export const CHANGE_CAUSE = 'kubernetes.io/change-cause';

export const RECORD_FLAG = { name: 'record', kind: 'bool' as const, deprecated: '--record will be removed in the future' };

export function changeCause(ctx: CommandContext): string {
  const positional: string[] = [];
  const known = ctx.flags.defs;
  let i = 0;
  const argv = ctx.argv;
  while (i < argv.length) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a.length > 1) {
      const name = a.startsWith('--') ? a.slice(2).split('=')[0] : undefined;
      const def = name ? known.get(name) : [...known.values()].find((d) => d.short === a[1]);
      const inline = a.includes('=') || (!a.startsWith('--') && a.length > 2);
      const takesValue = def && def.kind !== 'bool' && def.noOptDefVal === undefined;
      i += takesValue && !inline ? 2 : 1;
      continue;
    }
    positional.push(a);
    i++;
  }
  const flags = ctx.occurrences.map((o) => ` --${o.name}=${o.value}`).join('');
  return `kubectl${positional.length ? ` ${positional.join(' ')}` : ''}${flags}`;
}

// Records only with --record=true (RecordFlags.ToRecorder): without it the
// object keeps whatever cause it had.
export function maybeRecord(ctx: CommandContext, obj: KubeObject): void {
  if (!ctx.flags.bool('record')) return;
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [CHANGE_CAUSE]: changeCause(ctx) };
}
