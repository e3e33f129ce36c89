import { enforcedNamespace, generator, requireNonEmptyName } from './common';
import { CliError } from '../../errors';
import { SecretData, secretObject } from './secret';
import { parseLiteralSource, readEnvFile, readFileSources } from './sources';

// kubectl create secret generic NAME [--type=string] [--from-file=[key=]source]
//   [--from-literal=key=value] [--from-env-file=file] [--append-hash]

export const command = generator({
  flags: [
    { name: 'from-file', kind: 'stringSlice' },
    { name: 'from-literal', kind: 'stringArray' },
    { name: 'from-env-file', kind: 'stringSlice' },
    { name: 'type', kind: 'string' },
    { name: 'append-hash', kind: 'bool' },
  ],
  errorPrefix: 'failed to create secret ',
  build(ctx, name) {
    requireNonEmptyName(name);
    const files = ctx.flags.list('from-file');
    const literals = ctx.flags.list('from-literal');
    const envFiles = ctx.flags.list('from-env-file');
    if (envFiles.length > 0 && (files.length > 0 || literals.length > 0)) {
      throw new CliError('error: from-env-file cannot be combined with from-file or from-literal');
    }
    const data = new SecretData();
    // Unlike configmaps, literals come before files.
    for (const literal of literals) {
      const { key, value } = parseLiteralSource(literal);
      data.add(key, Buffer.from(value, 'utf8'));
    }
    readFileSources(files, (key, bytes) => data.add(key, bytes));
    for (const file of envFiles) {
      readEnvFile(file, ctx.env, (key, value) => data.add(key, Buffer.from(value, 'utf8')), 'env secret file cannot be a directory');
    }
    return secretObject(ctx, name, enforcedNamespace(ctx), ctx.flags.str('type'), data);
  },
});
