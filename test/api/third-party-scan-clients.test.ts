import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

/**
 * Sonatype's open-source clients that cannot be installed here (Go, Python, Ruby), as they talk to
 * IQ Server: the requests below are what their published source sends (read from their
 * repositories), in the order they send them. Each names itself as the scan's source and posts
 * CycloneDX XML as application/xml, most of them CycloneDX 1.1 with the OSS Index vulnerability
 * extension. auditjs, which installs from npm, runs for real in test/clients/auditjs.test.ts.
 *
 * - nancy (Go; go-sona-types iq/iq.go, cyclonedx/cyclonedx.go): GET applications?publicId=, POST
 *   …/sources/nancy and only 202 is success; polls `<server>/<statusUrl>` until 200. Its SBOM is
 *   1.1 written by encoding/xml (one-space prefix, five-space indent), versions with a `v`, each
 *   vulnerability OSS Index reported inside its component, files known only by SHA-1 as a
 *   component named after the path with version 0. When the application is missing it creates it
 *   (GET organizations, POST applications with the first organization, the user as contact and
 *   the organization's categories: a Go nil slice, sent as null).
 * - ahab (Go; OS packages): through the same go-sona-types, so its requests are nancy's; its
 *   package URLs are deb/apk/rpm ones, with the `v` go-sona-types puts before every version.
 *   (The library names the source nancy; a build naming it ahab is read the same.)
 * - jake 1.x (Python; jake/iq/iq.py): GET applications?publicId= with its headers dict passed as
 *   query parameters (`requests.get(url, headers_dict, auth=…)`: `&User-Agent=jake`), POST
 *   …/sources/jake, polls `<server>/<statusUrl>` reading JSON until it parses.
 * - jake 3.x (Python; jake/command/iq.py): the generated sonatype_iq_api_client: source
 *   `cyclonedx`, CycloneDX 1.4 XML from cyclonedx-python-lib, status by …/status/{id} (404 while
 *   running).
 * - chelsea (Ruby; lib/chelsea/iq_client.rb, bom.rb): POST …/sources/chelsea, CycloneDX 1.1 from
 *   Ox with `standalone="yes"`, a serial number and no bom-refs.
 */
let server: TestServer;
const ADMIN = `Basic ${Buffer.from('admin:admin123').toString('base64')}`;

beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true }, jobs: { pollIntervalMs: 20 } });
  await server.jobs.start();
});
afterAll(async () => {
  await server?.close();
});

interface Sent {
  status: number;
  text: string;
}
async function call(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Sent> {
  const res = await fetch(server.url + path, { method, headers: { authorization: ADMIN, ...headers }, body });
  return { status: res.status, text: await res.text() };
}

async function internalId(query: string, headers: Record<string, string> = {}): Promise<string | undefined> {
  const res = await call('GET', `/api/v2/applications?${query}`, headers);
  expect(res.status, res.text).toBe(200);
  return JSON.parse(res.text).applications[0]?.id;
}

/** Polls as these clients do: the status URL joined to the server URL, again while it answers 404. */
async function pollResult(statusUrl: string): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const res = await call('GET', `/${statusUrl}`);
    if (res.status === 200) return JSON.parse(res.text);
    expect(res.status, res.text).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no result at ${statusUrl}`);
}

async function submit(appId: string, source: string, stage: string, xml: string, headers: Record<string, string> = {}): Promise<Sent> {
  return call('POST', `/api/v2/scan/applications/${appId}/sources/${source}?stageId=${stage}`, { 'content-type': 'application/xml', ...headers }, xml);
}

/** The raw report a result names, and its report row's source. */
async function reportOf(result: Record<string, unknown>) {
  // Absolute, as IQ Server writes them: the clients print reportHtmlUrl as it comes.
  expect(String(result.reportHtmlUrl).startsWith(`${server.url}/ui/links/application/`)).toBe(true);
  const dataUrl = String(result.reportDataUrl);
  const raw = await call('GET', new URL(dataUrl).pathname);
  expect(raw.status, raw.text).toBe(200);
  const body = JSON.parse(raw.text);
  expectMatchesReference('GET', '/api/v2/applications/{applicationPublicId}/reports/{scanId}/raw', 200, body);
  const scanId = dataUrl.split('/').at(-2)!;
  const row = await server.ctx.store.db.selectFrom('reports').select('source').where('id', '=', scanId).executeTakeFirstOrThrow();
  const page = await call('GET', new URL(String(result.reportHtmlUrl)).pathname);
  return { raw: body as { components: Array<{ packageUrl?: string; hash: string; displayName: string; matchState: string }> }, source: row.source, page: page.text };
}

/** What nancy's go-sona-types writes: encoding/xml.MarshalIndent(sbom, " ", "     ") after xml.Header. */
const NANCY_SBOM = `<?xml version="1.0" encoding="UTF-8"?>
 <bom xmlns="http://cyclonedx.org/schema/bom/1.1" xmlns:v="http://cyclonedx.org/schema/ext/vulnerability/1.0" version="1">
      <components>
           <component type="library" bom-ref="pkg:golang/github.com/gorilla/websocket@v1.4.0">
                <name>websocket</name>
                <version>v1.4.0</version>
                <purl>pkg:golang/github.com/gorilla/websocket@v1.4.0</purl>
                <v:vulnerabilities>
                     <v:vulnerability ref="pkg:golang/github.com/gorilla/websocket@1.4.0">
                          <v:id>CVE-2020-27813</v:id>
                          <v:source name="ossindex">
                               <v:url>https://ossindex.sonatype.org/vulnerability/5f259e63-3efb-4c47-b593-d175dca716b0</v:url>
                          </v:source>
                          <v:ratings>
                               <v:rating>
                                    <v:score>
                                         <v:base>7.5</v:base>
                                    </v:score>
                                    <v:vector>CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H</v:vector>
                               </v:rating>
                          </v:ratings>
                          <v:description>An integer overflow vulnerability exists with the length of websocket frames received via a websocket connection.</v:description>
                     </v:vulnerability>
                </v:vulnerabilities>
           </component>
           <component type="library" bom-ref="pkg:golang/golang.org/x/text@v0.3.2">
                <name>text</name>
                <version>v0.3.2</version>
                <purl>pkg:golang/golang.org/x/text@v0.3.2</purl>
                <v:vulnerabilities></v:vulnerabilities>
           </component>
           <component type="library" bom-ref="3f4dcfd5a0e6bf5d63d6a4ee3a5e8f3cf8e6e3c1">
                <name>vendor/libs/helper.jar</name>
                <version>0</version>
                <hashes>
                     <hash alg="SHA-1">3f4dcfd5a0e6bf5d63d6a4ee3a5e8f3cf8e6e3c1</hash>
                </hashes>
                <v:vulnerabilities></v:vulnerabilities>
           </component>
      </components>
 </bom>`;

describe('nancy and ahab (go-sona-types)', () => {
  it('nancy: creates its missing application as the library does, submits, polls, reads the result', async () => {
    const agent = { 'user-agent': 'nancy-client/1.0.42 (go1.21; linux amd64)' };
    expect(await internalId('publicId=nancy-app', agent)).toBeUndefined();
    const orgs = await call('GET', '/api/v2/organizations', agent);
    const first = JSON.parse(orgs.text).organizations[0];
    // applicationCreation{PublicID, Name, OrganizationID, ContactUserName, ApplicationTags: nil} → JSON.
    const created = await call(
      'POST',
      '/api/v2/applications',
      { ...agent, 'content-type': 'application/json' },
      JSON.stringify({ publicId: 'nancy-app', name: 'nancy-app', organizationId: first.id, contactUserName: 'admin', applicationTags: null }),
    );
    expect(created.status, created.text).toBe(200);
    const appId = JSON.parse(created.text).id;
    expect(await internalId('publicId=nancy-app', agent)).toBe(appId);

    const submitted = await submit(appId, 'nancy', 'develop', NANCY_SBOM, agent);
    // go-sona-types takes exactly 202 Accepted as success.
    expect(submitted.status, submitted.text).toBe(202);
    const result = await pollResult(JSON.parse(submitted.text).statusUrl);
    expectMatchesReference('GET', '/api/v2/scan/applications/{applicationId}/status/{scanRequestId}', 200, result);
    expect(result).toMatchObject({ isError: false, policyAction: expect.any(String) });

    const { raw, source, page } = await reportOf(result);
    expect(source).toBe('nancy');
    expect(page).toContain('source: nancy');
    const purls = raw.components.map((c) => c.packageUrl).filter(Boolean).sort();
    expect(purls).toEqual(['pkg:golang/github.com/gorilla/websocket@v1.4.0', 'pkg:golang/golang.org/x/text@v0.3.2']);
    // The file known only by its SHA-1 is a component of its own, by that hash.
    expect(raw.components.find((c) => !c.packageUrl)).toMatchObject({ hash: '3f4dcfd5a0e6bf5d63d6a4ee3a5e8f3cf8e6e3c1'.slice(0, 20) });
  });

  it('ahab: OS packages with the `v` go-sona-types adds to each version, under its own name or nancy’s', async () => {
    const appId = (await server.request('POST', '/api/v2/applications', { body: { publicId: 'ahab-app', name: 'ahab', organizationId: 'ROOT_ORGANIZATION_ID' } })).body.id;
    const sbom = `<?xml version="1.0" encoding="UTF-8"?>
 <bom xmlns="http://cyclonedx.org/schema/bom/1.1" xmlns:v="http://cyclonedx.org/schema/ext/vulnerability/1.0" version="1">
      <components>
           <component type="library" bom-ref="pkg:deb/debian/libc6@v2.28-10">
                <name>libc6</name>
                <version>v2.28-10</version>
                <purl>pkg:deb/debian/libc6@v2.28-10</purl>
                <v:vulnerabilities></v:vulnerabilities>
           </component>
           <component type="library" bom-ref="pkg:deb/debian/openssl@v1.1.1d-0+deb10u3">
                <name>openssl</name>
                <version>v1.1.1d-0+deb10u3</version>
                <purl>pkg:deb/debian/openssl@v1.1.1d-0+deb10u3</purl>
                <v:vulnerabilities></v:vulnerabilities>
           </component>
      </components>
 </bom>`;
    for (const source of ['ahab', 'nancy']) {
      const submitted = await submit(appId, source, 'develop', sbom);
      expect(submitted.status, submitted.text).toBe(202);
      const { raw, source: recorded } = await reportOf(await pollResult(JSON.parse(submitted.text).statusUrl));
      expect(recorded).toBe(source);
      expect(raw.components.map((c) => c.packageUrl).sort()).toEqual(['pkg:deb/debian/libc6@v2.28-10', 'pkg:deb/debian/openssl@v1.1.1d-0+deb10u3']);
    }
  });
});

describe('jake', () => {
  it('1.x: its headers as query parameters, source jake, CycloneDX 1.1 from lxml', async () => {
    const appId = (await server.request('POST', '/api/v2/applications', { body: { publicId: 'jake-app', name: 'jake', organizationId: 'ROOT_ORGANIZATION_ID' } })).body.id;
    // requests.get(url, self._headers, auth=…) sends the headers dict as the query string.
    expect(await internalId('publicId=jake-app&User-Agent=jake')).toBe(appId);
    const sbom = `<bom xmlns:v="http://cyclonedx.org/schema/ext/vulnerability/1.0" xmlns="http://cyclonedx.org/schema/bom/1.1" version="1"><components><component type="library" bom-ref="pkg:pypi/requests@2.19.1"><name>requests</name><version>2.19.1</version><purl>pkg:pypi/requests@2.19.1</purl><v:vulnerabilities><v:vulnerability ref="pkg:pypi/requests@2.19.1"><v:id>CVE-2018-18074</v:id><v:source name="ossindex"><v:url>https://ossindex.sonatype.org/vulnerability/0a1b2c3d</v:url></v:source><v:ratings><v:rating><v:score><v:base>9.8</v:base></v:score><v:vector>CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H</v:vector></v:rating></v:ratings><v:description>The Requests package before 2.20.0 sends an HTTP Authorization header to an http URI upon receiving a same-hostname https-to-http redirect.</v:description></v:vulnerability></v:vulnerabilities></component><component type="library" bom-ref="pkg:pypi/idna@2.7"><name>idna</name><version>2.7</version><purl>pkg:pypi/idna@2.7</purl></component></components></bom>`;
    const submitted = await submit(appId, 'jake', 'build', sbom, { 'user-agent': 'jake' });
    expect(submitted.status, submitted.text).toBe(202);
    const result = await pollResult(JSON.parse(submitted.text).statusUrl);
    expect(result.policyAction).toEqual(expect.any(String));
    const { raw, source } = await reportOf(result);
    expect(source).toBe('jake');
    expect(raw.components.map((c) => c.packageUrl).sort()).toEqual(['pkg:pypi/idna@2.7', 'pkg:pypi/requests@2.19.1']);
  });

  it('3.x: the generated API client, source cyclonedx, CycloneDX 1.4 from cyclonedx-python-lib', async () => {
    const appId = (await server.request('POST', '/api/v2/applications', { body: { publicId: 'jake3-app', name: 'jake 3', organizationId: 'ROOT_ORGANIZATION_ID' } })).body.id;
    const headers = { accept: 'application/json', 'user-agent': 'OpenAPI-Generator/1.0.0/python' };
    expect(await internalId('publicId=jake3-app', headers)).toBe(appId);
    const sbom = `<?xml version="1.0" ?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4" serialNumber="urn:uuid:1b6e5d3c-0c6c-4a0e-9f5e-3f2a8f0d6c11" version="1">
  <metadata>
    <timestamp>2024-05-02T10:11:12.345678+00:00</timestamp>
    <tools>
      <tool>
        <vendor>CycloneDX</vendor>
        <name>cyclonedx-python-lib</name>
        <version>4.2.3</version>
      </tool>
    </tools>
  </metadata>
  <components>
    <component type="library" bom-ref="pkg:pypi/urllib3@1.26.4">
      <name>urllib3</name>
      <version>1.26.4</version>
      <purl>pkg:pypi/urllib3@1.26.4</purl>
    </component>
  </components>
</bom>`;
    const submitted = await submit(appId, 'cyclonedx', 'source', sbom, headers);
    expect(submitted.status, submitted.text).toBe(202);
    // scan_id = status_url.rstrip('/').split('/')[-1]; get_scan_status(internal_id, scan_id).
    const scanId = JSON.parse(submitted.text).statusUrl.replace(/\/+$/, '').split('/').at(-1);
    const result = await pollResult(`api/v2/scan/applications/${appId}/status/${scanId}`);
    expect(result.isError).toBe(false);
    const { raw, source } = await reportOf(result);
    expect(source).toBe('cyclonedx');
    expect(raw.components.map((c) => c.packageUrl)).toEqual(['pkg:pypi/urllib3@1.26.4']);
  });
});

describe('chelsea', () => {
  it('source chelsea, CycloneDX 1.1 from Ox with standalone="yes", a serial number and no bom-refs', async () => {
    const appId = (await server.request('POST', '/api/v2/applications', { body: { publicId: 'chelsea-app', name: 'chelsea', organizationId: 'ROOT_ORGANIZATION_ID' } })).body.id;
    expect(await internalId('publicId=chelsea-app', { 'user-agent': 'chelsea/0.0.35' })).toBe(appId);
    const sbom = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.1" version="1" serialNumber="urn:uuid:4e6bc5c3-8c58-4b3e-9a0e-5b8f3e0e1c1a">
  <components>
    <component type="library">
      <name>rake</name>
      <version>10.5.0</version>
      <purl>pkg:gem/rake@10.5.0</purl>
    </component>
    <component type="library">
      <name>rack</name>
      <version>2.0.7</version>
      <purl>pkg:gem/rack@2.0.7</purl>
    </component>
  </components>
</bom>
`;
    const submitted = await submit(appId, 'chelsea', 'build', sbom, { 'user-agent': 'chelsea/0.0.35' });
    expect(submitted.status, submitted.text).toBe(202);
    const { raw, source } = await reportOf(await pollResult(JSON.parse(submitted.text).statusUrl));
    expect(source).toBe('chelsea');
    expect(raw.components.map((c) => c.packageUrl).sort()).toEqual(['pkg:gem/rack@2.0.7', 'pkg:gem/rake@10.5.0']);
  });
});
