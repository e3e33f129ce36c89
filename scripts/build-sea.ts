// `npm run sea`: kubemu as one executable, dist/sea/kubemu, with Node's single
// executable applications (pkg is archived and downloads Node binaries, which
// cannot work offline). After the tsc build: esbuild bundles the compiled
// CommonJS program into one script; `node --experimental-sea-config` makes the
// blob, with the runtime files of util/assets.ts as its assets; postject injects
// it into a copy of the node running this script. Built and tested on Linux;
// the macOS and Windows steps below follow Node's documentation, untested.
//
// The executable is rebuilt only when the bundle, the assets or the node differ
// from the last build (dist/sea/kubemu.stamp): the tsc build rewrites the data
// files every time, so their times say nothing.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { ASSET_INDEX } from '../src/util/assets';

const root = path.join(__dirname, '..', '..');
const dist = path.join(root, 'dist');
const outDir = path.join(dist, 'sea');
export const SEA_EXECUTABLE = path.join(outDir, process.platform === 'win32' ? 'kubemu.exe' : 'kubemu');
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(full, keep));
    else if (keep(e.name)) out.push(full);
  }
  return out;
}

// Asset names are paths from the repository root with '/' (util/assets.ts).
function assetName(file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

// What util/assets.ts reads: the tutorials' manifests, the data the build
// copied or converted beside the compiled code, and the schema.
function assetFiles(): string[] {
  return [
    ...filesUnder(path.join(root, 'manifests'), () => true),
    ...filesUnder(path.join(dist, 'src'), (n) => /\.(json|txt)$/.test(n)),
    path.join(dist, 'generated', 'k8s-schema.json'),
  ].sort();
}

// Runs a step of the build, showing what it said only if it failed (postject's
// LIEF warns about ELF note sections on every injection).
function step(file: string, args: string[]): void {
  const r = spawnSync(file, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${[file, ...args].join(' ')} failed:\n${r.stdout ?? ''}${r.stderr ?? ''}${r.error?.message ?? ''}`);
}

function bundle(file: string): void {
  const result = buildSync({
    // What bin/kubemu does, from dist/.
    stdin: { contents: "require('./src/cli/entry.js').runCli(process.argv.slice(2));", resolveDir: dist, sourcefile: 'sea-main.js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    outfile: file,
    metafile: true,
    logLevel: 'warning',
  });
  // A module required by a computed path would be missing at run time: check
  // that every compiled module is in (but the type-only ones, which nothing
  // requires and which tsc compiles to nothing).
  const inputs = new Set(Object.keys(result.metafile.inputs).map((f) => path.resolve(root, f)));
  const typeOnly = (f: string) => fs.readFileSync(f, 'utf8').trim() === '"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });';
  const missing = filesUnder(path.join(dist, 'src'), (n) => n.endsWith('.js')).filter((f) => !inputs.has(f) && !typeOnly(f));
  if (missing.length > 0) throw new Error(`not in the bundle:\n${missing.join('\n')}`);
}

// Why this node cannot build the executable, if it cannot: node:sea's assets
// came in Node 20.12, and package.json allows any Node 20.
export function seaUnsupported(): string | undefined {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return major < 20 || (major === 20 && minor < 12) ? `node ${process.version}: single executable assets need node 20.12 or later` : undefined;
}

function main(): void {
  const unsupported = seaUnsupported();
  if (unsupported) throw new Error(unsupported);
  const started = Date.now();
  fs.mkdirSync(outDir, { recursive: true });
  const script = path.join(outDir, 'kubemu.js');
  bundle(script);

  const assets = assetFiles();
  const index = path.join(outDir, ASSET_INDEX);
  fs.writeFileSync(index, JSON.stringify(assets.map(assetName)));
  const hash = createHash('sha256');
  const node = fs.statSync(process.execPath);
  hash.update(`${process.execPath} ${process.version} ${node.size} ${node.mtimeMs}\n`);
  for (const f of [script, index, ...assets]) hash.update(`${assetName(f)}\n`).update(fs.readFileSync(f));
  const stampFile = path.join(outDir, 'kubemu.stamp');
  const stamp = hash.digest('hex');
  if (fs.existsSync(SEA_EXECUTABLE) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
    console.log(`${path.relative(root, SEA_EXECUTABLE)} is up to date`);
    return;
  }

  const blob = path.join(outDir, 'kubemu.blob');
  const config = {
    main: script,
    output: blob,
    disableExperimentalSEAWarning: true,
    useCodeCache: true,
    assets: Object.fromEntries([[ASSET_INDEX, index], ...assets.map((f) => [assetName(f), f])]),
  };
  const configFile = path.join(outDir, 'sea-config.json');
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  step(process.execPath, ['--experimental-sea-config', configFile]);

  // Into a temporary copy, so that a failed build leaves no executable behind.
  const tmp = `${SEA_EXECUTABLE}.tmp`;
  fs.rmSync(SEA_EXECUTABLE, { force: true });
  fs.copyFileSync(process.execPath, tmp);
  fs.chmodSync(tmp, 0o755);
  if (process.platform === 'darwin') step('codesign', ['--remove-signature', tmp]);
  const postject = path.join(path.dirname(require.resolve('postject/package.json')), 'dist', 'cli.js');
  step(process.execPath, [postject, tmp, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE, ...(process.platform === 'darwin' ? ['--macho-segment-name', 'NODE_SEA'] : [])]);
  if (process.platform === 'darwin') step('codesign', ['--sign', '-', tmp]);
  fs.renameSync(tmp, SEA_EXECUTABLE);
  fs.writeFileSync(stampFile, stamp);
  const mb = (fs.statSync(SEA_EXECUTABLE).size / 1024 / 1024).toFixed(1);
  console.log(`${path.relative(root, SEA_EXECUTABLE)}: ${mb} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  }
}
