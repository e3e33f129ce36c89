import type { Command } from '../../command';
import type { Writer } from '../../../printers/describe/engine';
import { kindPrefix } from '../../../api/kinds';
import { CliError } from '../../errors';
import { OUTPUT_FLAGS, parseFormat, printOperation } from '../../output';
import { ROLLOUT_RESOURCE_FLAGS, requireKinds, revisionsOf, rolloutTargets } from './common';
import { describePodTemplate } from '../../../printers/describe/containers';
import { tabwrite, DESCRIBE_OPTIONS } from '../../../printers/tabwriter';
import { clone } from '../../../util/json';

// kubectl rollout history [--revision=N]: the revisions with their change
// causes, or one revision's pod template.

// describe's prefix writer without the tabwriter: the separators stay TABs,
// as kubectl prints a revision's template.
class RawWriter implements Writer {
  text = '';
  write(level: number, text: string): void {
    this.text += '  '.repeat(level) + text;
  }
  writeLine(text = ''): void {
    this.text += `${text}\n`;
  }
}

export const command: Command = {
  flags: [...ROLLOUT_RESOURCE_FLAGS, ...OUTPUT_FLAGS, { name: 'revision', kind: 'int' }],
  run(ctx) {
    const format = parseFormat(ctx.flags);
    const wanted = ctx.flags.int('revision');
    const out = ctx.session().read((api) =>
      rolloutTargets(ctx, api).map((t) => {
        requireKinds(t.info, ['Deployment', 'DaemonSet', 'StatefulSet'], 'history viewer');
        const owner = api.get(t.info, t.namespace, t.name);
        const revisions = revisionsOf(api, t.info, owner);
        const prefix = `${kindPrefix(t.info)}/${t.name}`;
        if (format.kind !== 'default') {
          const list = wanted > 0 ? revisions.filter((r) => r.revision === wanted) : revisions;
          if (wanted > 0 && list.length === 0) throw new CliError('error: unable to find the specified revision');
          return list.map((r, i) => printOperation(format, api.kindOf(r.obj), r.obj, '', { index: i })).join('');
        }
        if (wanted > 0) {
          const r = revisions.find((x) => x.revision === wanted);
          if (!r) throw new CliError('error: unable to find the specified revision');
          // kubectl shows a revision's change-cause among its template's annotations.
          const template = clone(r.template) ?? {};
          if (r.changeCause) {
            template.metadata ??= {};
            template.metadata.annotations = { ...(template.metadata.annotations ?? {}), 'kubernetes.io/change-cause': r.changeCause };
          }
          const w = new RawWriter();
          describePodTemplate(w, template);
          return `${prefix} with revision #${wanted}\n${w.text}\n`;
        }
        if (revisions.length === 0) return `${prefix} \nNo rollout history found.\n`;
        const rows = ['REVISION\tCHANGE-CAUSE', ...revisions.map((r) => `${r.revision}\t${r.changeCause ?? '<none>'}`)];
        return `${prefix} \n${tabwrite(`${rows.join('\n')}\n`, DESCRIBE_OPTIONS)}\n`;
      }),
    );
    ctx.io.out(out.join(''));
    return 0;
  },
};
