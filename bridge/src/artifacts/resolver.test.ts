import axios from 'axios';

import { ArtifactResolver, hostAllowed } from './resolver';

describe('hostAllowed', () => {
  const allowed = ['artifacts.example.com', '*.git.example.com', 'files.internal:8443'];
  it.each([
    ['https://artifacts.example.com/a.yml', true],
    ['https://ARTIFACTS.example.com/a.yml', true],
    ['https://artifacts.example.com:8443/a.yml', false],
    ['https://repo.git.example.com/a.yml', true],
    ['https://git.example.com/a.yml', false],
    ['https://evilgit.example.com/a.yml', false],
    ['https://artifacts.example.com.evil.io/a.yml', false],
    ['https://files.internal:8443/a.yml', true],
    ['https://files.internal/a.yml', false],
    ['https://169.254.169.254/latest/meta-data', false],
  ])('%s -> %s', (url, ok) => {
    expect(hostAllowed(new URL(url), allowed)).toBe(ok);
  });
});

describe('ArtifactResolver without network', () => {
  const resolver = new ArtifactResolver(axios.create(), { allowedHosts: [], githubApiHosts: [], credentials: [], maxBytes: 32, timeoutMs: 100, allowHttp: false });
  it('decodes embedded/base64', async () => {
    expect(await resolver.text({ type: 'embedded/base64', reference: Buffer.from('kind: Service\n').toString('base64') }, 'a')).toBe('kind: Service\n');
  });
  it('refuses what it cannot or must not read, saying why', async () => {
    await expect(resolver.text({ type: 'embedded/base64' }, 'a')).rejects.toThrow('a: embedded/base64 artifact has no reference (the base64 text)');
    await expect(resolver.text({ type: 'embedded/base64', reference: Buffer.from('x'.repeat(33)).toString('base64') }, 'a')).rejects.toThrow('larger than 32 bytes');
    await expect(resolver.text({ type: 'http/file', reference: 'http://artifacts.example.com/a' }, 'a')).rejects.toThrow('URL scheme http: is not allowed (https only)');
    await expect(resolver.text({ type: 'http/file', reference: 'https://user:pw@artifacts.example.com/a' }, 'a')).rejects.toThrow('must not carry credentials');
    await expect(resolver.text({ type: 'http/file', reference: 'not a url' }, 'a')).rejects.toThrow('reference is not an absolute URL');
    await expect(resolver.text({ type: 's3/object', reference: 's3://b/k' }, 'a')).rejects.toMatchObject({ status: 400, message: expect.stringContaining('artifact type "s3/object" is not supported') });
  });
});
