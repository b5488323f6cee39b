import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { cycloneDxJson } from '../evaluation/sboms.js';
import { makeZip } from '../intel/advisories/zip-writer.js';

/**
 * NUL characters (U+0000) in input: PostgreSQL cannot store them (it answered 500), SQLite can.
 * Both databases refuse them with a 400 saying where, before anything is stored.
 */
let server: TestServer;
let appId: string;

beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
  appId = (await server.request('POST', '/api/v2/applications', { body: { publicId: 'nul-app', name: 'NUL App', organizationId: 'ROOT_ORGANIZATION_ID' } })).body.id;
});

afterAll(async () => {
  await server?.close();
});

async function count(table: 'organizations' | 'evaluation_requests' | 'policies'): Promise<number> {
  const row = await server.ctx.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

const scan = (body: string | Buffer, query = '', contentType = 'application/json') =>
  server.request('POST', `/api/v2/scan/applications/${appId}/sources/cyclonedx${query}`, { raw: { contentType, data: body } });

describe('NUL in input', () => {
  it('in a path or query string: 400, also before authentication', async () => {
    for (const path of ['/api/v2/applications?publicId=%00', '/api/v2/applications?publicId=a%00b', `/api/v2/applications/${appId}%00`, '/api/v2/organizations/%00']) {
      const res = await server.request('GET', path);
      expect(res.status, path).toBe(400);
      expect(res.text).toBe('The request URL contains a NUL character (%00): Tollgate does not accept it in paths or query strings.');
    }
    expect((await server.request('GET', '/api/v2/applications?publicId=%00', { auth: null })).status).toBe(400);
    // `%2500` is the text "%00", not a NUL.
    const text = await server.request('GET', '/api/v2/applications?publicId=%2500');
    expect(text.status).toBe(200);
    expect(text.body.applications).toEqual([]);
  });

  it('in a JSON value or key, however deep: 400 naming the field, nothing stored', async () => {
    const organizations = await count('organizations');
    const value = await server.request('POST', '/api/v2/organizations', { body: { name: 'a\u0000b' } });
    expect(value.status).toBe(400);
    expect(value.text).toBe("The request body's field name contains a NUL character (\\u0000): Tollgate does not accept it in text.");
    const key = await server.request('POST', '/api/v2/organizations', { raw: { contentType: 'application/json', data: '{"name":"ok","x\\u0000":1}' } });
    expect(key.status).toBe(400);
    expect(key.text).toMatch(/field x\\u0000 contains a NUL/);
    expect(await count('organizations')).toBe(organizations);

    const policies = await count('policies');
    const deep = await server.request('POST', '/api/v2/policies/organization/ROOT_ORGANIZATION_ID', {
      body: {
        name: 'NUL policy',
        threatLevel: 5,
        constraints: [{ name: 'C', operator: 'AND', conditions: [{ conditionTypeId: 'SecurityVulnerabilitySeverity', operator: '>=', value: '9\u0000' }] }],
      },
    });
    expect(deep.status).toBe(400);
    expect(deep.text).toMatch(/field constraints\[0\]\.conditions\[0\]\.value contains a NUL character/);
    expect(await count('policies')).toBe(policies);
  });

  it('in an SBOM (JSON escape, XML or lockfile text) or a lockfile field: 400, no request stored', async () => {
    const requests = await count('evaluation_requests');
    const escaped = await scan(cycloneDxJson([{ name: 'left\u0000pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' }]));
    expect(escaped.status).toBe(400);
    expect(escaped.text).toMatch(/^The SBOM contains a NUL character \(\\u0000\) in components\[0\]\.name/);

    const xml = `<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><components><component type="library"><name>a\u0000b</name><version>1</version></component></components></bom>`;
    const literal = await scan(xml, '', 'application/xml');
    expect(literal.status).toBe(400);
    expect(literal.text).toMatch(/^The request body contains a NUL character/);

    const lock = JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/a\u0000b': { version: '1.0.0' } } });
    const lockfile = await scan(lock, '?fileName=package-lock.json');
    expect(lockfile.status).toBe(400);
    expect(lockfile.text).toMatch(/^The SBOM contains a NUL character .* in components\[0\]\.name/);
    expect(await count('evaluation_requests')).toBe(requests);

    // The same SBOM without the NUL is taken.
    expect((await scan(cycloneDxJson([{ name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' }]))).status).toBe(202);
  });

  it('in an SBOM sent as a form upload or inside a zip archive: 400 saying what to send, nothing stored', async () => {
    // The scan reads the SBOM as the body; a form or an archive was taken for text (an archive's bytes hold NULs).
    const requests = await count('evaluation_requests');
    const withNul = cycloneDxJson([{ name: 'left\u0000pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' }]);
    const raw = withNul.replace('\\u0000', '\u0000');
    for (const file of [withNul, raw]) {
      const form = await scanForm(file);
      expect(form.status).toBe(400);
      expect(form.text).toMatch(/^The scan does not take multipart\/form-data: send the SBOM or lockfile itself as the request body/);
      for (const method of [0, 8] as const) {
        for (const contentType of ['application/zip', 'application/octet-stream', 'application/json']) {
          const zip = await scan(makeZip([{ name: 'bom.json', data: file, method }]), '', contentType);
          expect(zip.status, contentType).toBe(400);
          expect(zip.text).toMatch(/^The body is a zip archive; the scan reads one SBOM or lockfile as text, not an archive/);
        }
      }
    }
    expect(await count('evaluation_requests')).toBe(requests);
  });

  it('in the name of an uploaded file: 400, nothing stored', async () => {
    const form = await multipart('file', 'tollgate\u0000.lic', Buffer.from('license'));
    const res = await server.request('POST', '/api/v2/product/license', { raw: form });
    expect(res.status).toBe(400);
    expect(res.text).toBe('The name of the file in the field "file" contains a NUL character (\\u0000): Tollgate does not accept it in text.');
    expect((await server.request('GET', '/api/v2/product/license')).body.installedLicenseFile).toBeFalsy();
  });
});

/** A multipart/form-data body with one file field, encoded the way browsers and curl -F do. */
async function multipart(field: string, fileName: string, content: Buffer): Promise<{ contentType: string; data: Buffer }> {
  const form = new FormData();
  form.append(field, new Blob([content]), fileName);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { contentType: request.headers.get('content-type')!, data: Buffer.from(await request.arrayBuffer()) };
}

async function scanForm(file: string) {
  return server.request('POST', `/api/v2/scan/applications/${appId}/sources/cyclonedx`, { raw: await multipart('file', 'bom.json', Buffer.from(file)) });
}
