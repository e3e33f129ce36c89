import type { CronJob, Job, JobSpec } from 'kubernetes-types/batch/v1';
import { defaultPodTemplate } from './core';

import { nullTimestamp } from '../../util/json';

// Defaults for batch/v1 (pkg/apis/batch/v1/defaults.go).

export function defaultJobSpec(spec: JobSpec): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= undefined;
  defaultPodTemplate(spec.template);
}

export function defaultJob(job: Job): void {
  job.spec ??= { template: {} };
  defaultJobSpec(job.spec);
  // Job labels default to the template's labels.
  const labels = job.spec.template?.metadata?.labels;
  job.metadata ??= {};
  if (!job.metadata.labels && labels) job.metadata.labels = { ...labels };
}

export function defaultCronJob(cj: CronJob): void {
  const spec = (cj.spec ??= { schedule: '', jobTemplate: {} });
  spec.concurrencyPolicy ??= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  spec.jobTemplate ??= {};
  spec.jobTemplate.metadata ??= {};
  nullTimestamp(spec.jobTemplate.metadata);
  if (spec.jobTemplate.spec) defaultPodTemplate(spec.jobTemplate.spec.template);
}
