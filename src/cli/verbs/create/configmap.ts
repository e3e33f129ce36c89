import { CliError } from '../../errors';
import { isConfigMapKey } from '../../../api/validation/names';
import { enforcedNamespace, generator, requireNonEmptyName } from './common';
import { contentHash, parseLiteralSource, readEnvFile, readFileSources, utf8Text } from './sources';

// kubectl create configmap NAME [--from-file=[key=]source] [--from-literal=key=value]
//   [--from-env-file=file] [--append-hash]

export const command = generator({
  flags: [
    { name: 'from-file', kind: 'stringSlice' },
    { name: 'from-literal', kind: 'stringArray' },
    { name: 'from-env-file', kind: 'stringSlice' },
    { name: 'append-hash', kind: 'bool' },
  ],
  errorPrefix: 'failed to create configmap: ',
  build(ctx, name) {
    requireNonEmptyName(name);
    const files = ctx.flags.list('from-file');
    const literals = ctx.flags.list('from-literal');
    const envFiles = ctx.flags.list('from-env-file');
    if (envFiles.length > 0 && (files.length > 0 || literals.length > 0)) {
      throw new CliError('error: from-env-file cannot be combined with from-file or from-literal');
    }
    const data: Record<string, string> = {};
    const binaryData: Record<string, string> = {};
    const checkKey = (key: string) => {
      const errs = isConfigMapKey(key);
      if (errs.length > 0) throw new CliError(`error: ${JSON.stringify(key)} is not a valid key name for a ConfigMap: ${errs.join(',')}`);
      for (const [where, map] of [['Data', data], ['BinaryData', binaryData]] as const) {
        if (key in map) {
          throw new CliError(
            `error: cannot add key ${JSON.stringify(key)}, another key by that name already exists in ${where} for ConfigMap ${JSON.stringify(name)}`,
          );
        }
      }
    };
    const addText = (key: string, value: string) => {
      checkKey(key);
      data[key] = value;
    };
    // Files that are not UTF-8 go to binaryData.
    readFileSources(files, (key, bytes) => {
      const text = utf8Text(bytes);
      if (text !== undefined) return addText(key, text);
      checkKey(key);
      binaryData[key] = bytes.toString('base64');
    });
    for (const literal of literals) {
      const { key, value } = parseLiteralSource(literal);
      addText(key, value);
    }
    for (const file of envFiles) readEnvFile(file, ctx.env, addText, 'env config file cannot be a directory');
    let finalName = name;
    if (ctx.flags.bool('append-hash')) {
      const encoded: Record<string, unknown> = { kind: 'ConfigMap', name, data };
      if (Object.keys(binaryData).length > 0) encoded.binaryData = binaryData;
      finalName = `${name}-${contentHash(encoded)}`;
    }
    return {
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { name: finalName, namespace: enforcedNamespace(ctx) },
      data,
      binaryData,
    };
  },
});
