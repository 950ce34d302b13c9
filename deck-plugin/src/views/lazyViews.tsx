/**
 * The one seam between the registration and the view components: every view loads as a lazy
 * chunk (beside index.js in deck.zip) the first time a user opens it, so Deck's start and the stage
 * forms do not pay for the views. Deck's Spinner shows meanwhile, and a chunk that cannot be
 * loaded is named with a retry (deck-plugin/src/lazy).
 */
import type { Application } from '@spinnaker/core';

import { lazyComponent, lazyPart } from '../lazy';

// One chunk for the three views: they share the table, the client and the states.
const views = lazyPart('the CD-as-a-Service views', () => import('./views'));

export const AgentsPage = lazyComponent(views, (m) => m.AgentsPage, 'CdaasAgentsPage');
export const AgentView = lazyComponent(views, (m) => m.AgentView, 'CdaasAgentView');
export const ApplicationTab = lazyComponent<typeof import('./views'), { app: Application }>(views, (m) => m.ApplicationTab, 'CdaasApplicationTab');
