import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInRoleId } from '../../src/services/access/bootstrap.js';
import { createUser } from '../../src/services/access/users.js';
import { scanAndWait } from '../evaluation/scan.js';
import { cycloneDxJson } from '../evaluation/sboms.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { JiraStub } from '../helpers/jira-stub.js';
import { createApplicationIn, createOrganization } from '../helpers/owners.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { type TestSmtpServer, startSmtpServer } from '../helpers/smtp.js';
import { grantRole } from '../helpers/users.js';

/**
 * Policy notifications end to end: a policy names an address, a role and a Jira project for the
 * build stage; scans then mail a real SMTP server (smtp-server) and create issues on a local server
 * answering as Jira's REST API does, for new violations only.
 */
let server: TestServer;
let smtp: TestSmtpServer;
let jira: JiraStub;
let org: string;
let applicationId: string;
let policyId: string;

const DEVELOPER = builtInRoleId('Developer');
const notifications = {
  userNotifications: [{ emailAddress: 'security@example.com', stageIds: ['build', 'build'] }],
  roleNotifications: [{ roleId: DEVELOPER, stageIds: ['build'] }],
  jiraNotifications: [{ projectKey: 'SEC', issueTypeId: 10001, stageIds: ['build'] }],
};
const npm = (name: string) => ({ name, version: '1.0.0', purl: `pkg:npm/${name}@1.0.0`, license: 'MIT' });
const policyPath = () => `/api/v2/policies/organization/${org}`;

beforeAll(async () => {
  smtp = await startSmtpServer();
  jira = await new JiraStub().start();
  server = await startTestServer({ registries: { offline: true } });
  org = await createOrganization(server, 'Notified');
  applicationId = await createApplicationIn(server, 'notified-app', org, 'Notified App');
  await createUser(server.ctx, { username: 'carol', email: 'carol@example.com', password: 'carol-password-1' });
  await createUser(server.ctx, { username: 'dave', email: 'dave@example.com', password: 'dave-password-1' });
  await grantRole(server, 'carol', 'Developer', 'application', applicationId);
  // dave is a Developer elsewhere: not told about this application.
  const other = await createOrganization(server, 'Elsewhere');
  await grantRole(server, 'dave', 'Developer', 'organization', other);
  for (const [path, body] of [
    ['/api/v2/config/mail', { hostname: '127.0.0.1', port: smtp.port, systemEmail: 'tollgate@example.com' }],
    ['/api/v2/config/jira', { url: jira.url, username: 'jira-bot', password: 'jira-token-1', customFields: { labels: { set: ['tollgate'] } } }],
  ] as const) {
    expect((await server.request('PUT', path, { body })).status).toBe(204);
  }
});
afterAll(async () => {
  await server?.close();
  await smtp?.close();
  await jira?.close();
});

describe('policy notifications', () => {
  it('are checked when a policy is saved, and kept with the policy', async () => {
    const base = { name: 'Banned packages', threatLevel: 8, actions: { build: 'fail' }, constraints: [{ name: 'evil', conditions: [{ conditionTypeId: 'Coordinates', operator: 'match', value: 'npm:evil-*' }] }] };
    const bad = await server.request('POST', policyPath(), {
      body: {
        ...base,
        notifications: {
          userNotifications: [{ emailAddress: 'not an address', stageIds: ['build'] }],
          roleNotifications: [{ roleId: 'no-such-role', stageIds: ['shipping'] }],
          jiraNotifications: [{ projectKey: 'sec team', issueTypeId: 0, stageIds: ['build'] }],
        },
      },
    });
    expect(bad.status).toBe(400);
    for (const message of [
      /userNotifications\[0\]\.emailAddress must be an e-mail address/,
      /roleNotifications\[0\]\.stageIds: unknown stage "shipping"/,
      /roleNotifications\[0\]: no role with id "no-such-role"/,
      /jiraNotifications\[0\]\.projectKey must be a Jira project key/,
      /jiraNotifications\[0\]\.issueTypeId must be the id of a Jira issue type/,
    ]) {
      expect(bad.text).toMatch(message);
    }

    const created = await server.request('POST', policyPath(), { body: { ...base, notifications } });
    expect(created.status, created.text).toBe(200);
    policyId = created.body.id;
    const expected = {
      userNotifications: [{ emailAddress: 'security@example.com', stageIds: ['build'] }],
      roleNotifications: [{ roleId: DEVELOPER, roleName: 'Developer', stageIds: ['build'] }],
      jiraNotifications: [{ projectKey: 'SEC', issueTypeId: 10001, stageIds: ['build'] }],
    };
    expect(created.body.notifications).toEqual(expected);
    // A change that leaves notifications out keeps them.
    const renamed = await server.request('PUT', `${policyPath()}/${policyId}`, { body: { threatLevel: 9 } });
    expect(renamed.body.notifications).toEqual(expected);

    // The export carries them (the reference's Notifications), and an import elsewhere keeps them.
    const exported = await server.request('GET', `/api/v2/policy/organization/${org}/export`);
    expectMatchesReference('GET', '/api/v2/policy/{ownerType}/{ownerId}/export', 200, exported.body);
    expect(exported.body.policies.find((p: { name: string }) => p.name === 'Banned packages').notifications).toMatchObject(expected);
    const target = await createOrganization(server, 'Imported');
    const roleElsewhere = structuredClone(exported.body);
    for (const p of roleElsewhere.policies) for (const r of p.notifications.roleNotifications) r.roleId = 'id-on-another-server';
    const imported = await server.request('POST', `/api/v2/policy/organization/${target}/import`, { body: roleElsewhere });
    expect(imported.status, imported.text).toBe(200);
    const copy = (await server.request('GET', `/api/v2/policies/organization/${target}`)).body.policiesByOwner[0].policies[0];
    // The role is found by its name on this server.
    expect(copy.notifications).toEqual(expected);
    await server.request('DELETE', `/api/v2/policies/organization/${target}/${copy.id}`);
  });

  it('mail each recipient once per evaluation and open a Jira issue per new violation', async () => {
    const { scanId, result } = await scanAndWait(server, applicationId, cycloneDxJson([npm('evil-a'), npm('evil-b'), npm('fine')]), { stage: 'build' });
    expect(result.policyAction).toBe('Failure');
    await smtp.waitFor(2);
    const byRecipient = new Map(smtp.received.map((m) => [m.envelopeTo.join(','), m.mail]));
    expect([...byRecipient.keys()].sort()).toEqual(['carol@example.com', 'security@example.com']);
    const reportLink = `${server.url}/ui/links/application/notified-app/report/${scanId}`;
    for (const mail of byRecipient.values()) {
      expect(mail.from?.text).toBe('tollgate@example.com');
      expect(mail.subject).toBe('Tollgate: 2 new policy violations in Notified App (build)');
      expect(mail.text).toContain('- Banned packages (threat level 9): evil-a 1.0.0');
      expect(mail.text).toContain('evil-b 1.0.0');
      expect(mail.text).not.toContain('fine');
      expect(mail.text).toContain(`Report: ${reportLink}`);
    }
    expect(jira.issues).toHaveLength(2);
    expect(jira.issues[0].authorization).toBe(`Basic ${Buffer.from('jira-bot:jira-token-1').toString('base64')}`);
    expect(jira.issues.map((i) => i.body.fields.summary).sort()).toEqual([
      'Banned packages violation: evil-a 1.0.0 in Notified App',
      'Banned packages violation: evil-b 1.0.0 in Notified App',
    ]);
    expect(jira.issues[0].body.fields).toMatchObject({ project: { key: 'SEC' }, issuetype: { id: '10001' }, labels: { set: ['tollgate'] } });
    expect(jira.issues[0].body.fields.description).toContain(reportLink);
    const jobs = await server.ctx.store.db.selectFrom('jobs').select(['status', 'result']).where('type', '=', 'policy-notifications').execute();
    expect(jobs.map((j) => [j.status, JSON.parse(j.result ?? '{}')])).toEqual([
      ['succeeded', { mailsSent: 2, issuesCreated: ['SEC-1', 'SEC-2'], failed: [] }],
    ]);
  });

  it('tell nothing again for violations the previous report of the stage had, nor at stages not named', async () => {
    await scanAndWait(server, applicationId, cycloneDxJson([npm('evil-a'), npm('evil-b')]), { stage: 'build' });
    await scanAndWait(server, applicationId, cycloneDxJson([npm('evil-a'), npm('evil-b'), npm('evil-c')]), { stage: 'develop' });
    expect(smtp.received).toHaveLength(2);
    expect(jira.issues).toHaveLength(2);

    await scanAndWait(server, applicationId, cycloneDxJson([npm('evil-a'), npm('evil-b'), npm('evil-c')]), { stage: 'build' });
    await smtp.waitFor(4);
    const latest = smtp.received.slice(2);
    expect(latest.map((m) => m.envelopeTo[0]).sort()).toEqual(['carol@example.com', 'security@example.com']);
    for (const { mail } of latest) {
      expect(mail.subject).toBe('Tollgate: 1 new policy violation in Notified App (build)');
      expect(mail.text).toContain('evil-c 1.0.0');
      expect(mail.text).not.toContain('evil-a');
    }
    expect(jira.issues.map((i) => i.body.fields.summary).at(-1)).toBe('Banned packages violation: evil-c 1.0.0 in Notified App');
    expect(jira.issues).toHaveLength(3);
  });

  it('try a failed delivery again later without repeating the ones that went through', async () => {
    jira.failures.push({ status: 400, body: { errorMessages: [], errors: { issuetype: 'The issue type selected is invalid.' } } });
    const { result } = await scanAndWait(server, applicationId, cycloneDxJson([npm('evil-a'), npm('evil-b'), npm('evil-c'), npm('evil-d')]), { stage: 'build' });
    expect(result.policyAction).toBe('Failure');
    await smtp.waitFor(6);
    const jobs = await server.ctx.store.db.selectFrom('jobs').select(['id', 'status', 'result', 'payload']).where('type', '=', 'policy-notifications').orderBy('id').execute();
    const last = JSON.parse(jobs.at(-2)!.result!);
    expect(last).toMatchObject({ mailsSent: 2, issuesCreated: [], failed: [expect.stringMatching(/refused to create an issue in SEC: HTTP 400 issuetype: The issue type selected is invalid/)] });
    const retry = jobs.at(-1)!;
    expect(retry.id).toBe(last.retryJobId);
    expect(retry.status).toBe('queued');
    expect(JSON.parse(retry.payload)).toMatchObject({ mails: [], round: 1 });

    // A minute later the retry runs: the issue is created, no mail is sent again.
    const now = server.ctx.now;
    server.ctx.now = () => new Date(Date.now() + 120_000);
    try {
      await server.jobs.drain();
    } finally {
      server.ctx.now = now;
    }
    expect(jira.issues.map((i) => i.body.fields.summary).at(-1)).toBe('Banned packages violation: evil-d 1.0.0 in Notified App');
    expect(smtp.received).toHaveLength(6);
  });
});
