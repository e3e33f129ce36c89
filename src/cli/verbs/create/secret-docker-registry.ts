import { CliError } from '../../errors';
import { jsonString } from '../../../printers/json';
import { enforcedNamespace, generator, requireNonEmptyName } from './common';
import { SecretData, secretObject } from './secret';
import { readFileSources } from './sources';

// kubectl create secret docker-registry NAME --docker-username=user --docker-password=password
//   --docker-email=email [--docker-server=string] [--from-file=[key=]source] [--append-hash]

const CONFIG_KEY = '.dockerconfigjson';

// json.Marshal of DockerConfigJSON{Auths: {server: {username, password, email, auth}}}:
// struct order, empty fields omitted.
export function dockerConfigJson(server: string, username: string, password: string, email: string): string {
  const auth = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
  const entry = Object.entries({ username, password, email, auth })
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${jsonString(k)}:${jsonString(v)}`)
    .join(',');
  return `{"auths":{${jsonString(server)}:{${entry}}}}`;
}

export const command = generator({
  flags: [
    { name: 'docker-username', kind: 'string' },
    { name: 'docker-password', kind: 'string' },
    { name: 'docker-email', kind: 'string' },
    { name: 'docker-server', kind: 'string', default: 'https://index.docker.io/v1/' },
    { name: 'append-hash', kind: 'bool' },
    { name: 'from-file', kind: 'stringSlice' },
  ],
  errorPrefix: 'failed to create secret ',
  build(ctx, name) {
    // A source without a key is stored under .dockerconfigjson.
    const files = ctx.flags.list('from-file').map((s) => (s.includes('=') ? s : `${CONFIG_KEY}=${s}`));
    const [username, password, email, server] = ['docker-username', 'docker-password', 'docker-email', 'docker-server'].map((f) =>
      ctx.flags.str(f),
    );
    requireNonEmptyName(name);
    if (files.length === 0 && (username === '' || password === '' || server === '')) {
      throw new CliError('error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required');
    }
    const data = new SecretData();
    if (files.length > 0) readFileSources(files, (key, bytes) => data.add(key, bytes));
    else data.entries[CONFIG_KEY] = Buffer.from(dockerConfigJson(server, username, password, email), 'utf8').toString('base64');
    return secretObject(ctx, name, enforcedNamespace(ctx), 'kubernetes.io/dockerconfigjson', data);
  },
});
