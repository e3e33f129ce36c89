// Build step after tsc: copies data files (presets, image catalogue, help texts)
// next to the compiled code, and generates the schema validators.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parse } from 'yaml';

const root = path.join(__dirname, '..', '..');
const dist = path.join(root, 'dist');

function copyData(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) copyData(full);
    else if (/\.(json|txt)$/.test(entry.name)) {
      const target = path.join(dist, path.relative(root, full));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(full, target);
    } else if (/\.yaml$/.test(entry.name)) {
      // Data is written as YAML and shipped as JSON: parsing YAML at every
      // command start would cost more than the command.
      const target = path.join(dist, path.relative(root, full)).replace(/\.yaml$/, '.json');
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, JSON.stringify(parse(fs.readFileSync(full, 'utf8'))));
    }
  }
}

copyData(path.join(root, 'src'));
const generated = path.join(dist, 'generated', 'k8s-validators.js');
const kinds = path.join(dist, 'src', 'api', 'kinds.js');
const stale = !fs.existsSync(generated) || fs.statSync(generated).mtimeMs < fs.statSync(kinds).mtimeMs;
if (stale) execFileSync(process.execPath, [path.join(__dirname, 'gen-schema.js')], { stdio: 'inherit' });
