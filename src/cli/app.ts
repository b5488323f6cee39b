import { Command } from 'commander';
import { type ConnectionOptions, connect, withConnectionOptions } from './connection.js';
import { CliError } from './exit.js';
import type { IqClient } from './iq-client.js';

/**
 * `tollgate app create|list`: applications through the reference API, so that a first
 * `tollgate evaluate` needs no hand-made API calls (and the commands work against IQ Server too).
 */

interface Organization {
  id: string;
  name: string;
  parentOrganizationId?: string | null;
}
interface Application {
  id: string;
  publicId: string;
  name: string;
  organizationId: string;
}

const ROOT_ORGANIZATION_ID = 'ROOT_ORGANIZATION_ID';

async function organizations(client: IqClient): Promise<Organization[]> {
  return (await client.json<{ organizations?: Organization[] }>('GET', '/api/v2/organizations')).body?.organizations ?? [];
}

/** The organization named by id or name, else the root organization. */
function chooseOrganization(all: Organization[], wanted: string | undefined): Organization {
  if (wanted) {
    const found = all.find((o) => o.id === wanted) ?? all.filter((o) => o.name === wanted).at(0);
    if (!found) throw new CliError(`no organization "${wanted}" (by id or name) that the user may see`);
    if (all.filter((o) => o.name === wanted).length > 1 && found.id !== wanted) {
      throw new CliError(`several organizations are named "${wanted}": give its id instead`);
    }
    return found;
  }
  const root = all.find((o) => o.id === ROOT_ORGANIZATION_ID) ?? all.find((o) => !o.parentOrganizationId);
  if (!root) throw new CliError('the user may see no organization to create the application in: give one with --organization');
  return root;
}

interface CreateOptions extends ConnectionOptions {
  name?: string;
  organization?: string;
  existOk?: boolean;
}

async function createApplication(publicId: string, options: CreateOptions): Promise<void> {
  const client = connect(options, 1);
  const existing = (await client.json<{ applications?: Application[] }>('GET', `/api/v2/applications?publicId=${encodeURIComponent(publicId)}`)).body
    ?.applications?.find((a) => a.publicId === publicId);
  if (existing) {
    if (options.existOk) {
      console.log(`application ${publicId} exists (id ${existing.id})`);
      return;
    }
    throw new CliError(`an application with public id "${publicId}" already exists (--exist-ok accepts that)`);
  }
  const organization = chooseOrganization(await organizations(client), options.organization);
  const created = await client.json<Application>('POST', '/api/v2/applications', {
    contentType: 'application/json',
    data: JSON.stringify({ publicId, name: options.name ?? publicId, organizationId: organization.id }),
  });
  console.log(`created application ${created.body.publicId} (id ${created.body.id}) in organization ${organization.name}`);
}

async function listApplications(options: ConnectionOptions): Promise<void> {
  const client = connect(options, 1);
  const [apps, orgs] = await Promise.all([client.json<{ applications?: Application[] }>('GET', '/api/v2/applications'), organizations(client)]);
  const orgName = new Map(orgs.map((o) => [o.id, o.name]));
  const rows = (apps.body?.applications ?? []).map((a) => [a.publicId, a.name, orgName.get(a.organizationId) ?? a.organizationId]);
  if (!rows.length) {
    console.log('no applications (create one with `tollgate app create <publicId>`)');
    return;
  }
  const header = ['PUBLIC ID', 'NAME', 'ORGANIZATION'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [header, ...rows.sort((a, b) => a[0].localeCompare(b[0]))]) console.log(r.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd());
}

export function appCommand(): Command {
  const app = new Command('app').description('manage applications on a server (through its REST API)');
  withConnectionOptions(
    app
      .command('create <publicId>')
      .description('create an application (in the root organization unless --organization names another)')
      .option('--name <name>', 'display name (default: the public id)')
      .option('--organization <idOrName>', 'the organization, by id or name')
      .option('--exist-ok', 'succeed when the application already exists'),
  ).action((publicId: string, options: CreateOptions) => createApplication(publicId, options));
  withConnectionOptions(app.command('list').description('list the applications the user may see')).action((options: ConnectionOptions) => listApplications(options));
  return app;
}
