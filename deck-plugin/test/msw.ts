/** msw for Deck tests: the shared fail-closed server, and the Gate proxy origin the plugin calls. */
import { failClosedServer } from '../../test/support/failClosedMsw';
import { TEST_GATE_URL } from './setup';

export const PROXY = `${TEST_GATE_URL}/proxies/cdaas`;

export const setupMsw = failClosedServer;
