import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from '../command';
import { CliError } from '../errors';
import { buildKustomization, kustomizeYaml } from '../kustomize';
import { KustomizeError } from '../kustomize/errors';
import { toYaml } from '../../printers/yaml';
import { Resource } from '../kustomize/resource';
import type { JsonObject } from '../../util/json';

// kubectl kustomize [DIR]: the build's YAML stream on stdout, or into the
// file (or, for a directory, one file per object) that -o names.

const RESTRICTORS = ['LoadRestrictionsRootOnly', 'LoadRestrictionsNone'];

// Writer.WriteIndividualFiles: `<group_version_kind>_<name>.yaml`, with the
// namespace in front when the objects span several.
function writeIndividualFiles(dir: string, objects: JsonObject[]): void {
  const resources = objects.map((o) => new Resource(o));
  const namespaces = new Set(resources.filter((r) => !r.curId().isClusterScoped()).map((r) => r.curId().effectiveNamespace()));
  for (const r of resources) {
    const g = r.getGvk();
    const gvk = [g.group, g.version, g.kind].filter((s) => s !== '').join('_');
    let name = `${gvk.toLowerCase()}_${r.getName().toLowerCase()}.yaml`;
    if (!r.curId().isClusterScoped() && namespaces.size > 1) name = `${r.curId().effectiveNamespace().toLowerCase()}_${name}`;
    // Names come from the manifests: each must stay one file inside DIR.
    if (name.includes('/') || name.includes(path.sep)) throw new CliError(`error: refusing to write ${JSON.stringify(name)} outside ${dir}`);
    fs.writeFileSync(path.join(dir, name), toYaml(r.obj));
  }
}

export const command: Command = {
  flags: [
    { name: 'as-current-user', kind: 'bool' },
    { name: 'enable-alpha-plugins', kind: 'bool' },
    { name: 'enable-helm', kind: 'bool' },
    { name: 'env', short: 'e', kind: 'stringArray' },
    { name: 'helm-api-versions', kind: 'stringArray' },
    { name: 'helm-command', kind: 'string', default: 'helm' },
    { name: 'helm-debug', kind: 'bool' },
    { name: 'helm-kube-version', kind: 'string' },
    { name: 'load-restrictor', kind: 'string', default: 'LoadRestrictionsRootOnly' },
    { name: 'mount', kind: 'stringArray' },
    { name: 'network', kind: 'bool' },
    { name: 'network-name', kind: 'string', default: 'bridge' },
    { name: 'output', short: 'o', kind: 'string' },
    { name: 'reorder', kind: 'string', default: 'legacy', deprecated: "use the new 'sortOptions' field in kustomization.yaml instead." },
    {
      name: 'enable-managedby-label',
      kind: 'bool',
      deprecated: 'The flag `enable-managedby-label` has been deprecated. Use the `managedByLabel` option in the `buildMetadata` field instead.',
    },
  ],
  run(ctx) {
    const f = ctx.flags;
    if (ctx.args.length > 1) throw new CliError('error: specify one path to kustomization.yaml');
    const dir = ctx.args[0] ?? '.';
    const restrictor = f.str('load-restrictor');
    if (restrictor !== '' && !RESTRICTORS.includes(restrictor)) {
      throw new CliError(`error: illegal flag value --load-restrictor ${restrictor}; legal values: [${RESTRICTORS.join(' ')}]`);
    }
    const reorder = f.str('reorder');
    if (reorder !== 'legacy' && reorder !== 'none') throw new CliError(`error: illegal flag value --reorder ${reorder}; legal values: [legacy none]`);
    let objects: JsonObject[];
    try {
      objects = buildKustomization(dir, (line) => ctx.io.err(`${line}\n`), {
        restrictRoot: restrictor !== 'LoadRestrictionsNone' && restrictor !== 'none',
        reorder: f.has('reorder') ? reorder : undefined,
      });
    } catch (e) {
      if (e instanceof KustomizeError) throw new CliError(`error: ${e.message}`);
      throw e;
    }
    const output = f.str('output');
    if (output !== '' && fs.existsSync(output) && fs.statSync(output).isDirectory()) {
      writeIndividualFiles(output, objects);
      return 0;
    }
    const yaml = kustomizeYaml(objects);
    if (output !== '') fs.writeFileSync(output, yaml);
    else ctx.io.out(yaml);
    return 0;
  },
};
