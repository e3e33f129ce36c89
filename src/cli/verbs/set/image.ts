import type { Command } from '../../command';
import { CliError } from '../../errors';
import { NO_RESOURCE_HELP } from '../../resources';
import { SET_FLAGS, podSpecOf, runSet } from './common';

// kubectl set image TYPE NAME CONTAINER=IMAGE ... (`*` for every container).
export const command: Command = {
  flags: SET_FLAGS,
  run(ctx) {
    const resources = ctx.args.filter((a) => !a.includes('='));
    const pairs = ctx.args.filter((a) => a.includes('='));
    // The resource builder (Complete) speaks before Validate.
    if (resources.length === 0 && ctx.flags.list('filename').length === 0) throw new CliError(`error: ${NO_RESOURCE_HELP}`);
    if (pairs.length === 0) throw new CliError('error: at least one image update is required');
    const images = pairs.map((p) => {
      const eq = p.indexOf('=');
      return { container: p.slice(0, eq), image: p.slice(eq + 1) };
    });
    return runSet(ctx, resources, 'image updated', (obj) => {
      const spec = podSpecOf(obj);
      const all = [...(spec?.initContainers ?? []), ...(spec?.containers ?? []), ...(spec?.ephemeralContainers ?? [])];
      for (const { container, image } of images) {
        const matches = container === '*' ? all : all.filter((c) => c.name === container);
        if (matches.length === 0) throw new CliError(`error: unable to find container named "${container}"`);
        for (const c of matches) c.image = image;
      }
    });
  },
};
