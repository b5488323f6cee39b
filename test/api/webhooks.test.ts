import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInRoleId } from '../../src/services/access/bootstrap.js';
import { cycloneDxJson } from '../evaluation/sboms.js';
import { createApplicationIn, createOrganization } from '../helpers/owners.js';
import { type Received, SeedReceiver } from '../helpers/seed-receiver.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';

/**
 * Lifecycle webhooks over HTTP, delivered to the seed's own receiver (express + body-parser, run
 * unchanged as a real server), which recomputes every signature. Retries are short here
 * (webhooks.retryInitialMs) and loopback receivers are allowed (webhooks.allowLoopback).
 */
const SECRET = 'secretKey';
const ALL_TYPES = [
  'iq:applicationEvaluation',
  'iq:policyManagement',
  'iq:policyAlert',
  'iq:licenseOverrideManagement',
  'iq:securityVulnerabilityOverrideManagement',
  'iq:policyWaiverManagement',
];

let server: TestServer;
let receiver: SeedReceiver;
let NOBODY: [string, string];

beforeAll(async () => {
  server = await startTestServer({
    registries: { offline: true },
    jobs: { pollIntervalMs: 20 },
    webhooks: { allowLoopback: true, retryInitialMs: 100, retryMaxMs: 300, timeoutMs: 3000 },
  });
  await server.jobs.start();
  receiver = new SeedReceiver(SECRET);
  await receiver.start();
  NOBODY = await userWithRole(server, 'nobody', null);
}, 30_000);
afterAll(async () => {
  await receiver?.close();
  await server?.close();
});

async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const createHook = (body: unknown, auth?: [string, string] | null) => server.request('POST', '/api/v2/webhooks', { body, auth });

/**
 * The webhooks received since `from`, of one event type, each delivery once (delivery is at least
 * once: one whose answer came too late on a busy machine is sent again, with the same delivery id).
 */
function receivedOf(type: string, from = 0): Received[] {
  const seen = new Set<string>();
  return receiver.received.slice(from).filter((r) => {
    const id = r.headers['x-nexus-webhook-delivery'];
    if (r.headers['x-nexus-webhook-id'] !== type || seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

describe('managing webhooks', () => {
  it('creates, reads, changes and deletes a webhook; the secret key is never returned, only whether one is set', async () => {
    const created = await createHook({ url: 'https://hooks.example.com/iq', description: 'CI', secretKey: 's3cr3t-value', eventTypes: ['iq:applicationEvaluation', 'iq:violationAlert'] });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ url: 'https://hooks.example.com/iq', description: 'CI', hasSecretKey: true, eventTypes: ['iq:applicationEvaluation', 'iq:policyAlert'] });
    expect(created.text).not.toContain('s3cr3t-value');
    const id = created.body.id;

    const list = await server.request('GET', '/api/v2/webhooks');
    expect(list.status).toBe(200);
    expect(list.body.map((h: { id: string }) => h.id)).toContain(id);
    expect(list.text).not.toContain('s3cr3t-value');

    // An update without secretKey keeps it; null removes it.
    const kept = await server.request('PUT', `/api/v2/webhooks/${id}`, { body: { url: 'https://hooks.example.com/v2', eventTypes: ['iq:policyManagement'] } });
    expect(kept.status, kept.text).toBe(200);
    expect(kept.body).toMatchObject({ url: 'https://hooks.example.com/v2', description: null, hasSecretKey: true, eventTypes: ['iq:policyManagement'] });
    const removed = await server.request('PUT', `/api/v2/webhooks/${id}`, { body: { url: 'https://hooks.example.com/v2', eventTypes: ['iq:policyManagement'], secretKey: null } });
    expect(removed.body.hasSecretKey).toBe(false);
    expect((await server.request('GET', `/api/v2/webhooks/${id}`)).body).toEqual(removed.body);

    // The audit log names each change, with the secret redacted.
    const audit = await server.request('GET', '/api/v2/auditLogs');
    expect(audit.text).toContain('action=webhook.create');
    expect(audit.text).toContain('action=webhook.update');
    expect(audit.text).not.toContain('s3cr3t-value');

    expect((await server.request('DELETE', `/api/v2/webhooks/${id}`)).status).toBe(204);
    expect((await server.request('GET', `/api/v2/webhooks/${id}`)).status).toBe(404);
    expect((await server.request('GET', '/api/v2/auditLogs')).text).toContain('action=webhook.delete');
  });

  it('refuses a bad URL, a URL to a metadata or link-local address and an unknown event type with a 400 that says why', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ url: 'not a url', eventTypes: ['iq:policyManagement'] }, /is not a URL/],
      [{ url: 'ftp://example.com/', eventTypes: ['iq:policyManagement'] }, /http:\/\/ or https:\/\//],
      [{ url: 'http://169.254.169.254/latest/meta-data', eventTypes: ['iq:policyManagement'] }, /link-local or cloud metadata/],
      [{ url: 'http://[fe80::1]/', eventTypes: ['iq:policyManagement'] }, /link-local/],
      [{ url: 'http://metadata.google.internal/', eventTypes: ['iq:policyManagement'] }, /metadata host/],
      [{ url: 'https://user:pw@example.com/', eventTypes: ['iq:policyManagement'] }, /user name or password/],
      [{ url: 'https://example.com/', eventTypes: ['iq:nothing'] }, /Unknown event type "iq:nothing"/],
      [{ url: 'https://example.com/', eventTypes: [] }, /eventTypes/],
    ];
    for (const [body, message] of cases) {
      const res = await createHook(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.text).toMatch(message);
    }
    expect((await server.request('GET', '/api/v2/webhooks')).body).toEqual([]);
  });

  it('needs Edit System Configuration: 401 without credentials, 403 without the permission, 404 for an unknown id', async () => {
    const body = { url: 'https://example.com/', eventTypes: ['iq:policyManagement'] };
    expect((await createHook(body, null)).status).toBe(401);
    expect((await createHook(body, NOBODY)).status).toBe(403);
    expect((await server.request('GET', '/api/v2/webhooks', { auth: NOBODY })).status).toBe(403);
    for (const [method, path] of [
      ['GET', '/api/v2/webhooks/nope'],
      ['PUT', '/api/v2/webhooks/nope'],
      ['DELETE', '/api/v2/webhooks/nope'],
      ['GET', '/api/v2/webhooks/nope/deliveries'],
      ['POST', '/api/v2/webhooks/nope/test'],
    ] as const) {
      const res = await server.request(method, path, method === 'PUT' ? { body } : {});
      expect(res.status, `${method} ${path}`).toBe(404);
    }
  });

  it('is marked as Tollgate’s own in the OpenAPI document', async () => {
    const doc = await server.request('GET', '/api/v2/endpoints/public', { auth: null });
    expect(doc.status).toBe(200);
    expect(doc.body.paths['/api/v2/webhooks'].post['x-tollgate']).toBe(true);
    expect(doc.body.paths['/api/v2/webhooks/{id}/deliveries'].get['x-tollgate']).toBe(true);
  });
});

describe('the test event', () => {
  let plain: Server;
  beforeAll(async () => {
    // Answers a redirect to another host, or nothing at all, by path.
    plain = createServer((req, res) => {
      if (req.url === '/redirect') res.writeHead(302, { location: 'http://elsewhere.example.com/' }).end();
    });
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    plain.closeAllConnections();
    await new Promise((r) => plain.close(r));
  });

  it('is delivered at once, signed, and says how the receiver answered; a redirect is not followed, a silent receiver times out', async () => {
    const hook = (await createHook({ url: receiver.url, secretKey: SECRET, eventTypes: ['iq:policyManagement'] })).body;
    const from = receiver.received.length;
    const sent = await server.request('POST', `/api/v2/webhooks/${hook.id}/test`);
    expect(sent.status, sent.text).toBe(200);
    expect(sent.body).toMatchObject({ delivered: true, statusCode: 200, error: null });
    const got = await waitFor('the test event', () => receivedOf('iq:webhookTest', from)[0]);
    expect(got.signature).toBe(got.hmacDigest);
    expect(got.headers['x-nexus-webhook-delivery']).toBe(sent.body.deliveryId);

    const port = (plain.address() as AddressInfo).port;
    const redirecting = (await createHook({ url: `http://127.0.0.1:${port}/redirect`, eventTypes: ['iq:policyManagement'] })).body;
    const redirected = await server.request('POST', `/api/v2/webhooks/${redirecting.id}/test`);
    expect(redirected.body).toMatchObject({ delivered: false, statusCode: 302, error: 'redirect to http://elsewhere.example.com/ not followed' });

    const silent = (await createHook({ url: `http://127.0.0.1:${port}/silent`, eventTypes: ['iq:policyManagement'] })).body;
    const timedOut = await server.request('POST', `/api/v2/webhooks/${silent.id}/test`);
    expect(timedOut.body).toMatchObject({ delivered: false, statusCode: null, error: 'no answer within 3000 ms' });

    for (const h of [hook, redirecting, silent]) await server.request('DELETE', `/api/v2/webhooks/${h.id}`);
  });
});

describe('events', () => {
  let hookId: string;
  beforeAll(async () => {
    const created = await createHook({ url: receiver.url, description: 'the seed receiver', secretKey: SECRET, eventTypes: ALL_TYPES });
    expect(created.status, created.text).toBe(201);
    hookId = created.body.id;
  });
  afterAll(async () => {
    await server.request('DELETE', `/api/v2/webhooks/${hookId}`);
  });

  it('each change sends its event type, with IQ’s headers, the initiator and a signature the seed’s receiver verifies', async () => {
    const from = receiver.received.length;
    const org = await createOrganization(server, 'Hooked');
    const app = await createApplicationIn(server, 'hooked-app', org, 'Hooked App');
    const category = await server.request('POST', `/api/v2/applicationCategories/organization/${org}`, { body: { name: 'Web', description: 'web apps', color: 'dark-red' } });
    expect(category.status, category.text).toBe(200);
    const label = await server.request('POST', `/api/v2/labels/organization/${org}`, { body: { label: 'Reviewed', description: 'reviewed', color: 'light-blue' } });
    expect(label.status, label.text).toBe(200);
    const group = await server.request('POST', `/api/v2/licenseThreatGroups/organization/${org}`, { body: { name: 'Audit', threatLevel: 3, licenseIds: ['MIT'] } });
    expect(group.status, group.text).toBe(200);
    const policy = await server.request('POST', `/api/v2/policies/organization/${org}`, {
      body: {
        name: 'No GPL here',
        threatLevel: 9,
        actions: { release: 'fail' },
        constraints: [{ name: 'GPL', operator: 'AND', conditions: [{ conditionTypeId: 'License', operator: 'is', value: 'GPL-3.0-only' }] }],
        // The Violation Alert goes to the webhooks a policy's notifications name.
        notifications: { webhookNotifications: [{ webhookId: hookId, stageIds: ['release'] }] },
      },
    });
    expect(policy.status, policy.text).toBe(200);
    const access = await server.request('PUT', `/api/v2/roleMemberships/organization/${org}/role/${builtInRoleId('Developer')}/USER/nobody`);
    expect(access.status, access.text).toBe(204);
    const license = await server.request('POST', `/api/v2/licenseOverrides/application/${app}`, {
      body: { componentIdentifier: { format: 'npm', coordinates: { packageId: 'left-pad', version: '1.3.0' } }, status: 'OVERRIDDEN', licenseIds: ['MIT'], comment: 'checked' },
    });
    expect(license.status, license.text).toBe(200);
    const security = await server.request('POST', `/api/v2/securityOverrides/application/${app}`, { body: { referenceId: 'CVE-2021-44228', status: 'ACKNOWLEDGED', comment: 'looking' } });
    expect(security.status, security.text).toBe(200);

    // A scan: the evaluation, and (a GPL component at release) a violation alert.
    const submitted = await server.request('POST', `/api/v2/scan/applications/${app}/sources/cyclonedx?stageId=release`, {
      raw: { contentType: 'application/json', data: cycloneDxJson([{ name: 'readline', version: '1.3.0', purl: 'pkg:npm/readline@1.3.0', license: 'GPL-3.0-only' }]) },
    });
    expect(submitted.status, submitted.text).toBe(202);
    const evaluation = await waitFor('the evaluation event', () => receivedOf('iq:applicationEvaluation', from)[0]);
    const alert = await waitFor('the violation alert', () => receivedOf('iq:policyAlert', from)[0]);

    // A waiver of that violation, then its deletion.
    const violationId = (alert.body.policyAlerts as Array<{ policyName: string; componentFacts: Array<{ policyViolationId: string }> }>).find((a) => a.policyName === 'No GPL here')!
      .componentFacts[0].policyViolationId;
    const waived = await server.request('POST', `/api/v2/policyWaivers/application/${app}/${violationId}`, { body: { comment: 'tooling only', matcherStrategy: 'EXACT_COMPONENT' } });
    expect(waived.status, waived.text).toBe(204);
    const waiverEvent = await waitFor('the waiver event', () => receivedOf('iq:policyWaiverManagement', from)[0]);
    const waiverId = (waiverEvent.body.policyWaiver as { policyWaiverId: string }).policyWaiverId;
    expect((await server.request('DELETE', `/api/v2/policyWaivers/application/${app}/${waiverId}`)).status).toBe(204);
    await waitFor('the waiver deletion', () => receivedOf('iq:policyWaiverManagement', from).length === 2);

    // Every delivery is signed, and the seed's receiver computes the same digest.
    const got = receiver.received.slice(from);
    for (const r of got) {
      expect(r.signature, JSON.stringify(r.body)).toBe(r.hmacDigest);
      expect(r.headers['content-type']).toBe('application/json; charset=UTF-8');
      expect(r.headers['user-agent']).toMatch(/^Tollgate\/\d/);
      expect(r.headers['x-nexus-webhook-signature-algorithm']).toBe('HmacSHA1');
      expect(r.headers['x-nexus-webhook-delivery']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(r.body).toMatchObject({ timestamp: expect.any(String), initiator: 'admin', id: expect.any(String) });
    }

    const management = receivedOf('iq:policyManagement', from).map((r) => r.body as { type: string; action: string; owner: Record<string, unknown> });
    expect(management.map((m) => `${m.type} ${m.action}`)).toEqual([
      'ORGANIZATION CREATE',
      'APPLICATION CREATE',
      'APPLICATION_CATEGORY CREATE',
      'LABEL CREATE',
      'LICENSE_THREAT_GROUP CREATE',
      'POLICY CREATE',
      'ACCESS CREATE',
    ]);
    expect(management[1].owner).toMatchObject({ id: app, publicId: 'hooked-app', name: 'Hooked App', parentOwnerId: org, type: 'APPLICATION' });
    // IQ's owner: every list the owner holds, as it stands after the change.
    expect(management[5].owner).toMatchObject({
      id: org,
      type: 'ORGANIZATION',
      tags: [{ id: category.body.id, name: 'Web', description: 'web apps', color: 'dark-red', organizationId: org }],
      labels: [{ id: label.body.id, label: 'Reviewed', description: 'reviewed', color: 'light-blue', ownerId: org, ownerType: 'organization' }],
      licenseThreatGroups: [{ id: group.body.id, name: 'Audit', threatLevel: 3 }],
      policies: [{ id: policy.body.id, name: 'No GPL here', threatLevel: 9 }],
      access: [],
    });
    expect(management[6].owner.access).toEqual([{ id: builtInRoleId('Developer'), name: 'Developer', members: [{ type: 'USER', name: 'nobody' }] }]);

    expect(receivedOf('iq:licenseOverrideManagement', from)[0].body).toMatchObject({
      action: 'CREATE',
      licenseOverride: { id: license.body.id, ownerId: app, status: 'OVERRIDDEN', licenseIds: ['MIT'], comment: 'checked' },
    });
    expect(receivedOf('iq:securityVulnerabilityOverrideManagement', from)[0].body).toMatchObject({
      action: 'CREATE',
      securityVulnerabilityOverride: { ownerId: app, referenceId: 'CVE-2021-44228', status: 'ACKNOWLEDGED', source: 'cve' },
    });

    // The seed's fields of an application evaluation, the application and the report's links.
    const e = evaluation.body.applicationEvaluation as Record<string, unknown>;
    expect(e).toMatchObject({
      stage: 'release',
      ownerId: app,
      evaluationDate: expect.any(String),
      affectedComponentCount: 1,
      criticalComponentCount: 1,
      severeComponentCount: 0,
      moderateComponentCount: 0,
      outcome: 'fail',
      application: { id: app, publicId: 'hooked-app', name: 'Hooked App', organizationId: org },
    });
    expect(e.policyEvaluationId).toBe(evaluation.body.id);
    expect(e.reportHtmlUrl).toBe(`${server.url}/ui/links/application/hooked-app/report/${e.policyEvaluationId}`);
    expect(e.reportDataUrl).toBe(`${server.url}/api/v2/applications/hooked-app/reports/${e.policyEvaluationId}/raw`);
    expect(alert.body).toMatchObject({ application: { id: app, publicId: 'hooked-app' }, applicationEvaluation: { policyEvaluationId: e.policyEvaluationId } });

    // The deliveries listing shows them, delivered on the first attempt.
    const deliveries = await server.request('GET', `/api/v2/webhooks/${hookId}/deliveries`);
    expect(deliveries.status).toBe(200);
    // At least once: a delivery whose answer came too late on a busy machine is sent again, with its id.
    const ids = [...new Set(got.map((r) => r.headers['x-nexus-webhook-delivery']))];
    expect(deliveries.body.map((d: { id: string }) => d.id).reverse()).toEqual(ids);
    expect(deliveries.body.every((d: { status: string; lastStatus: number }) => d.status === 'delivered' && d.lastStatus === 200)).toBe(true);
  }, 60_000);

  it('moving an organization or application and importing policies raise Policy Management events', async () => {
    const from = receiver.received.length;
    const source = await createOrganization(server, 'Export source');
    const target = await createOrganization(server, 'Import target');
    const mover = await createOrganization(server, 'Mover');
    const app = await createApplicationIn(server, 'moving-app', source, 'Moving App');
    const group = await server.request('POST', `/api/v2/licenseThreatGroups/organization/${source}`, { body: { name: 'Copyleft here', threatLevel: 7, licenseIds: ['GPL-3.0-only'] } });
    expect(group.status, group.text).toBe(200);
    const policy = await server.request('POST', `/api/v2/policies/organization/${source}`, {
      body: { name: 'No copyleft', threatLevel: 8, constraints: [{ name: 'LTG', operator: 'AND', conditions: [{ conditionTypeId: 'License Threat Group', operator: 'is', value: group.body.id }] }] },
    });
    expect(policy.status, policy.text).toBe(200);
    const exported = await server.request('GET', `/api/v2/policy/organization/${source}/export`);
    expect(exported.status, exported.text).toBe(200);
    const mark = () => receivedOf('iq:policyManagement', from).length;
    const before = await waitFor('the setup events', () => mark() === 6 && mark());

    const movedOrg = await server.request('PUT', `/api/v2/organizations/${mover}/move/destination/${target}`);
    expect(movedOrg.status, movedOrg.text).toBe(200);
    const movedApp = await server.request('POST', `/api/v2/applications/${app}/move/organization/${target}`);
    expect(movedApp.status, movedApp.text).toBe(200);
    // An export from another server may name its webhooks: those are left out, with a warning.
    exported.body.policies[0].notifications = { webhookNotifications: [{ webhookId: 'elsewhere', stageIds: ['build'] }, { webhookId: hookId, stageIds: ['build'] }] };
    const imported = await server.request('POST', `/api/v2/policy/organization/${target}/import`, { body: exported.body });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.body.warnings.join(' ')).toContain('no webhook "elsewhere" here');

    const events = await waitFor('the move and import events', () => {
      const r = receivedOf('iq:policyManagement', from).slice(before);
      return r.length === 4 && r.map((e) => e.body as { type: string; action: string; id: string; owner: Record<string, unknown> });
    });
    expect(events.map((e) => `${e.type} ${e.action}`)).toEqual(['ORGANIZATION UPDATE', 'APPLICATION UPDATE', 'LICENSE_THREAT_GROUP CREATE', 'POLICY CREATE']);
    expect(events[0]).toMatchObject({ id: mover, owner: { id: mover, name: 'Mover', parentOwnerId: target, type: 'ORGANIZATION' } });
    expect(events[1]).toMatchObject({ id: app, owner: { id: app, publicId: 'moving-app', parentOwnerId: target, type: 'APPLICATION' } });
    const importedPolicy = (imported.body.policies as Array<{ id: string }>)[0].id;
    expect(events[3]).toMatchObject({ id: importedPolicy, owner: { id: target, type: 'ORGANIZATION', policies: [{ id: importedPolicy, name: 'No copyleft', threatLevel: 8 }] } });
    expect((events[3].owner.licenseThreatGroups as Array<{ id: string }>).map((g) => g.id)).toEqual([events[2].id]);
    const stored = await server.request('GET', `/api/v2/policies/organization/${target}/${importedPolicy}`);
    expect(stored.body.notifications.webhookNotifications).toEqual([{ webhookId: hookId, stageIds: ['build'] }]);
  }, 60_000);

  it('a Violation Alert reaches only the webhooks the violated policies name at the stage; application evaluations are unaffected', async () => {
    const named = await createHook({ url: receiver.url, secretKey: SECRET, eventTypes: ['iq:policyAlert'] });
    const otherStage = await createHook({ url: receiver.url, secretKey: SECRET, eventTypes: ['iq:policyAlert', 'iq:applicationEvaluation'] });
    const unnamed = await createHook({ url: receiver.url, secretKey: SECRET, eventTypes: ['iq:policyAlert', 'iq:applicationEvaluation'] });
    for (const h of [named, otherStage, unnamed]) expect(h.status, h.text).toBe(201);
    const org = await createOrganization(server, 'Alerted');
    const app = await createApplicationIn(server, 'alerted-app', org, 'Alerted App');
    const gpl = [{ name: 'GPL', operator: 'AND', conditions: [{ conditionTypeId: 'License', operator: 'is', value: 'GPL-3.0-only' }] }];
    const mit = [{ name: 'MIT', operator: 'AND', conditions: [{ conditionTypeId: 'License', operator: 'is', value: 'MIT' }] }];
    const policies = [
      { name: 'GPL alert', threatLevel: 9, constraints: gpl, notifications: { webhookNotifications: [{ webhookId: named.body.id, stageIds: ['build'] }, { webhookId: otherStage.body.id, stageIds: ['release'] }] } },
      { name: 'MIT alert', threatLevel: 2, constraints: mit, notifications: { webhookNotifications: [{ webhookId: otherStage.body.id, stageIds: ['release'] }] } },
    ];
    for (const body of policies) {
      const res = await server.request('POST', `/api/v2/policies/organization/${org}`, { body });
      expect(res.status, res.text).toBe(200);
    }
    const submitted = await server.request('POST', `/api/v2/scan/applications/${app}/sources/cyclonedx?stageId=build`, {
      raw: {
        contentType: 'application/json',
        data: cycloneDxJson([
          { name: 'readline', version: '1.3.0', purl: 'pkg:npm/readline@1.3.0', license: 'GPL-3.0-only' },
          { name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0', license: 'MIT' },
        ]),
      },
    });
    expect(submitted.status, submitted.text).toBe(202);
    const deliveriesOf = async (id: string) => ((await server.request('GET', `/api/v2/webhooks/${id}/deliveries`)).body as Array<{ id: string; eventType: string; status: string; payload: Record<string, unknown> }>);
    // The evaluation's events are stored together, in its transaction: once one is there, all are.
    const alert = await waitFor('the alert to the named webhook', async () => (await deliveriesOf(named.body.id)).find((d) => d.eventType === 'iq:policyAlert'));
    expect((alert.payload.policyAlerts as Array<{ policyName: string }>).map((a) => a.policyName)).toEqual(['GPL alert']);
    expect(alert.payload).toMatchObject({ application: { id: app }, applicationEvaluation: { stage: 'build' } });
    for (const hook of [otherStage, unnamed]) {
      const types = (await deliveriesOf(hook.body.id)).map((d) => d.eventType);
      expect(types).toEqual(['iq:applicationEvaluation']);
    }
    const signed = await waitFor('the signed alert', () => receivedOf('iq:policyAlert').find((r) => r.headers['x-nexus-webhook-delivery'] === alert.id));
    expect(signed.signature).toBe(signed.hmacDigest);
    for (const h of [named, otherStage, unnamed]) await server.request('DELETE', `/api/v2/webhooks/${h.body.id}`);
  }, 60_000);

  it('refuses a policy whose webhook notifications name no webhook, with a 400 that says which', async () => {
    const res = await server.request('POST', '/api/v2/policies/organization/ROOT_ORGANIZATION_ID', {
      body: {
        name: 'Nowhere',
        threatLevel: 1,
        constraints: [{ name: 'c', operator: 'AND', conditions: [{ conditionTypeId: 'License', operator: 'is', value: 'MIT' }] }],
        notifications: { webhookNotifications: [{ webhookId: 'no-such-hook', stageIds: ['build'] }, { stageIds: ['nowhere'] }] },
      },
    });
    expect(res.status, res.text).toBe(400);
    expect(res.text).toContain('webhookNotifications[0]: no webhook with id "no-such-hook"');
    expect(res.text).toContain('webhookNotifications[1].webhookId must be the id of a webhook');
    expect(res.text).toContain('webhookNotifications[1].stageIds: unknown stage');
  });

  it('a change that fails stores no event', async () => {
    const before = await server.ctx.store.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const duplicate = await server.request('POST', '/api/v2/organizations', { body: { name: 'Hooked' } });
    expect(duplicate.status).toBe(409);
    const after = await server.ctx.store.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('deletes delivered and given-up deliveries older than the retention period', async () => {
    const old = new Date(Date.now() - 31 * 86_400_000).toISOString();
    const row = (id: string, status: string) => ({
      id,
      webhook_id: hookId,
      seq: `000000000000${id}`.slice(-32),
      event_type: 'iq:policyManagement',
      body: '{}',
      status,
      attempts: 1,
      last_status: 200,
      last_error: null,
      last_attempt_at: old,
      next_attempt_at: status === 'pending' ? new Date(Date.now() + 86_400_000).toISOString() : old,
      created_at: old,
      delivered_at: null,
    });
    await server.ctx.store.db.insertInto('webhook_deliveries').values([row('old-delivered', 'delivered'), row('old-failed', 'failed')]).execute();
    const from = receiver.received.length;
    await createOrganization(server, 'Retention');
    await waitFor('the event', () => receivedOf('iq:policyManagement', from).length === 1);
    await waitFor('the purge', async () => {
      const left = await server.ctx.store.db.selectFrom('webhook_deliveries').select('id').where('id', 'in', ['old-delivered', 'old-failed']).execute();
      return left.length === 0;
    });
  });

  it('a receiver stopped for a while gets every event afterwards, in order, each with the delivery id it had on every attempt', async () => {
    await receiver.stop();
    const from = receiver.received.length;
    const org = await createOrganization(server, 'Outage');
    const names = ['one', 'two', 'three', 'four', 'five'];
    for (const name of names) {
      const res = await server.request('POST', `/api/v2/labels/organization/${org}`, { body: { label: name, description: name, color: 'light-red' } });
      expect(res.status, res.text).toBe(200);
    }
    // Tried and failed, more than once, and waiting for a retry.
    const head = await waitFor('failed attempts', async () => {
      const list = (await server.request('GET', `/api/v2/webhooks/${hookId}/deliveries?limit=6`)).body as Array<{ id: string; status: string; attempts: number; lastError: string; nextAttemptAt: string }>;
      const oldest = list.at(-1)!;
      return oldest.attempts >= 2 && oldest;
    });
    expect(head).toMatchObject({ status: 'pending', nextAttemptAt: expect.any(String) });
    expect(head.lastError).toMatch(/ECONNREFUSED|connect/);

    await receiver.start();
    const got = await waitFor('the events after the outage', () => {
      const r = receivedOf('iq:policyManagement', from);
      return r.length === 6 && r;
    });
    expect(got.map((r) => (r.body as { type: string }).type)).toEqual(['ORGANIZATION', 'LABEL', 'LABEL', 'LABEL', 'LABEL', 'LABEL']);
    // The owner lists every label it holds after each change (IQ's owner), the new one among them.
    const labelLists = got.slice(1).map((r) => (r.body as { owner: { labels: Array<{ label: string }> } }).owner.labels.map((l) => l.label));
    expect(labelLists.map((l, i) => l.includes(names[i]) && l.length)).toEqual([1, 2, 3, 4, 5]);
    expect(labelLists[4]).toEqual([...names].sort());
    expect(got[0].headers['x-nexus-webhook-delivery']).toBe(head.id);
    for (const r of got) expect(r.signature).toBe(r.hmacDigest);
    const listed = (await server.request('GET', `/api/v2/webhooks/${hookId}/deliveries?limit=6`)).body as Array<{ id: string; status: string; attempts: number }>;
    expect(listed.every((d) => d.status === 'delivered')).toBe(true);
    expect(listed.at(-1)).toMatchObject({ id: head.id });
    expect(listed.at(-1)!.attempts).toBeGreaterThan(2);
  }, 60_000);
});
