/**
 * The deploy.yml worker's URL. The build replaces this module (rollup.config.js, plugin
 * `deploy-yaml-worker`) with the URL of the emitted worker chunk beside index.js; unbuilt (the
 * jsdom tests) and in the single-module build there is none, and validation runs on the main thread.
 */
export const WORKER_URL: string | undefined = undefined;
