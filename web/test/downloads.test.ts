/**
 * The file downloads (certificate PDF, roster, report and stations' report
 * exports, the association's archive, rejected rows, a child's record, an
 * activity's .ics, an import's progress) answer
 * each API error with its own status and code: a signed-out browser is sent to
 * sign in and back, a script gets 401, a stranger 403, a missing file 404 and
 * an unreachable database 503 (it once read 403). Names in Chinese reach the
 * browser intact. Read over HTTP as a browser would; no browser needed.
 */
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { DEMO_PASSWORD } from '@qicai/scripts/demo';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src/lib/server/api-error';
import { downloadResponse, failFile } from '../src/lib/server/files';
import { baseUrl, demoAssociation } from './browser';

const demo = demoAssociation('downloads');

/** Who is asking: the cookies of a sign-in, or none. */
async function signedIn(login: string): Promise<string> {
  const response = await fetch(new URL('/graphql', baseUrl()), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-qicai-org': demo.slug },
    body: JSON.stringify({
      query: 'mutation ($input: SignInInput!) { signIn(input: $input) { account { id } } }',
      variables: { input: { login, password: DEMO_PASSWORD } },
    }),
  });
  expect(response.status).toBe(200);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

const get = (path: string, cookie = '') =>
  fetch(new URL(path, baseUrl()), { redirect: 'manual', headers: { cookie, accept: 'application/json' } });

describe('file downloads', () => {
  let member = '';
  let admin = '';

  beforeAll(async () => {
    member = await signedIn(demo.member.phone);
    admin = await signedIn(demo.admin.phone);
  });

  it('send a signed-out browser to sign in and back to the file', async () => {
    const path = `/o/${demo.slug}/hours/certificates/QC-2026-000001.pdf`;
    const response = await get(path);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/signin?next=${encodeURIComponent(path)}`);
  });

  it('answer a signed-out script 401 with its code, not a sign-in page', async () => {
    const response = await get(`/o/${demo.slug}/members/import/00000000-0000-4000-8000-000000000000/progress`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuse a member the admins’ roster export with 403, and give an admin the file', async () => {
    const refused = await get(`/o/${demo.slug}/members/export?format=csv`, member);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'FORBIDDEN' });

    const file = await get(`/o/${demo.slug}/members/export?format=csv`, admin);
    expect(file.status).toBe(200);
    expect(file.headers.get('cache-control')).toBe('private, no-store');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="roster-[\d-]+\.csv"; filename\*=/);
    expect(await file.text()).toContain(demo.member.name);
  });

  it('answer 404 for a certificate that does not exist', async () => {
    const response = await get(`/o/${demo.slug}/hours/certificates/QC-1999-999999.pdf`, member);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('downloadResponse', () => {
  it('carries a Chinese file name in RFC 6266’s UTF-8 form beside an ASCII fallback', async () => {
    const response = downloadResponse({
      fileName: '七彩之光花名册（2018年）-未导入.xlsx',
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      base64: Buffer.from('PK').toString('base64'),
    });
    const disposition = response.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+\.xlsx"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toBe('七彩之光花名册（2018年）-未导入.xlsx');
    expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('PK');
  });
});

describe('failFile', () => {
  const answerTo = (code: string, signInReturn?: string): unknown => {
    try {
      failFile(new ApiError(code, 'message'), signInReturn);
    } catch (thrown) {
      return thrown;
    }
    throw new Error('failFile returned');
  };

  it('gives each API error its own status', () => {
    const statuses = Object.fromEntries(
      ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'INVALID_STATE', 'VALIDATION', 'RATE_LIMITED', 'UNAVAILABLE'].map(
        (code) => {
          const thrown = answerTo(code);
          return [code, isHttpError(thrown) ? thrown.status : 'not an HTTP error'];
        },
      ),
    );
    expect(statuses).toEqual({
      UNAUTHENTICATED: 401,
      FORBIDDEN: 403,
      NOT_FOUND: 404,
      INVALID_STATE: 409,
      VALIDATION: 400,
      RATE_LIMITED: 429,
      UNAVAILABLE: 503,
    });
  });

  it('redirects a signed-out browser only when told where to come back to', () => {
    const thrown = answerTo('UNAUTHENTICATED', '/o/qicai/reports');
    expect(isRedirect(thrown) && thrown.location).toBe('/signin?next=%2Fo%2Fqicai%2Freports');
  });

  it('leaves any other failure to the error handler, unchanged', () => {
    const cause = new Error('socket hang up');
    expect(() => failFile(cause)).toThrow(cause);
    expect(isHttpError(answerTo('INTERNAL'))).toBe(false);
  });
});
