import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';
import { BIN, ROOT, kubemuEnv } from './kubemu';

// Long-running kubemu commands (port-forward, proxy, minikube service and
// tunnel) as real child processes, and the host side that talks to them.

export interface Served {
  child: ChildProcess;
  first: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

// Resolves once stdout has a line matching `ready` (any first line by default).
export function serve(home: string, args: string[], ready = /^.*$/m): Promise<Served> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: kubemuEnv(home),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no output from kubemu ${args.join(' ')}; stderr: ${err}`)), 15_000);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').slice(0, -1).find((l) => ready.test(l));
      if (line !== undefined && timer) {
        clearTimeout(timer);
        resolve({
          child,
          first: line,
          stdout: () => out,
          stderr: () => err,
          exited,
          stop: (signal = 'SIGINT') => {
            child.kill(signal);
            return exited;
          },
        });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubemu ${args.join(' ')} exited ${code}: ${err}`));
    });
  });
}

export function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      })
      .on('error', reject);
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Polls `done` for up to `ms` milliseconds.
export async function until(done: () => boolean, ms: number): Promise<void> {
  for (let waited = 0; waited < ms && !done(); waited += 20) await wait(20);
}
