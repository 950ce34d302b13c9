/**
 * The Deck bundle as Deck loads it: build/dist/index.js (and the chunks beside it) imported as ES modules, with the shared
 * libraries read from window.spinnaker.plugins.sharedLibraries. Guards against the bugs that only
 * show up in a real Deck: a bare `import 'react'` (fails to resolve in the browser), a second React
 * or formik bundled (hooks and Formik context break), a core export that does not exist in the
 * @spinnaker/core Deck ships, and secrets in what every browser downloads.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(__dirname, '../..');
const distDir = join(root, 'build/dist');
const bundlePath = join(distDir, 'index.js');
const require = createRequire(import.meta.url);

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** index.js and every chunk, one text: what a user who opens everything downloads. */
let code = '';
let indexCode = '';
let sources: string[] = [];
// The list rollup maps to globals; imported by URL because it is plain JS without types.
let SHARED_LIBRARIES: string[] = [];
let sharedLibraryGlobalName: (name: string) => string = () => '';
let sharedLibraryKey: (name: string) => string = () => '';

beforeAll(async () => {
  const shared = (await import(pathToFileURL(join(root, 'deck-plugin/build/sharedLibraries.js')).href)) as {
    SHARED_LIBRARIES: string[];
    sharedLibraryGlobalName(name: string): string;
    sharedLibraryKey(name: string): string;
  };
  ({ SHARED_LIBRARIES, sharedLibraryGlobalName, sharedLibraryKey } = shared);
  // `npm test` builds first; rebuild here only when the bundle is missing or older than the sources.
  let stale = true;
  try {
    const inputs = Math.max(
      newestSource(join(root, 'deck-plugin/src')),
      newestSource(join(root, 'deck-plugin/build')),
      statSync(join(root, 'rollup.config.js')).mtimeMs,
    );
    stale = statSync(bundlePath).mtimeMs < inputs;
  } catch {
    stale = true;
  }
  if (stale) execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'ignore' });
  const files = readdirSync(distDir).filter((f) => f.endsWith('.js'));
  indexCode = readFileSync(bundlePath, 'utf8');
  code = files.map((f) => readFileSync(join(distDir, f), 'utf8')).join('\n');
  sources = files.flatMap((f) => JSON.parse(readFileSync(join(distDir, f + '.map'), 'utf8')).sources as string[]);
}, 120_000);

/** Every name @spinnaker/core 0.29.1 exports, read from its ES build's export clauses. */
function coreExports(): Set<string> {
  const text = readFileSync(join(root, 'node_modules/@spinnaker/core/dist/index.js'), 'utf8');
  const names = new Set<string>();
  for (const m of text.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const item of m[1].split(',')) {
      const name = item.trim().split(/\s+as\s+/).pop();
      if (name) names.add(name);
    }
  }
  return names;
}

describe('Deck bundle build/dist (index.js and its chunks)', () => {
  it('imports only its own top-level chunks: shared libraries come from the global, the rest is bundled', () => {
    const bare: string[] = [];
    for (const lib of SHARED_LIBRARIES) {
      const q = lib.replace(/[/.*+?^${}()|[\]\\]/g, '\\$&');
      const patterns = [
        new RegExp(`from\\s*["']${q}["']`),
        new RegExp(`import\\s*\\(\\s*["']${q}["']\\s*\\)`),
        new RegExp(`require\\s*\\(\\s*["']${q}["']\\s*\\)`),
        new RegExp(`import\\s*["']${q}["']`),
      ];
      if (patterns.some((p) => p.test(code))) bare.push(lib);
    }
    expect(bare).toEqual([]);
    // Any module specifier at all, not only the shared ones (text such as help may say "import"),
    // except a sibling chunk: `./name.js`, which Gate serves from the same folder as index.js.
    const specifiers = [
      ...Array.from(code.matchAll(/(?:^|[;}])\s*import\s*(?:\{[^}]*\}\s*from|[\w$]+\s*from|\*\s*as\s+[\w$]+\s*from)?\s*["']([^"']+)["']/gm), (m) => m[1]),
      ...Array.from(code.matchAll(/\bfrom\s*["']([^"']+)["']/g), (m) => m[1]),
      ...Array.from(code.matchAll(/\bimport\s*\(\s*["'`]([^"'`]+)["'`]/g), (m) => m[1]),
    ];
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((s) => !/^\.\/[\w.-]+\.js$/.test(s))).toEqual([]);
    expect(code).not.toMatch(/\bimport\s*\(\s*[^"'`\s)]/);
    expect(code).not.toMatch(/\brequire\s*\(\s*["'`]/);
    expect(indexCode).toContain(sharedLibraryGlobalName('react'));
    expect(code).toContain(sharedLibraryGlobalName('@spinnaker/core'));
  });

  it('bundles no second React, react-dom, formik or @spinnaker/core', () => {
    const foreign = sources.filter((s) =>
      /node_modules\/(react|react-dom|formik|lodash|@spinnaker\/(core|presentation)|rxjs|prop-types)\//.test(s),
    );
    expect(foreign).toEqual([]);
    // The same, read from the code itself, in case a source map ever omits a module.
    expect(code).not.toContain('__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED');
    expect(code).not.toMatch(/validateOnBlur[\s\S]*validateOnChange|validateOnChange[\s\S]*validateOnBlur/);
  });

  it('uses only what @spinnaker/core 0.29.1 really exports', () => {
    const exported = coreExports();
    const used = new Set(Array.from(code.matchAll(/sharedLibraries\._spinnaker_core\.(\w+)/g), (m) => m[1]));
    expect(used.size).toBeGreaterThan(5);
    expect(Array.from(used).filter((name) => !exported.has(name))).toEqual([]);
  });

  it('loads the way Deck loads it and exports `plugin` with both CDaaS stages run by Orca as webhooks', async () => {
    const accessed = new Set<string>();
    // Deck's core cannot run in plain Node (angular, DOM); a stand-in that hands out a component
    // for any export is enough to evaluate the module and read its registration.
    const fakeCore = new Proxy(
      { SETTINGS: { gateUrl: 'https://gate.example.com' } } as Record<string, unknown>,
      {
        get(target, name: string) {
          accessed.add(name);
          if (!(name in target)) target[name] = Object.assign(() => null, { title: name });
          return target[name];
        },
      },
    );
    const sharedLibraries: Record<string, unknown> = {};
    for (const lib of SHARED_LIBRARIES) sharedLibraries[sharedLibraryKey(lib)] = {};
    Object.assign(sharedLibraries, { react: require('react'), lodash: require('lodash'), _spinnaker_core: fakeCore });
    (globalThis as Record<string, unknown>).window = { spinnaker: { plugins: { sharedLibraries } } };
    try {
      const mod = await import(pathToFileURL(bundlePath).href + `?t=${Date.now()}`);
      // Besides `plugin`, only what the chunks import back from index.js (shared helpers, kept
      // there so Deck needs no second request before it can register the stages).
      const fromIndex = new Set(
        Array.from(code.matchAll(/import\s*\{([^}]*)\}\s*from\s*["']\.\/index\.js["']/g), (m) => m[1].split(',').map((x) => x.trim().split(/\s+as\s+/)[0])).flat(),
      );
      expect(Object.keys(mod)).toContain('plugin');
      expect(Object.keys(mod).filter((k) => k !== 'plugin' && !fromIndex.has(k))).toEqual([]);
      const stages = mod.plugin.stages as Array<{ key: string; alias?: string; addAliasToConfig?: boolean; label: string }>;
      expect(stages.map((s) => s.key)).toEqual(['cdaasDeploy', 'cdaasDeployYaml']);
      const deploy = stages.find((s) => s.key === 'cdaasDeploy');
      expect(deploy).toMatchObject({ alias: 'webhook', addAliasToConfig: true, label: 'CD-as-a-Service Deploy' });
      expect(Object.keys(mod.plugin.help)).toContain('cdaas.deploy.account');
      expect(accessed.has('ExecutionDetailsTasks')).toBe(true);
    } finally {
      delete (globalThis as Record<string, unknown>).window;
    }
  });

  it("asks V8 to compile the stage forms' chunks as they load (the preload), and nothing Deck loads at start or the YAML parser", () => {
    const HINT = '//# allFunctionsCalledOnLoad\n';
    const files = readdirSync(distDir).filter((f) => f.endsWith('.js'));
    const hinted = files.filter((f) => readFileSync(join(distDir, f), 'utf8').startsWith(HINT));
    // Both forms, and a chunk each needs (the form row, the editor).
    for (const name of ['CdaasDeployStageConfig-', 'DeployYamlStageConfig-', 'FormRow-', 'YamlTextEditor-']) expect(hinted.some((f) => f.startsWith(name)), name).toBe(true);
    expect(hinted.filter((f) => f === 'index.js' || f.startsWith('deploy-yaml-') || f.startsWith('views-'))).toEqual([]);
    // The comment shifts the code a line down, and the source map says so: the form's unit select
    // still maps to its JSX in the form's source (esbuild maps its props to the element, a line
    // above the attribute; an unshifted map would find nothing on the code's line).
    const form = hinted.find((f) => f.startsWith('CdaasDeployStageConfig-'))!;
    const text = readFileSync(join(distDir, form), 'utf8');
    const at = text.indexOf('Deployment timeout unit');
    const before = text.slice(0, at);
    const { SourceMapConsumer } = require('source-map-js') as typeof import('source-map-js');
    const map = new SourceMapConsumer(JSON.parse(readFileSync(join(distDir, form + '.map'), 'utf8')));
    const original = map.originalPositionFor({ line: before.split('\n').length, column: at - before.lastIndexOf('\n') - 1 });
    const formSource = readFileSync(join(root, 'deck-plugin/src/stages/deploy/CdaasDeployStageForm.tsx'), 'utf8').split('\n');
    const attributeLine = formSource.findIndex((l) => l.includes('aria-label="Deployment timeout unit"')) + 1;
    expect(original.source).toMatch(/CdaasDeployStageForm\.tsx$/);
    expect(attributeLine - original.line).toBeGreaterThanOrEqual(0);
    expect(attributeLine - original.line).toBeLessThanOrEqual(3);
  });

  it('holds no secret-looking material', () => {
    const patterns: Array<[string, RegExp]> = [
      ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
      ['JWT', /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
      ['bearer token', /Bearer\s+[A-Za-z0-9._~+/-]{20,}/],
      ['client secret value', /client_?secret["']?\s*[:=]\s*["'][^"']{4,}["']/i],
      ['password value', /password["']?\s*[:=]\s*["'][^"']{4,}["']/i],
      ['AWS access key', /AKIA[0-9A-Z]{16}/],
      ['GitHub token', /gh[pousr]_[A-Za-z0-9]{30,}/],
    ];
    expect(patterns.filter(([, p]) => p.test(code)).map(([name]) => name)).toEqual([]);
  });
});
