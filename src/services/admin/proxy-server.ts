import type { Kysely } from 'kysely';
import { type OutboundProxy, setOutboundProxy } from '../../core/outbound-http.js';
import type { AppContext } from '../../core/context.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import type { Database } from '../../store/schema.js';
import { deleteSetting, getSetting, putSetting } from './settings.js';
import { checkHostname, checkPort, keptPassword, optionalString, withStored } from './connection-fields.js';

/**
 * The reference's HTTP proxy server configuration (Config Proxy Server): outbound HTTP — registries,
 * vulnerability and exploitation feeds, NVD, Jira — goes through it (core/outbound-http.ts), except
 * to the excluded hosts. The password is stored for the proxy's Basic authentication and never
 * returned.
 */
export const PROXY_SERVER_SETTING = 'config.httpProxyServer';

interface StoredProxy {
  hostname: string;
  port: number;
  username?: string;
  password?: string;
  excludeHosts: string[];
}

export interface ProxyServerInput {
  hostname?: unknown;
  port?: unknown;
  username?: unknown;
  password?: unknown;
  passwordIsIncluded?: unknown;
  excludeHosts?: unknown;
}

/** A host name, an address, or either with `*` standing for any characters (`*.example.com`, `10.*`). */
const HOST_PATTERN = /^[A-Za-z0-9*._:[\]-]{1,253}$/;

function checkExcludeHosts(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ValidationError('excludeHosts must be a list of host names');
  const out: string[] = [];
  for (const item of value) {
    const host = typeof item === 'string' ? item.trim() : item;
    if (typeof host !== 'string' || !HOST_PATTERN.test(host)) {
      throw new ValidationError(`excludeHosts: ${JSON.stringify(item)} is not a host name or pattern such as internal.example.com or *.example.com`);
    }
    if (!out.includes(host.toLowerCase())) out.push(host.toLowerCase());
  }
  return out;
}

async function stored(db: Kysely<Database>): Promise<StoredProxy | undefined> {
  return getSetting<StoredProxy>(db, PROXY_SERVER_SETTING);
}

function outbound(config: StoredProxy | undefined): OutboundProxy | undefined {
  return config && { hostname: config.hostname, port: config.port, username: config.username, password: config.password, excludeHosts: config.excludeHosts };
}

/** Sets the process's outbound proxy from the database (on start, and now and then for other nodes' changes). */
export async function applyStoredProxy(ctx: Pick<AppContext, 'store'>): Promise<void> {
  setOutboundProxy(outbound(await stored(ctx.store.db)));
}

/** The configuration as GET answers it: the password is never included. */
export async function readProxyServer(ctx: AppContext) {
  const config = await stored(ctx.store.db);
  if (!config) throw new NotFoundError('No HTTP proxy server configuration exists.');
  return {
    hostname: config.hostname,
    port: config.port,
    ...(config.username ? { username: config.username } : {}),
    passwordIsIncluded: false,
    excludeHosts: config.excludeHosts,
  };
}

export async function saveProxyServer(ctx: AppContext, given: ProxyServerInput): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const previous = await stored(trx);
    const input = withStored(given, previous);
    const hostname = checkHostname(input.hostname, 'hostname');
    const port = checkPort(input.port);
    const username = optionalString(input.username, 'username');
    const excludeHosts = checkExcludeHosts(input.excludeHosts);
    const password = keptPassword(input, previous, previous?.hostname === hostname && previous?.port === port, 'hostname and port');
    const config: StoredProxy = { hostname, port, ...(username ? { username } : {}), ...(password ? { password } : {}), excludeHosts };
    await putSetting(trx, PROXY_SERVER_SETTING, config, ctx.now().toISOString());
  });
  await applyStoredProxy(ctx);
}

export async function deleteProxyServer(ctx: AppContext): Promise<void> {
  if (!(await deleteSetting(ctx.store.db, PROXY_SERVER_SETTING))) throw new NotFoundError('No HTTP proxy server configuration exists.');
  setOutboundProxy(undefined);
}
