// The shared vitest.config.ts plus what loading the real @spinnaker/core needs (deckCoreResolve.ts).
// Run: npx vitest run --config deck-plugin/test/vitest.config.ts deck-plugin test/bundle
import { mergeConfig } from 'vitest/config';

import shared from '../../vitest.config';
import { deckCoreResolve } from './deckCoreResolve';

export default mergeConfig(shared, { root: new URL('../..', import.meta.url).pathname, ...deckCoreResolve });
