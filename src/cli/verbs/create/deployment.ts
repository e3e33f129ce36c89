import { CliError } from '../../errors';
import { Rng, newRngState } from '../../../util/rand';
import { commandArgs, enforcedNamespace, generator } from './common';

// kubectl create deployment NAME --image=IMAGE... [--replicas=N] [--port=N] [-- COMMAND...]

// The container name kubectl derives from an image: its last path segment without
// tag or digest; names with `_` or `.` are made DNS-safe and given a random suffix.
export function containerNameOfImage(image: string, rng = new Rng(newRngState())): string {
  let name = image.split('/').pop() ?? '';
  name = name.split(':')[0].split('@')[0];
  if (/[_.]/.test(name)) name = `${name.replace(/[_.]/g, '-')}-${rng.suffix()}`;
  return name;
}

export const command = generator({
  flags: [
    { name: 'image', kind: 'stringSlice' },
    { name: 'port', kind: 'int', default: -1 },
    { name: 'replicas', short: 'r', kind: 'int', default: 1 },
  ],
  required: ['image'],
  errorPrefix: 'failed to create deployment: ',
  build(ctx, name) {
    const images = ctx.flags.list('image');
    const cmd = commandArgs(ctx);
    if (images.length > 1 && cmd) throw new CliError('error: cannot specify multiple --image options and command');
    const labels = { app: name };
    const containers = images.map((image) => ({ name: containerNameOfImage(image), image, command: cmd }));
    const port = ctx.flags.int('port');
    if (port >= 0 && containers.length > 0) Object.assign(containers[0], { ports: [{ containerPort: port }] });
    return {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name, namespace: enforcedNamespace(ctx), labels },
      spec: {
        replicas: ctx.flags.int('replicas'),
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers } },
      },
    };
  },
});
