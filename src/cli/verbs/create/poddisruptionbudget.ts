import { CliError } from '../../errors';
import { parseLabelSelector } from '../../../api/selectors';
import type { Requirement } from '../../../api/selectors';
import { enforcedNamespace, generator, requireNonEmptyName } from './common';
import { goAtoi } from './service';

// kubectl create poddisruptionbudget NAME --selector=SELECTOR --min-available=N|--max-unavailable=N

// intstr.Parse: an int32 when Atoi accepts it, else the string (`50%`).
function intOrString(v: string): number | string {
  const n = goAtoi(v);
  return n !== undefined && n >= -2147483648 && n <= 2147483647 ? n : v;
}

export const command = generator({
  flags: [
    { name: 'min-available', kind: 'string' },
    { name: 'max-unavailable', kind: 'string' },
    { name: 'selector', kind: 'string' },
  ],
  errorPrefix: 'failed to create poddisruptionbudgets: ',
  build(ctx, name) {
    const min = ctx.flags.str('min-available');
    const max = ctx.flags.str('max-unavailable');
    const selector = ctx.flags.str('selector');
    requireNonEmptyName(name);
    if (selector === '') throw new CliError('error: a selector must be specified');
    if (max === '' && min === '') throw new CliError('error: one of min-available or max-unavailable must be specified');
    if (max !== '' && min !== '') throw new CliError('error: min-available and max-unavailable cannot be both specified');
    const re = /^[0-9]+%?$/;
    if (min !== '' && !re.test(min)) throw new CliError('error: invalid format specified for min-available');
    if (max !== '' && !re.test(max)) throw new CliError('error: invalid format specified for max-unavailable');
    return {
      kind: 'PodDisruptionBudget',
      apiVersion: 'policy/v1',
      metadata: { name, namespace: enforcedNamespace(ctx) },
      spec: {
        minAvailable: min !== '' ? intOrString(min) : undefined,
        selector: labelSelectorOf(selector),
        maxUnavailable: max !== '' ? intOrString(max) : undefined,
      },
    };
  },
});

// metav1.ParseToLabelSelector: requirements in key order; equality ones become
// matchLabels, the others matchExpressions with sorted values.
function labelSelectorOf(text: string): Record<string, unknown> {
  let reqs: Requirement[];
  try {
    reqs = parseLabelSelector(text);
  } catch (e) {
    throw new CliError(`error: couldn't parse the selector string "${text}": ${(e as Error).message}`);
  }
  const matchLabels: Record<string, string> = {};
  const matchExpressions: Record<string, unknown>[] = [];
  const operators: Partial<Record<string, string>> = { in: 'In', notin: 'NotIn', exists: 'Exists', '!': 'DoesNotExist' };
  for (const r of [...reqs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    if (r.op === '=' || r.op === '==') {
      matchLabels[r.key] = r.values[0];
      continue;
    }
    if (r.op === 'gt' || r.op === 'lt') throw new CliError(`error: "${r.op}" isn't supported in label selectors`);
    const operator = operators[r.op];
    if (!operator) throw new CliError(`error: "${r.op}" is not a valid label selector operator`);
    matchExpressions.push({ key: r.key, operator, values: [...new Set(r.values)].sort() });
  }
  return { matchLabels, matchExpressions };
}
