import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadPluginInfo, repoRoot } from '../core/pluginInfo';
import { runCli } from '../testing/fixtures';
import { renderAdminGuide } from './adminGuide';
import { generatedDocs } from './generated';

const info = loadPluginInfo();

describe('docs/admin-guide.md', () => {
  it('is up to date with package.json and the code (run `npm run docs:admin` when this fails)', () => {
    for (const [rel, text] of Object.entries(generatedDocs(info))) {
      const path = join(repoRoot(), rel);
      expect(existsSync(path), `${rel} is missing`).toBe(true);
      expect(readFileSync(path, 'utf8'), `${rel} is stale`).toBe(text);
    }
  });

  it('names the plugin id and version from package.json, and no other', () => {
    const guide = renderAdminGuide(info);
    expect(guide).toContain(`| plugin id | \`${info.id}\` |`);
    expect(guide).toContain(`version: "${info.version}"`);
    const ids = new Set(guide.match(/\b[A-Z]\w+\.[A-Z]\w+\b/g));
    expect([...ids].filter((id) => id.toLowerCase().includes('cdaas'))).toEqual([info.id]);
    const other = renderAdminGuide({ ...info, id: 'Acme.Other', version: '7.8.9' });
    expect(other).not.toContain(info.id);
    expect(other).toContain('version: "7.8.9"');
  });

  it('tells admins how to deploy the bridge with the image tag of this version', () => {
    const guide = renderAdminGuide(info);
    expect(guide).not.toContain('<!-- LEAD');
    expect(guide).toContain(`docker build -f bridge/Dockerfile -t <registry>/cdaas-bridge:${info.version} .`);
    expect(guide).toContain('kubectl apply -k bridge/deploy/k8s');
    // Both ways to run it, and why: Redis for any number of replicas, memory for exactly one.
    expect(guide).toContain('`kubectl apply -k bridge/deploy/k8s`. Two replicas');
    expect(guide).toContain('`kubectl apply -k bridge/deploy/k8s/single-replica`');
    expect(guide).toMatch(/no idempotency key/);
  });

  // Gate never checks a proxy's `methods:` (gate ProxyController): the guide once offered
  // `methods: [GET]` as if it restricted the read proxy.
  it("does not suggest that a proxy's methods restrict anything, and names the real enforcement", () => {
    const docs = Object.values(generatedDocs(info)).join('\n');
    expect(docs).not.toMatch(/^\s*methods:/m);
    const guide = renderAdminGuide(info);
    expect(guide).toContain("A proxy's `methods:` restricts nothing");
    expect(guide).toContain('405 (`Allow: GET`)');
  });

  it('docs:admin --check passes on the committed files', async () => {
    const r = await runCli('plugin-manifest/docs/cli.ts', ['--check']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
