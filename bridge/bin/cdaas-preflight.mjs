#!/usr/bin/env node
// `npx cdaas-preflight` in a checkout: the TypeScript CLI through tsx (a devDependency of the
// repository). The image has no tsx and runs the bundle instead: `node main.cjs preflight`.
import { register } from 'tsx/esm/api';

register();
const { runPreflightProcess } = await import('../src/preflight/entry.ts');
runPreflightProcess(process.argv.slice(2));
