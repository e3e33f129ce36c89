import type { CommandContext } from '../../command';
import type { KubeObject } from '../../../api/types';
import { CliError } from '../../errors';
import { isConfigMapKey } from '../../../api/validation/names';
import { contentHash } from './sources';

// What the three `create secret` generators share: the data map with kubectl's key
// checks, and the Secret object (newSecretObj, --append-hash).

export class SecretData {
  readonly entries: Record<string, string> = {};

  // addKeyFromLiteralToSecret: a valid, new key; the value base64-encoded as Go's []byte.
  add(key: string, value: Buffer): void {
    const errs = isConfigMapKey(key);
    if (errs.length > 0) throw new CliError(`error: ${JSON.stringify(key)} is not valid key name for a Secret ${errs.join(';')}`);
    if (key in this.entries) throw new CliError(`error: cannot add key ${key}, another key by that name already exists`);
    this.entries[key] = value.toString('base64');
  }
}

export function secretObject(ctx: CommandContext, name: string, namespace: string | undefined, type: string, data: SecretData): KubeObject {
  let finalName = name;
  if (ctx.flags.bool('append-hash')) finalName = `${name}-${contentHash({ kind: 'Secret', type, name, data: data.entries })}`;
  return { kind: 'Secret', apiVersion: 'v1', metadata: { name: finalName, namespace }, data: data.entries, type };
}
