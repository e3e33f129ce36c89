import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Output } from '../command';
import { parseBool } from '../flags';
import { width as displayWidth } from './table';

// minikube's console output (pkg/minikube/out and pkg/minikube/style): each
// message is a line with an emoji prefix, or its 7-bit "low-fi" prefix when
// the output does not want colour. Steps and notes go to stdout, warnings and
// failures to stderr; exits print "Exiting due to <ID>: ..." and a code.

interface Style {
  prefix: string;
  low?: string;
}

const LOW_BULLET = '* ';
const LOW_INDENT = '  ';
const LOW_INDENT_BULLET = '  - ';
const LOW_WARNING = '! ';
const LOW_ERROR = 'X ';

const STYLES = {
  addonDisable: { prefix: '🌑  ' },
  addonEnable: { prefix: '🌟  ' },
  celebrate: { prefix: '🎉  ' },
  cni: { prefix: '🔗  ' },
  conflict: { prefix: '💢  ', low: LOW_WARNING },
  deleted: { prefix: '💀  ' },
  deletingHost: { prefix: '🔥  ' },
  docker: { prefix: '🐳  ' },
  documentation: { prefix: '📘  ' },
  empty: { prefix: '' },
  enabling: { prefix: '🔌  ' },
  failure: { prefix: '❌  ', low: LOW_ERROR },
  happy: { prefix: '😄  ' },
  healthCheck: { prefix: '🔎  ' },
  internet: { prefix: '🌐  ' },
  kubectl: { prefix: '💗  ' },
  launch: { prefix: '🚀  ' },
  meh: { prefix: '🙄  ', low: LOW_WARNING },
  notice: { prefix: '📌  ' },
  option: { prefix: '    ▪ ', low: LOW_INDENT_BULLET },
  permissions: { prefix: '🔑  ' },
  pulling: { prefix: '🚜  ' },
  ready: { prefix: '🏄  ' },
  restarting: { prefix: '🔄  ' },
  running: { prefix: '🏃  ' },
  sad: { prefix: '😿  ' },
  shrug: { prefix: '🤷  ' },
  shutdown: { prefix: '🛑  ' },
  sparkle: { prefix: '✨  ' },
  startingVM: { prefix: '🔥  ' },
  stopped: { prefix: '🛑  ' },
  stopping: { prefix: '✋  ' },
  subStep: { prefix: '    ▪ ', low: LOW_INDENT_BULLET },
  success: { prefix: '✅  ' },
  thumbsUp: { prefix: '👍  ' },
  tip: { prefix: '💡  ' },
  url: { prefix: '👉  ', low: LOW_INDENT },
  usage: { prefix: '💡  ' },
  verifying: { prefix: '🤔  ' },
  warning: { prefix: '❗  ', low: LOW_WARNING },
  workaround: { prefix: '👉  ', low: LOW_INDENT },
} satisfies Record<string, Style>;

export type StyleName = keyof typeof STYLES;

// style.LowPrefix: the style's own, an indent for indented styles, else a bullet
// (so even the empty style gets "* ").
function lowPrefix(s: Style): string {
  if (s.low) return s.low;
  return s.prefix.startsWith('  ') ? LOW_INDENT : LOW_BULLET;
}

// out.wantsColor: MINIKUBE_IN_STYLE decides; else a colour terminal. minikube
// sets stdout then stderr, so stderr's answer is the one kept.
export function wantsColor(env: NodeJS.ProcessEnv, stream: { isTTY?: boolean }): boolean {
  const forced = env.MINIKUBE_IN_STYLE ? parseBool(env.MINIKUBE_IN_STYLE) : undefined;
  if (forced !== undefined) return forced;
  if (env.WT_SESSION) return true;
  const term = env.TERM ?? '';
  const colorTerm = env.COLORTERM ?? '';
  if (!term.includes('color') && !/truecolor|24bit|yes/.test(colorTerm)) return false;
  return stream.isTTY === true;
}

// An exit code, once everything has been printed.
export class MinikubeExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

// reason.Kind: an ID, an exit code, and how the "Exiting due to" line looks.
export interface Reason {
  id: string;
  exitCode: number;
  style?: StyleName;
}

export const REASONS = {
  usage: { id: 'MK_USAGE', exitCode: 14 },
  addonEnable: { id: 'MK_ADDON_ENABLE', exitCode: 10 },
  addonUnsupported: { id: 'SVC_ADDON_UNSUPPORTED', exitCode: 116 },
  drvMismatch: { id: 'GUEST_DRIVER_MISMATCH', exitCode: 81, style: 'conflict' },
  drvUnsupported: { id: 'DRV_UNSUPPORTED_OS', exitCode: 56 },
  k8sUnsupported: { id: 'K8S_UNSUPPORTED', exitCode: 106 },
  svcNotFound: { id: 'SVC_NOT_FOUND', exitCode: 115 },
  svcUnreachable: { id: 'SVC_UNREACHABLE', exitCode: 115 },
  svcCheckTimeout: { id: 'SVC_CHECK_TIMEOUT', exitCode: 112 },
  svcUrlTimeout: { id: 'SVC_URL_TIMEOUT', exitCode: 112 },
  tunnelRunning: { id: 'TUNNEL_ALREADY_RUNNING', exitCode: 111, style: 'usage' },
  kubectlProxy: { id: 'HOST_KUBECTL_PROXY', exitCode: 30 },
  nodeRetrieve: { id: 'GUEST_NODE_RETRIEVE', exitCode: 85 },
} satisfies Record<string, Reason>;

export class Out {
  readonly color: boolean;

  constructor(
    private readonly io: Output,
    env: NodeJS.ProcessEnv,
    // For the log file named in failure boxes.
    private readonly commandLine: string[],
    private readonly home: string,
  ) {
    this.color = wantsColor(env, process.stderr);
  }

  // A styled line, as out.Sprintf / stylized format it.
  fmt(style: StyleName, text: string): string {
    const s: Style = STYLES[style];
    return `${this.color ? s.prefix : lowPrefix(s)}${text}\n`;
  }

  // out.Step / out.Styled: stdout.
  step(style: StyleName, text: string): void {
    this.io.out(this.fmt(style, text));
  }

  // out.Infof: an indented option line.
  info(text: string): void {
    this.step('option', text);
  }

  // out.Ln / out.String: plain stdout.
  ln(text = ''): void {
    this.io.out(`${text}\n`);
  }

  raw(text: string): void {
    this.io.out(text);
  }

  // out.ErrT: stderr.
  err(style: StyleName, text: string): void {
    this.io.err(this.fmt(style, text));
  }

  warning(text: string): void {
    this.err('warning', text);
  }

  // exit.Message: the reason on stderr between blank stdout lines, then the exit code.
  exit(reason: Reason, text: string, opts: { advice?: string; issueLink?: boolean } = {}): never {
    this.ln();
    this.err(reason.style ?? 'failure', `Exiting due to ${reason.id}: ${text}`);
    if (opts.advice) this.err('tip', `Suggestion: ${opts.advice}`);
    if (opts.issueLink) {
      this.err('empty', '');
      this.io.err(this.issueBox());
    }
    this.ln();
    throw new MinikubeExit(reason.exitCode);
  }

  // exit.Error: an unexpected failure, with the box asking for a bug report.
  fail(reason: Reason, text: string, cause: string): never {
    return this.exit(reason, `${text}: ${cause}`, { issueLink: true });
  }

  // The GitHub-issue box (box-cli-maker, round corners, 4 columns and 1 line of padding).
  private issueBox(): string {
    let msg = this.fmt('sad', 'If the above advice does not help, please let us know:');
    msg += this.fmt('url', 'https://github.com/kubernetes/minikube/issues/new/choose\n');
    msg += this.fmt('empty', 'Please run `minikube logs --file=logs.txt` and attach logs.txt to the GitHub issue.');
    const logFile = this.writeLogFile();
    if (logFile) {
      msg += this.fmt('empty', 'Please also attach the following file to the GitHub issue:');
      msg += this.fmt('empty', `- ${logFile}`);
    }
    const lines = msg.trim().split('\n');
    const width = Math.max(...lines.map(displayWidth));
    const bar = '─'.repeat(width + 8);
    const blank = `│${' '.repeat(width + 8)}│`;
    const body = lines.map((l) => `│    ${l}${' '.repeat(width - displayWidth(l))}    │`);
    return [`╭${bar}╮`, blank, ...body, blank, `╰${bar}╯`, ''].join('\n');
  }

  // minikube_<command>_<hash>_0.log, which minikube keeps in the temp directory;
  // kubemu keeps it in its home.
  private writeLogFile(): string | undefined {
    const command = this.commandLine[0] ?? 'minikube';
    const hash = crypto.createHash('sha1').update(this.commandLine.join(' ')).digest('hex');
    const file = path.join(this.home, 'minikube', 'logs', `minikube_${command}_${hash}_0.log`);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `Log file created by kubemu for: minikube ${this.commandLine.join(' ')}\n`);
      return file;
    } catch {
      return undefined;
    }
  }
}
