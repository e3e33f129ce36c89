import type { KubeObject } from './types';
import type { KindInfo } from './kinds';
import { apiVersionOf } from './kinds';

// Conversions from the other served versions of a kind to its stored one, as
// the API server converts a request before storing it. One today:
// autoscaling/v1 HorizontalPodAutoscalers are stored as autoscaling/v2.

interface HpaV1Spec {
  scaleTargetRef?: unknown;
  minReplicas?: number;
  maxReplicas?: number;
  targetCPUUtilizationPercentage?: number;
}

const CONVERSIONS: Record<string, (obj: KubeObject) => KubeObject> = {
  'autoscaling/v1/HorizontalPodAutoscaler': (obj) => {
    const spec = (obj.spec ?? {}) as HpaV1Spec;
    const { targetCPUUtilizationPercentage, ...rest } = spec;
    const metrics =
      targetCPUUtilizationPercentage !== undefined
        ? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: targetCPUUtilizationPercentage } } }]
        : undefined;
    const { status: _status, ...body } = obj;
    void _status;
    return { ...body, apiVersion: 'autoscaling/v2', spec: { ...rest, ...(metrics ? { metrics } : {}) } };
  },
};

// The other way, for clients that read in the version they wrote (kubectl
// apply diffs against the live object in its manifest's version).
const REVERSE: Record<string, (obj: KubeObject) => KubeObject> = {
  'autoscaling/v1/HorizontalPodAutoscaler': (obj) => {
    const spec = (obj.spec ?? {}) as HpaV1Spec & { metrics?: { type?: string; resource?: { name?: string; target?: { averageUtilization?: number } } }[] };
    const { metrics, ...rest } = spec;
    const cpu = (metrics ?? []).find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.target?.averageUtilization;
    const status = (obj.status ?? {}) as { currentReplicas?: number; desiredReplicas?: number; lastScaleTime?: string };
    return {
      ...obj,
      apiVersion: 'autoscaling/v1',
      spec: { ...rest, ...(cpu !== undefined ? { targetCPUUtilizationPercentage: cpu } : {}) },
      status: { currentReplicas: status.currentReplicas ?? 0, desiredReplicas: status.desiredReplicas ?? 0, ...(status.lastScaleTime ? { lastScaleTime: status.lastScaleTime } : {}) },
    };
  },
};

export function inVersion(obj: KubeObject, apiVersion: string): KubeObject {
  if (obj.apiVersion === apiVersion) return obj;
  const convert = REVERSE[`${apiVersion}/${obj.kind}`];
  return convert ? convert(obj) : obj;
}

export function toStoredVersion(info: KindInfo, obj: KubeObject): KubeObject {
  if (obj.apiVersion === apiVersionOf(info)) return obj;
  const convert = CONVERSIONS[`${obj.apiVersion}/${obj.kind}`];
  return convert ? convert(obj) : obj;
}
