/** msw for Deck tests: the shared fail-closed server, and the Gate origins the plugin calls. */
import { failClosedServer } from '../../test/support/failClosedMsw';
import { TEST_GATE_URL } from './setup';

export const GATE = TEST_GATE_URL;
export const PROXY = `${TEST_GATE_URL}/proxies/cdaas`;

export const setupMsw = failClosedServer;
