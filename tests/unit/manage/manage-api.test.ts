import { describe, expect, it } from 'vitest';
import { callerOf, handleManageRequest, type ManageDependencies } from '../../../shared/manage/manage-api.js';

/** Requests refused before any service is called: the services are never reached, so none is given. */
const unreachable = new Proxy({} as ManageDependencies, {
  get() {
    throw new Error('a refused request reached the services');
  },
});

describe('the manage API before it calls anything', () => {
  it('reads the caller from the IAM or JWT authorizer context, groups as API Gateway formats them', () => {
    expect(callerOf({ authorizer: { iam: { accessKey: 'AKIA…', userArn: 'arn:aws:iam::1:user/ops' } } })).toEqual({ iam: true, groups: [] });
    expect(callerOf({ authorizer: { jwt: { claims: { 'cognito:groups': '[admins readers]' } } } })).toEqual({ iam: false, groups: ['admins', 'readers'] });
    expect(callerOf({ authorizer: { jwt: { claims: { 'cognito:groups': 'admins' } } } })).toEqual({ iam: false, groups: ['admins'] });
    expect(callerOf({ authorizer: { jwt: { claims: { 'cognito:groups': ['admins'] } } } })).toEqual({ iam: false, groups: ['admins'] });
    expect(callerOf({ authorizer: { jwt: { claims: { sub: 'u' } } } })).toEqual({ iam: false, groups: [] });
    expect(callerOf(undefined)).toEqual({ iam: false, groups: [] });
  });

  it('refuses every write to a caller neither IAM-signed nor an admin, with 403', async () => {
    const reader = { iam: false, groups: ['readers', 'administrators'] };
    for (const [routeKey, id] of [
      ['POST /watchlist', undefined],
      ['DELETE /watchlist/{id}', '0123456789ab'],
      ['POST /subscriptions', undefined],
      ['DELETE /subscriptions/{id}', '0123456789ab'],
    ] as const) {
      const response = await handleManageRequest(unreachable, { routeKey, ...(id ? { pathParameters: { id } } : {}), body: '{}', caller: reader });
      expect(response, routeKey).toMatchObject({ statusCode: 403, body: { error: expect.stringContaining('"admins" group') } });
    }
  });

  it('answers an unknown route 404 and a malformed id 400 naming it', async () => {
    expect(await handleManageRequest(unreachable, { routeKey: 'PUT /watchlist', caller: { iam: true, groups: [] } })).toEqual({ statusCode: 404, body: { error: 'no route PUT /watchlist' } });
    expect(await handleManageRequest(unreachable, { routeKey: 'DELETE /watchlist/{id}', pathParameters: { id: 'CHN' }, caller: { iam: true, groups: [] } })).toMatchObject({ statusCode: 400, body: { parameter: 'id' } });
  });
});
