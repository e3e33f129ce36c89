import type { Tool } from './types';
import { listening, targetPod } from './common';

// mysqladmin from the MySQL image: `ping`, the usual health check.

const mysqladmin: Tool = (ctx) => {
  const args = ctx.run.argv.slice(1);
  let host = 'localhost';
  let port = 3306;
  let warn = '';
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if ((a === '-h' || a === '--host') && i + 1 < args.length) host = args[++i];
    else if (a.startsWith('--host=')) host = a.slice(7);
    else if (a.startsWith('-h') && a.length > 2) host = a.slice(2);
    else if ((a === '-P' || a === '--port') && i + 1 < args.length) port = Number(args[++i]);
    else if (a.startsWith('--port=')) port = Number(a.slice(7));
    else if ((a === '-u' || a === '--user') && i + 1 < args.length) i++;
    else if (a.startsWith('-p') && a.length > 2) warn = 'mysqladmin: [Warning] Using a password on the command line interface can be insecure.\n';
    else if (a.startsWith('--password=')) warn = 'mysqladmin: [Warning] Using a password on the command line interface can be insecure.\n';
    else if (a.startsWith('-')) continue;
    else rest.push(a);
  }
  const command = rest[0];
  if (command !== 'ping') {
    return { stdout: '', stderr: `${warn}mysqladmin: Unknown command: '${command ?? ''}'\n`, exitCode: 1 };
  }
  // localhost goes through the server's socket; a host name through TCP.
  const target = targetPod(ctx.api, ctx.pod, host === 'localhost' ? '127.0.0.1' : host);
  const up = target !== 'unknown' && target !== undefined && listening(ctx.api, target, port, ctx.now);
  if (up) return { stdout: 'mysqld is alive\n', stderr: warn, exitCode: 0 };
  const why =
    host === 'localhost'
      ? "Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)'\nCheck that mysqld is running and that the socket: '/var/run/mysqld/mysqld.sock' exists!"
      : `Can't connect to MySQL server on '${host}:${port}' (111)'`;
  return { stdout: '', stderr: `${warn}mysqladmin: connect to server at '${host}' failed\nerror: '${why}\n`, exitCode: 1 };
};

export const MYSQL_TOOLS: Record<string, Tool> = { mysqladmin };
