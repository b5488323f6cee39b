import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOsvSource } from '../../src/intel/advisories/importer.js';
import { createApplication, scanAndWait } from '../evaluation/scan.js';
import { cycloneDxJson } from '../evaluation/sboms.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { builtWebUi } from '../helpers/web-build.js';

/**
 * The web UI in a real browser (Debian's Chromium driven by playwright-core) against a real server
 * on a fresh database: sign-in, the organization tree, a report link a CI tool prints (opened
 * while logged out), filtering the components, the component drawer, log-out. Screenshots go to
 * TOLLGATE_SCREENSHOTS (default: a temporary folder, removed) for review.
 */
const CHROMIUM = '/usr/bin/chromium';
const shots = process.env.TOLLGATE_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'tollgate-shots-'));
let server: TestServer;
let browser: Browser;
let page: Page;
let reportPath: string;
let osvDir: string;

const FILLER = Array.from({ length: 120 }, (_, i) => ({ name: `filler-${i}`, version: `1.${i}.0`, purl: `pkg:pypi/filler-${i}@1.${i}.0`, license: i % 2 ? 'MIT' : 'Apache-2.0' }));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) return;
  const built = builtWebUi();
  server = await startTestServer({ registries: { offline: true } });
  // One advisory, written here in OSV's format: jinja2 before 2.11.3, critical.
  osvDir = mkdtempSync(join(tmpdir(), 'tollgate-osv-'));
  writeFileSync(
    join(osvDir, 'GHSA-tg00-0000-0001.json'),
    JSON.stringify({
      id: 'GHSA-tg00-0000-0001',
      modified: '2024-01-01T00:00:00Z',
      aliases: ['CVE-2099-0001'],
      summary: 'Template injection in jinja2',
      affected: [{ package: { ecosystem: 'PyPI', name: 'jinja2' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.11.3' }] }] }],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      references: [{ type: 'ADVISORY', url: 'https://example.org/advisories/GHSA-tg00-0000-0001' }],
    }),
  );
  await importOsvSource(server.ctx, osvDir);
  const org = await server.request('POST', '/api/v2/organizations', { body: { name: 'Payments', parentOrganizationId: 'ROOT_ORGANIZATION_ID' } });
  const appId = await createApplication(server, 'web-shop', 'Web Shop');
  await server.request('POST', `/api/v2/applications/${appId}/move/organization/${org.body.id}`);
  const sbom = cycloneDxJson(
    [{ name: 'jinja2', version: '2.10', purl: 'pkg:pypi/jinja2@2.10', license: 'BSD-3-Clause' }, { name: 'six', version: '1.16.0', purl: 'pkg:pypi/six@1.16.0', license: 'MIT' }, ...FILLER],
    { direct: ['jinja2', 'six'] },
  );
  const scan = await scanAndWait(server, appId, sbom, { stage: 'build' });
  reportPath = new URL(String(scan.result.reportHtmlUrl)).pathname;
  await built;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // A step that cannot happen fails in seconds, naming what it waited for (enough of them for a
  // machine busy with the other test files).
  page.setDefaultTimeout(25_000);
}, 180_000);

afterAll(async () => {
  // A wedged browser (a very busy machine) must not hold the server: closing it is given 10 s.
  await Promise.race([browser?.close(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  // Nor its open connections: closing the server would wait for them.
  server?.app.server.closeAllConnections();
  await server?.close();
  if (osvDir) rmSync(osvDir, { recursive: true, force: true });
  if (!process.env.TOLLGATE_SCREENSHOTS) rmSync(shots, { recursive: true, force: true });
}, 60_000);

const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });

describe.skipIf(!existsSync(CHROMIUM))('the web UI in Chromium', { timeout: 90_000 }, () => {
  it('is served at / with long-cached assets, an uncached page and the security headers', async () => {
    const index = await fetch(`${server.url}/applications/web-shop`, { headers: { accept: 'text/html' } });
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('content-security-policy')).toMatch(/script-src 'self'.*frame-ancestors 'none'/);
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(server.url + asset);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toMatch(/max-age=31536000.*immutable/);
    // The API and /health keep answering as they did.
    expect((await fetch(`${server.url}/health`, { headers: { accept: 'text/html' } })).headers.get('content-type')).toMatch(/json/);
    const api = await fetch(`${server.url}/api/v2/nothing-here`, { headers: { accept: 'text/html' } });
    expect(api.headers.get('content-type')).toMatch(/text\/plain/);
  });

  it('logs in: a wrong password shows the error, the right one lands on the tree', async () => {
    await page.goto(`${server.url}/`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password', { exact: true }).fill('wrong');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectVisible(page.getByRole('alert').getByText('Invalid username or password.'));
    await shot('login-error');
    await page.getByLabel('Password', { exact: true }).fill('admin123');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectVisible(page.getByRole('link', { name: /Web Shop/ }));
    await page.getByRole('link', { name: /Web Shop/ }).click();
    await expectVisible(page.getByRole('heading', { name: 'Latest report of each stage' }));
    await expectVisible(page.getByRole('link', { name: /Open the build report/ }));
    await shot('tree');
  });

  it('a report link opened while logged out asks for the login, then shows that report', async () => {
    await page.getByRole('button', { name: /User menu/ }).click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await expectVisible(page.getByRole('button', { name: 'Log in' }));
    await page.goto(server.url + reportPath);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password', { exact: true }).fill('admin123');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectVisible(page.getByRole('heading', { name: /Web Shop — application report/ }));
    expect(new URL(page.url()).pathname).toMatch(/^\/applications\/web-shop\/reports\/[0-9a-f]{32}$/);
    await expectVisible(page.getByRole('table', { name: 'Policy violations' }).getByText('Security-Critical'));
    await shot('report');
  });

  it('filters the components and opens a component’s drawer with its vulnerability and violation', async () => {
    await page.getByRole('tab', { name: 'Components' }).click();
    const table = page.getByRole('table', { name: 'Components' });
    await expectVisible(table.getByText('filler-10', { exact: true }));
    await page.getByLabel('Search components').fill('jinja');
    await expectVisible(page.getByText('1 of 122 components'));
    await table.getByRole('row', { name: /jinja2/ }).click();
    const drawer = page.getByRole('dialog');
    await expectVisible(drawer.getByRole('link', { name: 'CVE-2099-0001' }).or(drawer.getByRole('link', { name: 'GHSA-tg00-0000-0001' })));
    await expectVisible(drawer.getByText('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'));
    await expectVisible(drawer.getByText('Security-Critical'));
    await expectVisible(drawer.getByText(/Constraint:/).first());
    await shot('drawer');
    await page.keyboard.press('Escape');
  });

  it('logs out: the session ends and the login page shows again', async () => {
    await page.getByRole('button', { name: /User menu/ }).click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await expectVisible(page.getByRole('button', { name: 'Log in' }));
    await page.reload();
    await expectVisible(page.getByRole('button', { name: 'Log in' }));
    const who = await page.evaluate(async () => (await fetch('/api/v2/session', { headers: { 'x-requested-with': 'XMLHttpRequest' } })).status);
    expect(who).toBe(401);
  });
});

async function expectVisible(locator: ReturnType<Page['getByText']>): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout: 25_000 });
}


