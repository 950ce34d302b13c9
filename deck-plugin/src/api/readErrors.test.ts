import { describe, expect, it } from 'vitest';

import { clusterErrorText } from './readErrors';

describe('clusterErrorText', () => {
  // The agents page said "The agent cache answered HTTP 500: CD-as-a-Service answered HTTP 500 to
  // cacheCluster: …": the status twice and an internal operation name.
  it('says the status once, without the bridge\'s own lead', () => {
    expect(clusterErrorText({ kind: 'status', status: 500, message: 'CD-as-a-Service answered HTTP 500 to cacheCluster: the agent cache of edge-eu-central failed to answer' })).toBe(
      'The agent cache answered HTTP 500: the agent cache of edge-eu-central failed to answer',
    );
    expect(clusterErrorText({ kind: 'status', status: 502, message: 'CD-as-a-Service answered HTTP 502 to cacheCluster' })).toBe('The agent cache answered HTTP 502: no details');
  });

  it('keeps a message that has no such lead, and names the scope on 403', () => {
    expect(clusterErrorText({ kind: 'status', status: 503, message: 'the agent cache answered 503 Service Unavailable' })).toBe(
      'The agent cache answered HTTP 503: the agent cache answered 503 Service Unavailable',
    );
    expect(clusterErrorText({ kind: 'status', status: 403, message: 'CD-as-a-Service answered HTTP 403 to cacheCluster: insufficient scope' })).toBe(
      "CD-as-a-Service refused the agent cache read (HTTP 403): the bridge's credentials need the scope `read:infrastructure:data`. insufficient scope",
    );
  });
});
