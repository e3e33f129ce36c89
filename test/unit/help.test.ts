import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { helpText, listHelpCommands, resolveHelpPath } from '../../src/cli/help';
import { oracleSkip, runOracle } from '../helpers/oracle';

const HELP_DIR = path.join(__dirname, '..', '..', 'src', 'cli', 'help');

// Empty PATH: no kubectl-* plugins in the root listing; KUBECTL_APPLYSET is never set by runOracle.
const ORACLE_ENV = { PATH: '' };

describe('help texts: structure', () => {
  it('lists the root, every rollout/set/config/top sub-command and the hidden options/help', () => {
    const cmds = new Set(listHelpCommands().map((p) => p.join(' ')));
    for (const c of [
      '',
      'get',
      'create deployment',
      'create secret generic',
      'create service nodeport',
      'apply view-last-applied',
      'rollout status',
      'rollout history',
      'rollout undo',
      'rollout pause',
      'rollout resume',
      'rollout restart',
      'set image',
      'set env',
      'set resources',
      'set selector',
      'set serviceaccount',
      'set subject',
      'top pod',
      'top node',
      'cluster-info dump',
      'config view',
      'config use-context',
      'auth can-i',
      'certificate approve',
      'plugin list',
      'options',
      'help',
      'completion',
      'kustomize',
      'debug',
      'events',
    ]) {
      assert.ok(cmds.has(c), `missing ${JSON.stringify(c)}`);
    }
    assert.ok(cmds.size >= 100, `only ${cmds.size} commands`);
  });

  it('has one data file per listed command and no stray files', () => {
    const names = listHelpCommands().map((p) => (p.length === 0 ? 'root' : p.join('-')));
    const files = fs.readdirSync(HELP_DIR).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4));
    assert.deepEqual([...files].sort(), [...names].sort());
  });

  it('get: sections and exact usage line', () => {
    const text = helpText(['get']);
    assert.ok(text !== undefined);
    assert.ok(text.startsWith('Display one or many resources.\n\n'));
    assert.ok(text.includes('\nExamples:\n'));
    assert.ok(text.includes('\nOptions:\n'));
    assert.ok(
      text.includes(
        'Usage:\n  kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]\n',
      ),
    );
    assert.ok(text.endsWith('\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n'));
  });

  it('every help text but options ends with the global-options hint and one newline', () => {
    for (const p of listHelpCommands()) {
      if (p[0] === 'options') continue;
      const text = helpText(p);
      assert.ok(text?.endsWith('for a list of global command-line options (applies to all commands).\n'), p.join(' '));
    }
  });

  it('root and group commands list their sub-commands', () => {
    const root = helpText([]);
    assert.ok(root !== undefined);
    assert.ok(root.startsWith('kubectl controls the Kubernetes cluster manager.\n'));
    assert.ok(root.includes('\nSubcommands provided by plugins:\n\nOther Commands:\n'));
    assert.ok(root.includes('\nUsage:\n  kubectl [flags] [options]\n'));
    const rollout = helpText(['rollout']);
    assert.ok(rollout?.includes('\nAvailable Commands:\n  history       View rollout history\n'));
    assert.ok(helpText(['rollout', 'status'])?.includes('Usage:\n  kubectl rollout status (TYPE NAME | TYPE/NAME) [flags] [options]\n'));
    assert.ok(helpText(['create', 'deployment'])?.includes('Usage:\n  kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]\n'));
  });

  it('resolves aliases and rejects unknown paths', () => {
    assert.equal(helpText(['create', 'deploy']), helpText(['create', 'deployment']));
    assert.equal(helpText(['top', 'pods']), helpText(['top', 'pod']));
    assert.equal(helpText(['config', 'use']), helpText(['config', 'use-context']));
    assert.deepEqual(resolveHelpPath(['create', 'svc', 'nodeport']), ['create', 'service', 'nodeport']);
    assert.equal(helpText(['create-deployment']), undefined);
    assert.equal(helpText(['foo']), undefined);
    assert.equal(helpText(['rollout', 'foo']), undefined);
    assert.equal(helpText(['get', 'pods']), undefined);
    assert.equal(helpText(['..', 'package']), undefined);
  });

  it('options: the cache dir follows KUBECACHEDIR, else HOME', () => {
    const line = (env: NodeJS.ProcessEnv): string | undefined => helpText(['options'], env)?.split('\n').find((l) => l.includes('--cache-dir='));
    assert.equal(line({ HOME: '/home/ann' }), "    --cache-dir='/home/ann/.kube/cache':");
    assert.equal(line({ HOME: '/home/ann', KUBECACHEDIR: '/c' }), "    --cache-dir='/c':");
    assert.equal(line({}), "    --cache-dir='.kube/cache':");
    assert.ok(!helpText(['options'])?.includes('@@'));
  });
});

describe('help texts: the real kubectl', { skip: oracleSkip }, () => {
  it('`kubectl` with no arguments prints the root help', () => {
    const r = runOracle([], { env: ORACLE_ENV });
    assert.equal(r.status, 0);
    assert.equal(r.stdout, helpText([]));
  });

  for (const p of listHelpCommands()) {
    const args = p[0] === 'options' ? ['options'] : [...p, '--help'];
    it(`kubectl ${args.join(' ')}`, () => {
      const r = runOracle(args, { env: ORACLE_ENV });
      assert.equal(r.status, 0);
      assert.equal(r.stderr, '');
      // runOracle passes HOME but not KUBECACHEDIR.
      assert.equal(helpText(p, { HOME: process.env.HOME }), r.stdout);
    });
  }

  it('aliases print the same help', () => {
    for (const args of [['create', 'deploy'], ['top', 'po'], ['config', 'use'], ['create', 'svc', 'nodeport']]) {
      assert.equal(helpText(args), runOracle([...args, '-h'], { env: ORACLE_ENV }).stdout, args.join(' '));
    }
  });
});
