/**
 * Test fixtures: a tiny Deck bundle (so these tests do not depend on the Deck module being built)
 * and a stand-in for GitHub on 127.0.0.1 serving raw files and release downloads the way GitHub
 * does (a 302 from github.com/<repo>/releases/download/... to a storage host).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll } from 'vitest';

import type { PluginInfo } from '../core/pluginInfo';

/** A module shaped like the real bundle: shared libraries read from the global Deck sets. */
export const FIXTURE_INDEX_JS = `const React = window.spinnaker.plugins.sharedLibraries.react;
const core = window.spinnaker.plugins.sharedLibraries._spinnaker_core;
const Ctx = React.createContext(null);
class Details extends React.Component {}
Details.title = 'CDaaS';
const plugin = {
  stages: [
    { key: 'cdaasDeploy', label: 'CD-as-a-Service Deploy', component: React.memo(() => null), executionDetailsSections: [Details, core.ExecutionDetailsTasks] },
    { key: 'cdaasDeployYaml', label: 'CD-as-a-Service Deployment YAML', component: () => React.createElement(Ctx.Provider, null) },
  ],
};
if (typeof document !== 'undefined') { const s = document.createElement('style'); s.textContent = '.x{}'; document.head.appendChild(s); }
export { plugin };
//${'#'} sourceMappingURL=index.js.map
`; // (split so Vite does not read it as this file's own map)
export const FIXTURE_INDEX_MAP = '{"version":3,"file":"index.js","sources":["src/index.ts"],"names":[],"mappings":"AAAA"}\n';

const created: string[] = [];
// Registered while the importing test file is collected: its temp folders go when it finishes.
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `pm-${prefix}-`));
  created.push(dir);
  return dir;
}

export function fixtureDist(indexJs: string = FIXTURE_INDEX_JS, map: string | null = FIXTURE_INDEX_MAP): string {
  const dir = tempDir('dist');
  writeFileSync(join(dir, 'index.js'), indexJs);
  if (map !== null) writeFileSync(join(dir, 'index.js.map'), map);
  return dir;
}

export const FIXTURE_INFO: PluginInfo = {
  name: 'cdaas-spinnaker-plugin',
  version: '1.2.0',
  id: 'Armory.CDaaSSpinnaker',
  provider: 'https://github.com/armory',
  description: 'CD-as-a-Service deploy stages for Deck',
  githubRepository: 'armory/cdaas-spinnaker-plugin',
  requires: 'deck>=0.0.0',
};

export interface FakeGitHub {
  origin: string;
  /** Serve bytes at a path (raw files). */
  put(path: string, body: string | Uint8Array): void;
  /** A release asset: github.com-style URL that redirects to a storage URL, as GitHub does. */
  putReleaseAsset(tag: string, fileName: string, body: Uint8Array): string;
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeGitHub(repo = FIXTURE_INFO.githubRepository): Promise<FakeGitHub> {
  const files = new Map<string, Uint8Array>();
  const redirects = new Map<string, string>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(`${req.method} ${path}`);
    const target = redirects.get(path);
    if (target) {
      res.writeHead(302, { location: target }).end();
      return;
    }
    const body = files.get(path);
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let n = 0;
  return {
    origin,
    requests,
    put(path, body) {
      files.set(path, typeof body === 'string' ? new TextEncoder().encode(body) : body);
    },
    putReleaseAsset(tag, fileName, body) {
      const download = `/${repo}/releases/download/${tag}/${fileName}`;
      const storage = `/storage/release-assets/${++n}/${fileName}`;
      files.set(storage, body);
      redirects.set(download, `${origin}${storage}`);
      return `${origin}${download}`;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one of this folder's CLIs the way npm runs it (tsx), asynchronously so test servers keep answering. */
export function runCli(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script, ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export function writeFile(dir: string, name: string, content: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}
