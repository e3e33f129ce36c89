import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types';
import { lookupImage } from '.';
import { containerEnv } from '../kubelet/container-world';
import { redisCall } from './tools/redis';
import type { AppContext } from './tools/types';

// Web applications whose answers depend on other servers, named in the
// catalogue as `app:NAME` route bodies. The guestbook's guestbook.php writes
// through Predis to the Redis master Service and reads from the replicas.

type P = Pod & KubeObject;

export interface AppAnswer {
  status: number;
  body: string;
}

export type WebApp = (ctx: AppContext, pod: P, c: Container, url: URL) => AppAnswer;

// PHP 5.6 under Apache with display_errors on: an uncaught exception is
// printed into the page, and the status stays 200.
function predisFailure(host: string, why: 'unknown' | 'refused'): AppAnswer {
  const file = '/usr/local/lib/php/Predis/Connection/AbstractConnection.php';
  const message = why === 'unknown' ? `php_network_getaddresses: getaddrinfo failed: Name or service not known [tcp://${host}:6379]` : `Connection refused [tcp://${host}:6379]`;
  return {
    status: 200,
    body: `<br />\n<b>Fatal error</b>:  Uncaught exception 'Predis\\Connection\\ConnectionException' with message '${message}' in ${file}:155\n  thrown in <b>${file}</b> on line <b>155</b><br />\n`,
  };
}

const PHPINFO = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "DTD/xhtml1-transitional.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml"><head>\n<title>phpinfo()</title></head>\n<body><div class="center">\n<h1 class="p">PHP Version 5.6.40</h1>\n</div></body></html>\n';

const guestbookPhp: WebApp = (ctx, pod, c, url) => {
  const q = url.searchParams;
  const cmd = q.get('cmd');
  if (cmd === null) return { status: 200, body: PHPINFO };
  // v5 talks to the renamed Services.
  const renamed = lookupImage(c.image ?? '').ref.tag === 'v5';
  // GET_HOSTS_FROM=env: the Service's address from the variables the pod started with.
  const env = containerEnv(ctx.api, pod, c);
  const hostFor = (service: string) => (env.GET_HOSTS_FROM === 'env' ? (env[`${service.toUpperCase().replace(/-/g, '_')}_SERVICE_HOST`] ?? '') : service);
  const write = cmd === 'set';
  const host = hostFor(write ? (renamed ? 'redis-leader' : 'redis-master') : renamed ? 'redis-follower' : 'redis-slave');
  const argv = write ? ['SET', q.get('key') ?? '', q.get('value') ?? ''] : ['GET', q.get('key') ?? ''];
  const r = redisCall(ctx, pod, host, 6379, argv);
  if ('error' in r) return predisFailure(host, r.error);
  return { status: 200, body: write ? '{"message": "Updated"}' : `{"data": "${r.reply ?? ''}"}` };
};

export const WEB_APPS: Record<string, WebApp> = { 'guestbook-php': guestbookPhp };
