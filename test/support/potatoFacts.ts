/**
 * The potato-facts fixtures every test project uses: `potatoFacts({ name, replicas, steps, ... })`
 * gives the manifest text, deploy.yml text and its JSON. The source is product code (the sandbox
 * deploys the same application), so it lives with the emulator; tests import it from here.
 */
export { DEMO_STEPS, potatoFacts, type PotatoFacts, type PotatoFactsOptions } from '@cdaas/bridge/emulator/potatoFacts';
