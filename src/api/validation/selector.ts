import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { GoLiteral } from '../errors';

// Go's %#v of a metav1.LabelSelector, as field errors print it:
// v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}
export function goLabelSelector(sel: LabelSelector | undefined): GoLiteral {
  const ml = sel?.matchLabels;
  const labels =
    ml === undefined
      ? 'map[string]string(nil)'
      : `map[string]string{${Object.keys(ml)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${JSON.stringify(ml[k])}`)
          .join(', ')}}`;
  const me = sel?.matchExpressions;
  const exprs =
    me === undefined
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${me
          .map((e) => {
            const values = e.values === undefined ? '[]string(nil)' : `[]string{${e.values.map((v) => JSON.stringify(v)).join(', ')}}`;
            return `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key)}, Operator:${JSON.stringify(e.operator)}, Values:${values}}`;
          })
          .join(', ')}}`;
  return new GoLiteral(`v1.LabelSelector{MatchLabels:${labels}, MatchExpressions:${exprs}}`);
}
