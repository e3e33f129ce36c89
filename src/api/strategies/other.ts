import type { StrategyParts } from './index';
import { isPathSegmentName } from '../validation/names';
import { field } from '../errors';
import type { KubeObject } from '../types';

// Strategies of the smaller groups: rbac names are path segments; ingress paths
// need a pathType; budgets start with an empty status.

const rbac: StrategyParts = { nameRule: isPathSegmentName };

interface IngressLike {
  spec?: { rules?: { http?: { paths?: { pathType?: string; path?: string }[] } }[] };
}

export const OTHER_STRATEGIES: Record<string, StrategyParts> = {
  'rbac.authorization.k8s.io/Role': rbac,
  'rbac.authorization.k8s.io/ClusterRole': rbac,
  'rbac.authorization.k8s.io/RoleBinding': rbac,
  'rbac.authorization.k8s.io/ClusterRoleBinding': rbac,
  // A new budget allows nothing until the disruption controller has counted its pods.
  'policy/PodDisruptionBudget': {
    prepareForCreate: (obj: KubeObject) => void (obj.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }),
  },
  'networking.k8s.io/Ingress': {
    prepareForCreate: (obj: KubeObject) => void (obj.status = { loadBalancer: {} }),
    validate(obj: KubeObject) {
      const ing = obj as unknown as IngressLike;
      const errs = [];
      for (const [i, rule] of (ing.spec?.rules ?? []).entries()) {
        for (const [j, p] of (rule.http?.paths ?? []).entries()) {
          const path = `spec.rules[${i}].http.paths[${j}]`;
          if (!p.pathType) errs.push(field.required(`${path}.pathType`, 'pathType must be specified'));
          else if (!['Exact', 'Prefix', 'ImplementationSpecific'].includes(p.pathType)) {
            errs.push(field.notSupported(`${path}.pathType`, p.pathType, ['Exact', 'ImplementationSpecific', 'Prefix']));
          }
        }
      }
      return errs;
    },
  },
};
