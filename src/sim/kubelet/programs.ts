import type { Container } from 'kubernetes-types/core/v1';
import type { ImageEntry, LogLine, PortBehaviour } from '../images';
import { lookupImage, tagAtLeast } from '../images';

// What a container runs: an image's own server (nginx, agnhost netexec, redis,
// ...) with its logs and ports, or a shell program interpreted in sim/shell.

export interface ServerProgram {
  kind: 'server';
  argv: string[];
  logs: LogLine[];
  ports: Record<string, PortBehaviour>;
  sigterm: 'exit' | 'ignore';
  readySeconds: number;
  // Exit right away with this code (e.g. busybox `sh` with no stdin: 0).
  exitAfterMs?: number;
  exitCode?: number;
}

export interface ShellProgram {
  kind: 'shell';
  argv: string[];
  sigterm: 'exit' | 'ignore';
}

export type Program = ServerProgram | ShellProgram;

const SHELLS = new Set(['sh', 'bash', 'ash', '/bin/sh', '/bin/bash', '/bin/ash', '/usr/bin/bash', '/usr/bin/env']);

// The container's argv: command (or the image's entrypoint/cmd) and args.
export function containerArgv(c: Container, entry: ImageEntry | undefined): string[] {
  if (c.command && c.command.length > 0) return [...c.command, ...(c.args ?? [])];
  if (c.args && c.args.length > 0) {
    // args replace the image's CMD; an image whose CMD is its program keeps it first.
    const cmd = entry?.cmd ?? [];
    return cmd.length > 0 && entry?.kind !== 'shell' ? [cmd[0], ...c.args] : [...c.args];
  }
  return entry?.cmd ? [...entry.cmd] : [];
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export function programFor(c: Container, entry: ImageEntry | undefined): Program {
  const argv = containerArgv(c, entry);
  const sigterm = entry?.sigterm ?? 'exit';
  const tag = lookupImage(c.image ?? '').ref.tag;
  const server = (b: { logs?: LogLine[]; ports?: Record<string, PortBehaviour> } | undefined): ServerProgram => ({
    kind: 'server',
    argv,
    logs: (b?.logs ?? []).filter((l) => !l.minTag || tagAtLeast(tag, l.minTag)),
    ports: b?.ports ?? {},
    sigterm,
    readySeconds: entry?.readySeconds ?? 0,
  });
  if (!entry) {
    // An image the catalogue does not know: a generic long-running process,
    // unless the manifest clearly runs a shell program.
    if (argv.length > 0 && SHELLS.has(argv[0])) return { kind: 'shell', argv, sigterm: 'ignore' };
    return server(undefined);
  }
  if (entry.programs && argv.length > 0) {
    // Multi-call binaries: `/agnhost netexec --http-port=8080`.
    const sub = basename(argv[0]) === basename(entry.cmd?.[0] ?? '') ? argv[1] : undefined;
    const program = sub ? entry.programs[sub] : undefined;
    if (program) {
      const p = server(program);
      const portFlag = argv.find((a) => a.startsWith('--http-port='));
      if (portFlag && p.ports['8080']) {
        const port = portFlag.split('=')[1];
        p.ports = { [port]: p.ports['8080'] };
        p.logs = p.logs.map((l) => ({ ...l, text: l.text.replace('port 8080', `port ${port}`) }));
      }
      return p;
    }
  }
  if (entry.kind === 'shell') {
    if (argv.length === 0) return { ...server(undefined), exitAfterMs: 50, exitCode: 0 };
    return { kind: 'shell', argv, sigterm };
  }
  // A server image: its own command, or a shell wrapped around it.
  if (argv.length > 0 && SHELLS.has(argv[0]) && (c.command || c.args)) return { kind: 'shell', argv, sigterm };
  return server(entry);
}
