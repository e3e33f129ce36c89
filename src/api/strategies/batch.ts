import type { CronJob, Job } from 'kubernetes-types/batch/v1';
import type { KubeObject } from '../types';
import type { StrategyParts } from './index';
import type { FieldError } from '../errors';
import { field, GoLiteral } from '../errors';
import { validatePodTemplate } from '../validation/core';
import { goLabelSelector } from '../validation/selector';
import { isDNS1123Subdomain } from '../validation/names';
import { deepEqual, writable } from '../../util/json';

const as = <T>(o: KubeObject): T => o as unknown as T;

const JOB_RESTART = ['OnFailure', 'Never'];

function validateJobTemplateRestart(restart: string | undefined, path: string): FieldError[] {
  if (!restart || restart === 'Always') {
    return restart
      ? [field.notSupported(path, restart, JOB_RESTART)]
      : [field.required(path, 'valid values: "OnFailure", "Never"')];
  }
  return JOB_RESTART.includes(restart) ? [] : [field.notSupported(path, restart, JOB_RESTART)];
}

// The selector and labels the Job registry generates from the Job's uid.
function generateJobLabels(job: Job): void {
  const uid = job.metadata?.uid ?? '';
  const name = job.metadata?.name ?? '';
  const spec = job.spec!;
  if (spec.manualSelector) return;
  spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  const tmeta = (spec.template.metadata ??= {});
  tmeta.labels = {
    ...(tmeta.labels ?? {}),
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
  job.metadata!.labels ??= { ...tmeta.labels };
}

function validateCronSchedule(schedule: string | undefined): FieldError[] {
  if (!schedule) return [field.required('spec.schedule')];
  if (schedule.includes('TZ=') || schedule.includes('CRON_TZ=')) {
    return [field.invalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead')];
  }
  const macros = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
  if (macros.includes(schedule)) return [];
  const fields = schedule.trim().split(/\s+/);
  try {
    if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: ${schedule}`);
    // Loaded on demand: cron-parser (and luxon) are large for a CLI's start-up.
    (require('cron-parser') as typeof import('cron-parser')).CronExpressionParser.parse(schedule);
  } catch (e) {
    const msg = (e as Error).message.startsWith('expected exactly') ? (e as Error).message : `${(e as Error).message}`;
    return [field.invalid('spec.schedule', schedule, msg)];
  }
  return [];
}

export const BATCH_STRATEGIES: Record<string, StrategyParts> = {
  'batch/Job': {
    prepareForCreate(obj) {
      const job = as<Job>(obj);
      writable(job).status = {};
      generateJobLabels(job);
    },
    validate(obj) {
      const job = as<Job>(obj);
      const errs = validatePodTemplate(job.spec?.template, 'spec.template');
      errs.push(...validateJobTemplateRestart(job.spec?.template?.spec?.restartPolicy, 'spec.template.spec.restartPolicy'));
      for (const k of ['parallelism', 'completions', 'backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished'] as const) {
        const v = job.spec?.[k];
        if (typeof v === 'number' && v < 0) errs.push(field.invalid(`spec.${k}`, v, 'must be greater than or equal to 0'));
      }
      return errs;
    },
    validateUpdate(n, o) {
      const nj = as<Job>(n);
      const oj = as<Job>(o);
      const errs: FieldError[] = [];
      if (!deepEqual(nj.spec?.selector, oj.spec?.selector)) {
        errs.push(field.invalid('spec.selector', goLabelSelector(nj.spec?.selector), 'field is immutable'));
      }
      if (!deepEqual(nj.spec?.template, oj.spec?.template)) {
        errs.push(field.invalid('spec.template', new GoLiteral('core.PodTemplateSpec{...}'), 'field is immutable'));
      }
      if (nj.spec?.completions !== oj.spec?.completions && nj.spec?.completionMode !== 'Indexed') {
        errs.push(field.invalid('spec.completions', nj.spec?.completions ?? null, 'field is immutable'));
      }
      return errs;
    },
  },
  'batch/CronJob': {
    nameRule: (name) => {
      const errs = isDNS1123Subdomain(name);
      if (name.length > 52) errs.push('must be no more than 52 characters');
      return errs;
    },
    prepareForCreate: (obj) => void (writable(as<CronJob>(obj)).status = {}),
    validate(obj) {
      const cj = as<CronJob>(obj);
      const errs = validateCronSchedule(cj.spec?.schedule);
      const policy = cj.spec?.concurrencyPolicy;
      if (policy && !['Allow', 'Forbid', 'Replace'].includes(policy)) {
        errs.push(field.notSupported('spec.concurrencyPolicy', policy, ['Allow', 'Forbid', 'Replace']));
      }
      const tmpl = cj.spec?.jobTemplate?.spec?.template;
      errs.push(...validatePodTemplate(tmpl, 'spec.jobTemplate.spec.template'));
      errs.push(...validateJobTemplateRestart(tmpl?.spec?.restartPolicy, 'spec.jobTemplate.spec.template.spec.restartPolicy'));
      return errs;
    },
  },
};
