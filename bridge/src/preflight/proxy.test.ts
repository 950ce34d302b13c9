import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import * as v from 'valibot';

import { preflightAnswerSchema } from '@cdaas/contract/preflight';
import { bypassed, proxyFor, proxySettings, showProxy } from './proxy';

describe('HTTPS_PROXY / NO_PROXY', () => {
  it('reads lower case over upper case, bare host:port, and names a proxy it cannot use', () => {
    const s = proxySettings({ HTTPS_PROXY: 'http://upper:1', https_proxy: 'proxy.corp:3128', NO_PROXY: ' .svc, localhost:8443 ,10.0.0.1' });
    expect(s.https?.href).toBe('http://proxy.corp:3128/');
    expect(s.noProxy).toEqual(['.svc', 'localhost:8443', '10.0.0.1']);
    expect(proxySettings({ HTTPS_PROXY: 'socks5://p:1080' }).problems).toEqual(['HTTPS_PROXY: only http:// proxies are supported (got socks5://)']);
  });

  it('bypasses NO_PROXY names, their subdomains, ports and IPs; `*` bypasses everything', () => {
    const no = ['.svc', 'armory.io', 'localhost:8443', '10.0.0.1'];
    expect(bypassed(new URL('http://cdaas-bridge.spinnaker.svc:7001'), no)).toBe(true);
    expect(bypassed(new URL('https://api.cloud.armory.io'), no)).toBe(true);
    expect(bypassed(new URL('https://armory.io.example.com'), no)).toBe(false);
    expect(bypassed(new URL('https://localhost:8443'), no)).toBe(true);
    expect(bypassed(new URL('https://localhost'), no)).toBe(false);
    expect(bypassed(new URL('https://10.0.0.1'), no)).toBe(true);
    expect(bypassed(new URL('https://github.com'), ['*'])).toBe(true);
    const s = proxySettings({ HTTPS_PROXY: 'http://p:3128', HTTP_PROXY: 'http://q:3128', NO_PROXY: 'armory.io' });
    expect(proxyFor(new URL('https://github.com'), s)?.host).toBe('p:3128');
    expect(proxyFor(new URL('http://plain.example.com'), s)?.host).toBe('q:3128');
    expect(proxyFor(new URL('https://auth.cloud.armory.io'), s)).toBeUndefined();
  });

  it('never shows proxy credentials', () => {
    expect(showProxy(new URL('http://alice:s3cret@proxy.corp:3128'))).toBe('http://***@proxy.corp:3128');
  });

  it('npx cdaas-preflight --only proxy reports which endpoint goes through the proxy, credentials hidden', async () => {
    const { stdout } = await promisify(execFile)('npx', ['cdaas-preflight', '--only', 'proxy', '--json'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CDAAS_CLIENT_ID: 'preflight-test',
        CDAAS_CLIENT_SECRET: 'not-used-by-the-proxy-group',
        HTTPS_PROXY: 'http://alice:s3cret@proxy.corp:3128',
        NO_PROXY: 'cloud.armory.io',
      },
    });
    const answer = v.parse(preflightAnswerSchema, JSON.parse(stdout));
    expect(answer.checks).toHaveLength(1);
    expect(answer.checks[0]!.detail).toMatch(
      /^HTTPS_PROXY=http:\/\/\*\*\*@proxy\.corp:3128 NO_PROXY=cloud\.armory\.io; auth: direct, api: direct, agentHub: direct, github: via http:\/\/\*\*\*@proxy\.corp:3128, pluginRepository: via /,
    );
    expect(stdout).not.toContain('s3cret');
  });
});
