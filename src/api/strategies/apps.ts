import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../types';
import type { StrategyParts } from './index';
import type { FieldError } from '../errors';
import { field, goStringMap, GoLiteral } from '../errors';
import { validatePodTemplate } from '../validation/core';
import { goLabelSelector } from '../validation/selector';
import { selectorMatches, requirementsOfSelector } from '../selectors';
import { deepEqual, writable } from '../../util/json';

const as = <T>(o: KubeObject): T => o as unknown as T;

// Shared checks of the apps/v1 workload kinds: a non-empty selector that
// matches the template's labels, a template that restarts Always.
function validateWorkload(
  kindWord: string,
  selector: LabelSelector | undefined,
  template: PodTemplateSpec | undefined,
  replicas: number | undefined,
  extraVolumes: string[] = [],
): FieldError[] {
  const errs: FieldError[] = [];
  if (replicas !== undefined && replicas < 0) errs.push(field.invalid('spec.replicas', replicas, 'must be greater than or equal to 0'));
  if (!selector) errs.push(field.required('spec.selector'));
  else if (requirementsOfSelector(selector).length === 0) {
    errs.push(field.invalid('spec.selector', goLabelSelector(selector), `empty selector is invalid for ${kindWord}`));
  }
  // The labels are checked before the rest of the template; a missing
  // selector becomes labels.Nothing(), which matches no labels at all.
  const labels = template?.metadata?.labels;
  if (template && (!selector || (requirementsOfSelector(selector).length > 0 && !selectorMatches(selector, labels)))) {
    errs.push(field.invalid('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplate(template, 'spec.template', extraVolumes));
  const restart = template?.spec?.restartPolicy;
  if (restart && restart !== 'Always') errs.push(field.notSupported('spec.template.spec.restartPolicy', restart, ['Always']));
  if (template?.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(field.forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

function immutableSelector(next: { spec?: { selector?: LabelSelector } }, old: { spec?: { selector?: LabelSelector } }): FieldError[] {
  if (deepEqual(next.spec?.selector, old.spec?.selector)) return [];
  return [field.invalid('spec.selector', goLabelSelector(next.spec?.selector), 'field is immutable')];
}

function intOrPercent(v: number | string | undefined, path: string): FieldError[] {
  if (v === undefined) return [];
  if (typeof v === 'number') return v < 0 ? [field.invalid(path, v, 'must be greater than or equal to 0')] : [];
  const m = /^(\d+)%$/.exec(v);
  const lit = new GoLiteral(JSON.stringify(v));
  if (!m) return [field.invalid(path, lit, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
  if (Number(m[1]) > 100) return [field.invalid(path, lit, 'must not be greater than 100%')];
  return [];
}

const isZero = (v: number | string | undefined) => v === 0 || v === '0%';

function validateDeployment(obj: KubeObject): FieldError[] {
  const d = as<Deployment>(obj);
  const spec = d.spec;
  const errs = validateWorkload('deployment', spec?.selector, spec?.template, spec?.replicas);
  const strategy = spec?.strategy;
  if (strategy?.type && strategy.type !== 'RollingUpdate' && strategy.type !== 'Recreate') {
    errs.push(field.notSupported('spec.strategy.type', strategy.type, ['Recreate', 'RollingUpdate']));
  }
  if (strategy?.type === 'Recreate' && strategy.rollingUpdate) {
    errs.push(field.forbidden('spec.strategy.rollingUpdate', 'may not be specified when strategy `type` is \'Recreate\''));
  }
  const ru = strategy?.rollingUpdate;
  if (ru) {
    errs.push(...intOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'));
    errs.push(...intOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge'));
    if (isZero(ru.maxUnavailable) && isZero(ru.maxSurge)) {
      errs.push(field.invalid('spec.strategy.rollingUpdate.maxUnavailable', new GoLiteral(JSON.stringify(ru.maxUnavailable)), 'may not be 0 when `maxSurge` is 0'));
    }
  }
  if (spec?.revisionHistoryLimit !== undefined && spec.revisionHistoryLimit < 0) {
    errs.push(field.invalid('spec.revisionHistoryLimit', spec.revisionHistoryLimit, 'must be greater than or equal to 0'));
  }
  if (spec?.progressDeadlineSeconds !== undefined && spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
    errs.push(field.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

const STS_MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

export const APPS_STRATEGIES: Record<string, StrategyParts> = {
  'apps/Deployment': {
    prepareForCreate: (obj) => void (writable(as<Deployment>(obj)).status = {}),
    validate: validateDeployment,
    validateUpdate: (n, o) => immutableSelector(as<Deployment>(n), as<Deployment>(o)),
  },
  'apps/ReplicaSet': {
    prepareForCreate: (obj) => void (writable(as<ReplicaSet>(obj)).status = { replicas: 0 }),
    validate: (obj) => {
      const rs = as<ReplicaSet>(obj);
      return validateWorkload('replicaset', rs.spec?.selector, rs.spec?.template, rs.spec?.replicas);
    },
    validateUpdate: (n, o) => immutableSelector(as<ReplicaSet>(n), as<ReplicaSet>(o)),
  },
  'apps/StatefulSet': {
    prepareForCreate: (obj) => void (writable(as<StatefulSet>(obj)).status = { replicas: 0, availableReplicas: 0 }),
    validate: (obj) => {
      const s = as<StatefulSet>(obj);
      const claims = (s.spec?.volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? '');
      return validateWorkload('statefulset', s.spec?.selector, s.spec?.template, s.spec?.replicas, claims);
    },
    validateUpdate(n, o) {
      const ns = { ...(as<StatefulSet>(n).spec ?? {}) } as Record<string, unknown>;
      const os = { ...(as<StatefulSet>(o).spec ?? {}) } as Record<string, unknown>;
      for (const k of STS_MUTABLE) {
        delete ns[k];
        delete os[k];
      }
      if (deepEqual(ns, os)) return [];
      return [
        field.forbidden(
          'spec',
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      ];
    },
  },
  'apps/DaemonSet': {
    prepareForCreate: (obj) =>
      void (writable(as<DaemonSet>(obj)).status = {
        currentNumberScheduled: 0,
        desiredNumberScheduled: 0,
        numberMisscheduled: 0,
        numberReady: 0,
      }),
    validate: (obj) => {
      const ds = as<DaemonSet>(obj);
      return validateWorkload('daemonset', ds.spec?.selector, ds.spec?.template, undefined);
    },
    validateUpdate: (n, o) => immutableSelector(as<DaemonSet>(n), as<DaemonSet>(o)),
  },
};
