import type { FlagDef } from '../flags';
import { addonCatalog, addonInfo, applyAddon, removeAddon } from '../../cluster/addons';
import { clusterExists, isStopped, partial, saveProfile } from './context';
import type { Mk, MkCommand, ProfileConfig } from './context';
import { REASONS } from './out';
import { goTable } from './table';
import { formatError } from '../errors';

// minikube addons list | enable | disable. The enabled set is kept in the
// profile; a running cluster gets the addon's objects created or deleted
// through the API server at once, a stopped one at its next start.

const FLAGS: FlagDef[] = [
  { name: 'output', short: 'o', kind: 'string', default: 'list' },
  { name: 'docs', short: 'd', kind: 'bool' },
  { name: 'images', kind: 'string' },
  { name: 'registries', kind: 'string' },
  { name: 'force', kind: 'bool' },
  { name: 'refresh', kind: 'bool' },
];

const OFFICIAL_MAINTAINERS = new Set(['Google', 'Kubernetes', 'minikube']);

export function imagesOf(name: string): string[] {
  return addonInfo(name)?.images ?? [];
}

// The enabled addons as `minikube start` reports them: storage-provisioner
// first and default-storageclass last, as their set-up usually finishes.
export function enabledInStartOrder(cfg: ProfileConfig): string[] {
  const rank = (name: string) => (name === 'storage-provisioner' ? 0 : name === 'default-storageclass' ? 2 : 1);
  return addonCatalog()
    .filter((a) => cfg.Addons[a.name] && a.simulated)
    .map((a) => a.name)
    .sort((a, b) => rank(a) - rank(b));
}

export function applyEnabledAddons(mk: Mk, cfg: ProfileConfig): void {
  const names = enabledInStartOrder(cfg);
  if (names.length === 0) return;
  mk.session.write((api) => {
    for (const name of names) applyAddon(api, name, 'minikube');
  });
}

// addons.SetAndSave(profile, name, "true"): the objects (when running), the
// images they use, the addon's tips, and the profile.
export function enableAddon(mk: Mk, cfg: ProfileConfig, name: string): void {
  if (!isStopped(mk)) {
    try {
      mk.session.write((api) => applyAddon(api, name, 'minikube'));
    } catch (e) {
      // What `kubectl apply` of the addon's manifests reported.
      return mk.out.fail(REASONS.addonEnable, 'enable failed', `run callbacks: running callbacks: [${formatError(e, 'kubectl apply')}]`);
    }
    for (const image of imagesOf(name)) mk.out.info(`Using image ${image}`);
  }
  if (name === 'dashboard') {
    const profileArg = mk.profile === 'minikube' ? '' : ` -p ${mk.profile}`;
    mk.out.step('tip', `Some dashboard features require the metrics-server addon. To enable all features please run:\n\n\tminikube${profileArg} addons enable metrics-server\n`);
  }
  cfg.Addons[name] = true;
  saveProfile(mk, cfg);
}

function list(mk: Mk): number {
  const { out, flags } = mk;
  if (mk.args.length !== 0) return out.exit(REASONS.usage, 'usage: minikube addons list');
  const cfg = clusterExists(mk) ? partial(mk) : undefined;
  const addons = [...addonCatalog()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const output = flags.str('output').toLowerCase();
  const docs = flags.bool('docs');
  if (output === 'json') {
    const data: Record<string, Record<string, string>> = {};
    for (const a of addons) {
      if (!cfg) {
        data[a.name] = {};
        continue;
      }
      // Go marshals map[string]interface{} with its keys sorted.
      data[a.name] = docs
        ? { Docs: a.docs ?? '', Maintainer: a.maintainer, Profile: cfg.Name, Status: cfg.Addons[a.name] ? 'enabled' : 'disabled' }
        : { Profile: cfg.Name, Status: cfg.Addons[a.name] ? 'enabled' : 'disabled' };
    }
    out.raw(JSON.stringify(data));
    return 0;
  }
  if (output !== 'list') return out.exit(REASONS.usage, `invalid output format: ${output}. Valid values: 'list', 'json'`);
  const header = cfg ? ['Addon Name', 'Profile', 'Status', 'Maintainer'] : ['Addon Name', 'Maintainer'];
  if (docs) header.push('Docs');
  const rows = addons.map((a) => {
    const enabled = cfg?.Addons[a.name] === true;
    // minikube pads the missing icon with spaces, "because emoji indentation is different".
    const status = enabled ? 'enabled ✅' : 'disabled    ';
    const row = cfg ? [a.name, cfg.Name, status, a.maintainer] : [a.name, a.maintainer];
    if (docs) row.push(a.docs || 'n/a');
    return row;
  });
  out.raw(goTable(header, rows));
  return 0;
}

function enable(mk: Mk): number {
  const { out } = mk;
  if (mk.args.length !== 1) return out.exit(REASONS.usage, 'usage: minikube addons enable ADDON_NAME');
  const cfg = partial(mk);
  const name = mk.args[0];
  const info = addonInfo(name);
  if (info) {
    if (OFFICIAL_MAINTAINERS.has(info.maintainer)) {
      out.step(
        'tip',
        `${name} is an addon maintained by ${info.maintainer}. For any concerns contact minikube on GitHub.\nYou can view the list of minikube maintainers at: https://github.com/kubernetes/minikube/blob/master/OWNERS`,
      );
    } else {
      out.step('warning', `${name} is a 3rd party addon and is not maintained or verified by minikube maintainers, enable at your own risk.`);
      if (info.verifiedMaintainer) {
        out.step('tip', `${name} is maintained by ${info.maintainer} for any concerns contact ${info.verifiedMaintainer} on GitHub.`);
      } else {
        out.step('warning', `${name} does not currently have an associated maintainer.`);
      }
    }
  }
  if (!info) return out.fail(REASONS.addonEnable, 'enable failed', `run callbacks: ${name} is not a valid addon`);
  if (!info.simulated) return out.exit(REASONS.addonEnable, `enable failed: kubemu does not simulate the '${name}' addon`);
  enableAddon(mk, cfg, name);
  out.step('addonEnable', `The '${name}' addon is enabled`);
  return 0;
}

function disable(mk: Mk): number {
  const { out } = mk;
  if (mk.args.length !== 1) return out.exit(REASONS.usage, 'usage: minikube addons disable ADDON_NAME');
  const cfg = partial(mk);
  const name = mk.args[0];
  if (name === 'heapster') return out.exit(REASONS.addonUnsupported, 'The heapster addon is depreciated. please try to disable metrics-server instead');
  if (!addonInfo(name)) return out.exit(REASONS.addonUnsupported, `"'${name}' is not a valid minikube addon`);
  if (cfg.Addons[name]) {
    if (!isStopped(mk)) {
      mk.session.write((api) => removeAddon(api, name, 'minikube'));
      mk.session.write((api) => removeAddon(api, name, 'minikube', true));
    }
    cfg.Addons[name] = false;
    saveProfile(mk, cfg);
  }
  // The stray quote is minikube's own.
  out.step('addonDisable', `"The '${name}' addon is disabled`);
  return 0;
}

export const command: MkCommand = {
  flags: FLAGS,
  run(mk) {
    const [sub, ...args] = mk.args;
    const subMk = { ...mk, args };
    if (sub === 'list') return list(subMk);
    if (sub === 'enable') return enable(subMk);
    if (sub === 'disable') return disable(subMk);
    mk.io.out(
      'addons modifies minikube addons files using subcommands like "minikube addons enable dashboard"\n\nAvailable Commands:\n  disable       Disables the addon w/ADDON_NAME within minikube (example: minikube addons disable dashboard). For a list of available addons use: minikube addons list \n  enable        Enables the addon w/ADDON_NAME within minikube. For a list of available addons use: minikube addons list \n  list          Lists all available minikube addons as well as their current statuses (enabled/disabled)\n',
    );
    return sub === undefined ? 0 : 14;
  },
};
