import type { Output } from '../command';
import { Session } from '../session';
import { parseGoDuration } from '../flags';
import { CliError, formatError, exitCodeOf } from '../errors';
import { daemonPid, pidFile } from '../../reconciler/daemon';
import { rfc3339 } from '../../sim/clock';
import { KINDS, storageKey } from '../../api/kinds';
import { StateStore } from '../../store/store';
import * as fs from 'node:fs';
import { hostCurl, shellEnv } from './host-curl';
import { hostGit } from './host-git';
import { runAppArmor, runSyslog } from './node-security';
import { runDocker } from './docker';
import { selfPath } from '../../util/assets';

// `kubemu sim`: the emulator's own commands, for the clock and the daemon.

const USAGE = `kubemu sim: the simulated cluster's clock and daemon

Usage:
  kubemu sim status                  clock, daemon, object counts, next timers
  kubemu sim advance <duration>      move the clock forward (90s, 5m, 2h, 1d), firing every timer on the way
  kubemu sim clock real|manual       real time, or a clock that moves only when told
  kubemu sim clock speed <factor>    real time multiplied by <factor>
  kubemu sim reset                   a fresh default cluster
  kubemu sim daemon status|stop      the background reconciler
  kubemu sim curl <curl args>        curl from the host to the node's address (NodePorts)
  kubemu sim git clone URL [DIR]     the tutorials' repositories (kube-state-metrics, elastic/examples), bundled
  kubemu sim apparmor load NODE [FILE]
                                     load AppArmor profiles into a node's kernel (apparmor_parser; stdin without FILE)
  kubemu sim apparmor profiles [NODE]
                                     the profiles a node has loaded (/sys/kernel/security/apparmor/profiles)
  kubemu sim syslog [NODE]           a node's kernel log (seccomp audit records; /var/log/syslog)
  kubemu sim docker ps               a kind cluster's node containers
  kubemu sim docker exec [-it] NODE ls PATH | curl ARGS
                                     what a kind node sees of its mounts; curl from inside the node
  kubemu sim shellenv                kubectl, minikube, kind, curl and git as shell functions:
                                     eval "$(kubemu sim shellenv)"
`;

export function parseSimDuration(text: string): number | undefined {
  const days = /^(\d+)d(.*)$/.exec(text);
  if (days) {
    const rest = days[2] ? parseGoDuration(days[2]) : 0;
    return rest === undefined ? undefined : Number(days[1]) * 86_400_000 + rest;
  }
  return parseGoDuration(text);
}

function status(session: Session, io: Output): void {
  session.ensureCluster();
  const info = session.read((api) => {
    const st = api.world.state;
    const counts = KINDS.filter((k) => !(k.kind === 'Event' && k.group !== ''))
      .map((k) => [k.resource, Object.keys(st.objects[storageKey(k)] ?? {}).length] as const)
      .filter(([, n]) => n > 0);
    return { now: api.now(), clock: st.clock, timers: st.reconciler.timers.slice(0, 5), total: st.reconciler.timers.length, counts };
  });
  const mode = info.clock.mode === 'manual' ? 'manual' : info.clock.speed === 1 ? 'real' : `real x${info.clock.speed}`;
  const pid = daemonPid(session.home);
  let text = `Clock:    ${rfc3339(info.now)} (${mode})\n`;
  text += `Daemon:   ${pid ? `running (pid ${pid})` : 'not running'}\n`;
  text += `Home:     ${session.home}\n`;
  text += `Objects:  ${info.counts.map(([r, n]) => `${n} ${r}`).join(', ')}\n`;
  text += `Timers:   ${info.total} pending\n`;
  for (const t of info.timers) text += `  in ${Math.max(0, Math.round((t.at - info.now) / 1000))}s  ${t.controller}  ${t.key}\n`;
  io.out(text);
}

export function runSim(args: string[], env: NodeJS.ProcessEnv, io: Output): number {
  const session = new Session(env);
  try {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'status':
        status(session, io);
        return 0;
      case 'advance': {
        const ms = rest[0] ? parseSimDuration(rest[0]) : undefined;
        if (ms === undefined || ms < 0) throw new CliError(`error: invalid duration "${rest[0] ?? ''}" (examples: 90s, 5m, 2h, 1d)`);
        const now = session.read((api) => api.now());
        session.advanceTo(now + ms);
        io.out(`Clock advanced by ${rest[0]} to ${rfc3339(now + ms)}\n`);
        return 0;
      }
      case 'clock': {
        const [mode, factor] = rest;
        session.ensureCluster();
        if (mode === 'real' || mode === 'manual') {
          session.write((api) => {
            api.world.clock.setMode(mode);
            if (mode === 'real') api.world.clock.state.speed = 1;
            api.dirty = true;
          });
          io.out(`Clock is now ${mode}\n`);
          return 0;
        }
        if (mode === 'speed') {
          const f = Number(factor);
          if (!Number.isFinite(f) || f <= 0) throw new CliError(`error: invalid speed factor "${factor ?? ''}"`);
          session.write((api) => {
            api.world.clock.setSpeed(f);
            api.dirty = true;
          });
          io.out(`Clock now runs at ${f}x real time\n`);
          return 0;
        }
        throw new CliError('error: usage: kubemu sim clock real|manual|speed <factor>');
      }
      case 'reset': {
        stopDaemon(session.home);
        const store = new StateStore(session.home);
        store.withLock(() => {
          fs.rmSync(store.stateFile, { force: true });
          fs.rmSync(`${session.home}/logs`, { recursive: true, force: true });
        });
        session.ensureCluster();
        io.out('A fresh cluster is ready.\n');
        return 0;
      }
      case 'daemon': {
        const pid = daemonPid(session.home);
        if (rest[0] === 'status') {
          io.out(pid ? `running (pid ${pid})\n` : 'not running\n');
          return 0;
        }
        if (rest[0] === 'stop') {
          io.out(stopDaemon(session.home) ? `stopped (pid ${pid})\n` : 'not running\n');
          return 0;
        }
        throw new CliError('error: usage: kubemu sim daemon status|stop');
      }
      case 'curl':
        return hostCurl(session, rest, io);
      case 'git':
        return hostGit(rest, io);
      case 'apparmor':
        return runAppArmor(session, rest, io, () => fs.readFileSync(0, 'utf8'));
      case 'syslog':
        return runSyslog(session, rest, io);
      case 'docker':
        return runDocker(session, rest, io);
      case 'shellenv':
        io.out(shellEnv(selfPath()));
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return sub === undefined ? 1 : 0;
      default:
        throw new CliError(`error: unknown sim command "${sub}"\n\n${USAGE}`);
    }
  } catch (e) {
    io.err(`${formatError(e, 'kubemu sim')}\n`);
    return exitCodeOf(e);
  }
}

export function stopDaemon(home: string): boolean {
  const pid = daemonPid(home);
  if (!pid) return false;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return false;
  }
  fs.rmSync(pidFile(home), { force: true });
  return true;
}
