import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/ecosystems/formats.js';
import { fromPackageUrl, toPackageUrl } from '../../src/ecosystems/identity.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { sharedFile } from '../helpers/shared.js';

let server: TestServer;
let developer: [string, string];
let teamOwner: [string, string];
let rootOwner: [string, string];


beforeAll(async () => {
  server = await startTestServer();
  const team = await server.request('POST', '/api/v2/organizations', { body: { name: 'Team' } });
  developer = await userWithRole(server, 'dev', 'Developer', 'organization', 'ROOT_ORGANIZATION_ID');
  teamOwner = await userWithRole(server, 'team-owner', 'Owner', 'organization', team.body.id);
  rootOwner = await userWithRole(server, 'root-owner', 'Policy Administrator', 'organization', 'ROOT_ORGANIZATION_ID');
  await server.ctx.store.db.updateTable('users').set({ first_name: 'Pat', last_name: 'Root' }).where('username', '=', 'root-owner').execute();
});
afterAll(async () => {
  await server?.close();
});

/** The server's claimer fields (release 1.204 adds them to the seed's older examples). */
function withoutClaimer<T extends Record<string, unknown>>(claim: T): Omit<T, 'claimerId' | 'claimerName'> {
  const { claimerId: _id, claimerName: _name, ...rest } = claim;
  return rest;
}

const claimCount = async () => Number((await server.ctx.store.db.selectFrom('component_claims').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

// The product document on component claims (../shared/seeds/003_…): its examples, exactly.
const SEED = sharedFile('seeds/003_867d86e93209d982.txt');

describe.skipIf(!SEED)('the examples of the Component Claim REST API document', () => {
  const text = SEED ? readFileSync(SEED, 'utf8') : '';
  /** The JSON examples in document order: GET one, GET all, POST response. */
  const blocks = [...text.matchAll(/^\{\n[\s\S]*?\n\}$/gm)].map((m) => JSON.parse(m[0]));
  const request = JSON.parse(/-d '(\{.*?\})'/.exec(text)?.[1] ?? '{}');
  const [getOne, getAll, postResponse] = blocks;

  it('finds the three response examples and the request payload', () => {
    expect(blocks).toHaveLength(3);
    expect(getAll.componentClaims).toHaveLength(2);
    expect(request.hash).toBe('a4d45b211072d89c0e54');
  });

  it('answers as the document shows', async () => {
    // The two claims of the "GET all" example, as a client would send them.
    for (const claim of getAll.componentClaims) {
      const saved = await server.request('POST', '/api/v2/claim/components', { body: claim });
      expect(saved.status, saved.text).toBe(200);
      expect(withoutClaimer(saved.body)).toEqual(claim);
    }
    const all = await server.request('GET', '/api/v2/claim/components');
    expect(all.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/claim/components', 200, all.body);
    expect({ componentClaims: all.body.componentClaims.map(withoutClaimer) }).toEqual(getAll);

    const one = await server.request('GET', '/api/v2/claim/components/4632184fe1d932764efe');
    expect(one.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/claim/components/{hash}', 200, one.body);
    expect(withoutClaimer(one.body)).toEqual(getOne);
    expect(one.body).toMatchObject({ claimerId: 'admin', claimerName: 'Admin BuiltIn' });

    const posted = await server.request('POST', '/api/v2/claim/components', { body: request });
    expect(posted.status).toBe(200);
    expectMatchesReference('POST', '/api/v2/claim/components', 200, posted.body);
    expect(withoutClaimer(posted.body)).toEqual(postResponse);

    const deleted = await server.request('DELETE', '/api/v2/claim/components/6d0684d8acf85cd6e7f2');
    expect(deleted.status).toBe(204);
    expect((await server.request('GET', '/api/v2/claim/components/6d0684d8acf85cd6e7f2')).status).toBe(404);
    for (const hash of ['4632184fe1d932764efe', 'a4d45b211072d89c0e54']) {
      expect((await server.request('DELETE', `/api/v2/claim/components/${hash}`)).status).toBe(204);
    }
  });
});

/** One component of each format the identity module knows, as a canonical package URL. */
const SAMPLES: Record<string, string> = {
  maven: 'pkg:maven/io.netty/netty-transport-native-epoll@4.1.50.Final?classifier=linux-x86_64&type=jar',
  npm: 'pkg:npm/%40storybook/types@8.2.9',
  pypi: 'pkg:pypi/jaraco.logging@1.5?extension=whl&qualifier=py2.py3-none-any',
  nuget: 'pkg:nuget/Nirvana.MongoProvider@1.0.53',
  gem: 'pkg:gem/nokogiri@1.13.10?platform=x86_64-linux',
  golang: 'pkg:golang/github.com/Masterminds/semver/v3@v3.1.0',
  cargo: 'pkg:cargo/grin@1.0.0?type=crate',
  composer: 'pkg:composer/components/jqueryui@1.11.4',
  conda: 'pkg:conda/openssl@1.0.2l?build=h077ae2c_5&channel=main&subdir=linux-64&type=tar.bz2',
  cran: 'pkg:cran/readxl@1.1.0?type=tar.gz',
  cocoapods: 'pkg:cocoapods/libpng@1.4.9',
  swift: 'pkg:swift/github.com/ReactiveX/RxSwift@5.1.0',
  conan: 'pkg:conan/pocoproject/poco@1.9.4?channel=stable',
  rpm: 'pkg:rpm/fedora/centerim@4.22.10-1.el6?arch=i686&distro=fedora-25&epoch=1',
  deb: 'pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie',
  alpine: 'pkg:apk/alpine/curl@7.83.0-r0?arch=x86',
  github: 'pkg:github/package-url/purl-spec@244fd47e07d1004f0aed9c',
  'a-name': 'pkg:a-name/pouchdb@6.3.1',
  // no module of its own: the generic fallback
  generic: 'pkg:generic/openssl@1.1.0g',
};

describe('component claims', () => {
  it('has a sample for every format the identity module knows', () => {
    expect(Object.keys(SAMPLES)).toEqual(expect.arrayContaining(FORMATS.map((f) => f.format)));
  });

  it('claims components of every format by packageUrl alone, filling in the componentIdentifier', async () => {
    let n = 0;
    for (const [format, purl] of Object.entries(SAMPLES)) {
      const hash = (++n).toString(16).padStart(20, '0');
      const res = await server.request('POST', '/api/v2/claim/components', { body: { hash, packageUrl: purl } });
      expect(res.status, `${format}: ${res.text}`).toBe(200);
      expectMatchesReference('POST', '/api/v2/claim/components', 200, res.body);
      expect(res.body).toEqual({ hash, componentIdentifier: fromPackageUrl(purl), packageUrl: purl, claimerId: 'admin', claimerName: 'Admin BuiltIn' });
      expect(res.body.componentIdentifier.format).toBe(format);
      // …and by componentIdentifier alone, which gives the same package URL back.
      const again = await server.request('POST', '/api/v2/claim/components', {
        body: { hash, componentIdentifier: fromPackageUrl(purl), comment: `claimed ${format}` },
      });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ hash, packageUrl: purl, comment: `claimed ${format}` });
      const got = await server.request('GET', `/api/v2/claim/components/${hash}`);
      expect(got.body).toEqual(again.body);
    }
    const all = await server.request('GET', '/api/v2/claim/components');
    expectMatchesReference('GET', '/api/v2/claim/components', 200, all.body);
    expect(all.body.componentClaims.map((c: { packageUrl: string }) => c.packageUrl)).toEqual(Object.values(SAMPLES));
    for (let i = 1; i <= n; i++) await server.request('DELETE', `/api/v2/claim/components/${i.toString(16).padStart(20, '0')}`);
    expect(await claimCount()).toBe(0);
  });

  it('updates a claim in place, stores canonical forms, and accepts a full SHA-1 or upper case', async () => {
    const sha1 = 'ABCDEF0123456789ABCDEF0123456789ABCDEF01';
    const first = await server.request('POST', '/api/v2/claim/components', {
      body: { hash: sha1, createTime: '2021-06-01T12:30:00+02:00', componentIdentifier: { format: 'maven', coordinates: { groupId: 'g', artifactId: 'a', version: '1' } } },
    });
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({
      hash: 'abcdef0123456789abcd',
      createTime: '2021-06-01T12:30:00+02:00',
      componentIdentifier: { format: 'maven', coordinates: { artifactId: 'a', classifier: '', extension: 'jar', groupId: 'g', version: '1' } },
      packageUrl: 'pkg:maven/g/a@1?type=jar',
    });
    const second = await server.request('POST', '/api/v2/claim/components', {
      body: { hash: 'abcdef0123456789abcd', packageUrl: 'pkg:pypi/Django_Foo@2.0', comment: 'really django-foo' },
      auth: rootOwner,
    });
    expect(second.status, second.text).toBe(200);
    expect(second.body).toEqual({
      hash: 'abcdef0123456789abcd',
      comment: 'really django-foo',
      componentIdentifier: { format: 'pypi', coordinates: { name: 'django-foo', version: '2.0' } },
      packageUrl: 'pkg:pypi/django-foo@2.0',
      claimerId: 'root-owner',
      claimerName: 'Pat Root',
    });
    expect(await claimCount()).toBe(1);
    expect((await server.request('GET', `/api/v2/claim/components/${sha1.toLowerCase()}`)).body).toEqual(second.body);
    expect((await server.request('DELETE', '/api/v2/claim/components/abcdef0123456789abcd')).status).toBe(204);
  });

  it('takes createTime as IQ Server writes it and Java clients send it back (+0000), and null fields as absent', async () => {
    const res = await server.request('POST', '/api/v2/claim/components', {
      // Jackson writes unset fields as null; the time in IQ Server's own format.
      body: { hash: '1111111111aaaaaaaaaa', createTime: '2021-10-12T18:49:05.398+0000', comment: null, packageUrl: 'pkg:npm/left-pad@1.3.0', componentIdentifier: null },
    });
    expect(res.status, res.text).toBe(200);
    expectMatchesReference('POST', '/api/v2/claim/components', 200, res.body);
    expect(res.body).toMatchObject({ createTime: '2021-10-12T18:49:05.398+0000', packageUrl: 'pkg:npm/left-pad@1.3.0' });
    expect(res.body.comment).toBeUndefined();
    expect((await server.request('DELETE', '/api/v2/claim/components/1111111111aaaaaaaaaa')).status).toBe(204);
  });

  it('rejects bad claims with a clear message and stores nothing', async () => {
    const maven = { format: 'maven', coordinates: { groupId: 'g', artifactId: 'a', version: '1' } };
    const hash = '0123456789abcdef0123';
    const before = await claimCount();
    const cases: Array<[unknown, RegExp]> = [
      [{ componentIdentifier: maven }, /hash is required/],
      [{ hash: '', componentIdentifier: maven }, /hash is required/],
      [{ hash: 'xyz', componentIdentifier: maven }, /"xyz" is not a component hash/],
      [{ hash: '0123456789abcdef012', componentIdentifier: maven }, /is not a component hash/],
      [{ hash }, /componentIdentifier or the packageUrl/],
      [{ hash, componentIdentifier: { format: 'maven', coordinates: { groupId: 'g' } } }, /artifactId/],
      [{ hash, componentIdentifier: { format: 'npm', coordinates: { name: 'x', version: '1' } } }, /"name" is not a npm coordinate/],
      [{ hash, componentIdentifier: { format: '', coordinates: {} } }, /needs a format/],
      [{ hash, packageUrl: 'not a purl' }, /purl|package URL/i],
      [{ hash, componentIdentifier: maven, packageUrl: 'pkg:maven/g/b@1' }, /name different components/],
      [{ hash, componentIdentifier: maven, createTime: '2020-02-30T00:00:00Z' }, /createTime "2020-02-30T00:00:00Z" is not an ISO-8601/],
      [{ hash, componentIdentifier: maven, createTime: '2020-02-14' }, /createTime/],
      [{ hash, componentIdentifier: maven, createTime: 'yesterday' }, /createTime/],
      [{ hash, componentIdentifier: maven, comment: 'x'.repeat(2001) }, /at most 2000/],
      [{ hash, componentIdentifier: { format: 'maven', coordinates: { groupId: 1 } } }, /coordinates/],
      [{ hash: 42, componentIdentifier: maven }, /hash/],
    ];
    for (const [body, message] of cases) {
      const res = await server.request('POST', '/api/v2/claim/components', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.text, JSON.stringify(body)).toMatch(message);
    }
    expect(await claimCount()).toBe(before);
  });

  it('answers 404 for a hash nobody claimed and 400 for something that is no hash', async () => {
    const missing = await server.request('GET', '/api/v2/claim/components/ffffffffffffffffffff');
    expect(missing.status).toBe(404);
    expect(missing.text).toMatch(/Component Claim for hash ffffffffffffffffffff does not exist/);
    expect((await server.request('DELETE', '/api/v2/claim/components/ffffffffffffffffffff')).status).toBe(404);
    const bad = await server.request('GET', '/api/v2/claim/components/not-a-hash');
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/not a component hash/);
  });

  it('needs Claim Components on the root organization', async () => {
    const claim = { hash: '00000000000000000abc', packageUrl: 'pkg:npm/left-pad@1.3.0' };
    const before = await claimCount();
    for (const [method, path] of [
      ['GET', '/api/v2/claim/components'],
      ['POST', '/api/v2/claim/components'],
      ['GET', '/api/v2/claim/components/00000000000000000abc'],
      ['DELETE', '/api/v2/claim/components/00000000000000000abc'],
    ] as const) {
      const body = method === 'POST' ? claim : undefined;
      expect((await server.request(method, path, { body, auth: null })).status, `${method} ${path}`).toBe(401);
      const denied = await server.request(method, path, { body, auth: developer });
      expect(denied.status, `${method} ${path}`).toBe(403);
      expect(denied.text).toMatch(/CLAIM_COMPONENT/);
      // Owning one organization is not enough: claims hold for every application.
      expect((await server.request(method, path, { body, auth: teamOwner })).status, `${method} ${path}`).toBe(403);
    }
    expect(await claimCount()).toBe(before);
    const allowed = await server.request('POST', '/api/v2/claim/components', { body: claim, auth: rootOwner });
    expect(allowed.status).toBe(200);
    expect((await server.request('DELETE', '/api/v2/claim/components/00000000000000000abc', { auth: rootOwner })).status).toBe(204);
  });

  it('records claims in the audit log', async () => {
    const body = { hash: '00000000000000000def', packageUrl: toPackageUrl({ format: 'npm', coordinates: { packageId: 'is-odd', version: '3.0.1' } }) };
    expect((await server.request('POST', '/api/v2/claim/components', { body })).status).toBe(200);
    expect((await server.request('DELETE', '/api/v2/claim/components/00000000000000000def')).status).toBe(204);
    const actions = await server.ctx.store.db.selectFrom('audit_log').select('action').where('action', 'like', 'componentClaim.%').execute();
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['componentClaim.save', 'componentClaim.delete']));
  });
});
