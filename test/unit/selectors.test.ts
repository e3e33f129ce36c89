import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatLabelSelector,
  formatLabels,
  matchesRequirements,
  parseFieldSelector,
  parseLabelSelector,
  SelectorParseError,
} from '../../src/api/selectors';

test('equality and set-based label selectors', () => {
  const labels = { app: 'web', tier: 'front', env: 'prod' };
  const cases: [string, boolean][] = [
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app=web,tier=front', true],
    ['app=web,tier=back', false],
    ['env in (prod,staging)', true],
    ['env notin (prod)', false],
    ['env', true],
    ['!env', false],
    ['!missing', true],
    ['missing!=x', true],
    ['app in (web), tier notin (back)', true],
    ['', true],
  ];
  for (const [sel, want] of cases) assert.equal(matchesRequirements(parseLabelSelector(sel), labels), want, sel);
});

test('selector syntax errors', () => {
  assert.throws(() => parseLabelSelector('app=web tier=x'), SelectorParseError);
  assert.throws(() => parseLabelSelector('env in (a'), SelectorParseError);
  assert.throws(() => parseLabelSelector('-bad=x'), SelectorParseError);
});

test('formatting as kubectl prints selectors and labels', () => {
  assert.equal(formatLabels({ b: '2', a: '1' }), 'a=1,b=2');
  assert.equal(formatLabels({}), '<none>');
  assert.equal(
    formatLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['b', 'a'] }, { key: 'x', operator: 'DoesNotExist' }] }),
    'app=web,env in (a,b),!x',
  );
  assert.equal(formatLabelSelector({}), '<none>');
});

test('field selectors', () => {
  assert.deepEqual(parseFieldSelector('metadata.name=x,status.phase!=Running'), [
    { field: 'metadata.name', op: '=', value: 'x' },
    { field: 'status.phase', op: '!=', value: 'Running' },
  ]);
  assert.throws(() => parseFieldSelector('nonsense'), SelectorParseError);
});
