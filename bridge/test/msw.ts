/** msw helpers for the bridge's unit tests (the fail-closed server is shared by every project). */
export { failClosedServer } from '../../test/support/failClosedMsw';

/** A JWT-shaped token carrying the CDaaS principal claim (unsigned: the bridge never verifies it). */
export function fakeJwt(n: number, envId = 'env-1'): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none' })}.${b64({ n, 'https://cloud.armory.io/principal': { envId, orgId: 'org-1', name: 'spinnaker' } })}.sig${n}`;
}

export const noSleep = (record?: number[]) => async (ms: number) => void record?.push(ms);
