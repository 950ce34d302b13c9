import * as v from 'valibot';

import { matchPattern } from './routes';
import { readRoutes, servicesAnswerSchema } from './read';

describe('the Services read route', () => {
  it('is a GET per cluster whose agent is percent-encoded, and what the listener matches', () => {
    expect(readRoutes.services.method).toBe('GET');
    expect(readRoutes.services.path({ agent: 'eu/west' })).toBe('/v1/clusters/eu%2Fwest/services');
    expect(matchPattern(readRoutes.services.pattern, ['v1', 'clusters', 'staging', 'services'])).toEqual({ agent: 'staging' });
  });

  it('answers carry `offered`, so "not offered" is data and never an empty list mistaken for one', () => {
    const answer = {
      cluster: 'staging',
      namespace: 'potato-facts',
      offered: true,
      items: [{ namespace: 'potato-facts', name: 'potato-facts', type: 'ClusterIP', selector: { app: 'potato-facts' }, ports: [{ port: 80, targetPort: 'http' }] }],
      errors: [],
    };
    expect(v.parse(servicesAnswerSchema, answer)).toEqual(answer);
    const { offered: _offered, ...withoutOffered } = answer;
    expect(v.safeParse(servicesAnswerSchema, withoutOffered).success).toBe(false);
    expect(v.safeParse(servicesAnswerSchema, { ...answer, items: [{ name: 'x', type: 'ClusterIP' }] }).success).toBe(false);
  });
});
