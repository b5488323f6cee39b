import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../core/context.js';
import { ForbiddenError, UnauthorizedError } from '../core/errors.js';
import { applicationByPublicId } from '../services/owners/applications.js';
import { GLOBAL, type Principal, type Scope, requirePermission, visibleOwners } from '../services/access/access.js';
import { type Owner, type ResolveOwnerOptions, resolveOwner } from '../services/owners/owner.js';
import { PERMISSION_CATEGORIES, type Permission } from '../services/access/permissions.js';

/**
 * What a route requires of its caller, declared on the route (`config: { permission }`) and checked
 * by one preHandler hook (`http/app.ts`): after authentication and schema validation, before the
 * handler. docs/api-compat.md lists each operation's declaration (`describePermission`).
 *
 *   config: { permission: requires('READ', applicationParam('applicationId')) }
 *
 * A scope is read from the validated request by a `ScopeSource`; what it resolved (an owner, an
 * application row) is kept for the request, so the handler reads the same value with
 * `source.of(request)` instead of resolving it again. Unknown ids fail in the source (404) before
 * any permission is checked, as the handlers did.
 */
export interface ScopeSource<T = Scope> {
  /** Where, for the documentation: `application {applicationId}`. */
  readonly where: string;
  /** The path parameters it reads; each must be in the URL of a route that declares it. */
  readonly params: readonly string[];
  /** What it resolves for this request (once per request). */
  of(request: FastifyRequest): Promise<T>;
  /** The scope a permission is checked on. */
  scope(value: T): Scope;
}

/** A scope source from a resolver; `scope` maps what it resolves to the scope (default: itself). */
export function scopeFrom<T>(
  where: string,
  params: readonly string[],
  resolve: (ctx: AppContext, request: FastifyRequest) => Promise<T>,
  scope: (value: T) => Scope = (value) => value as Scope,
): ScopeSource<T> {
  const resolved = new WeakMap<FastifyRequest, Promise<T>>();
  return {
    where,
    params,
    of(request) {
      let value = resolved.get(request);
      if (!value) {
        value = resolve(request.server.ctx, request);
        resolved.set(request, value);
      }
      return value;
    },
    scope,
  };
}

/** A path parameter of the (validated) request. */
export function param(request: FastifyRequest, name: string): string {
  return (request.params as Record<string, string>)[name];
}

export const GLOBAL_SCOPE: ScopeSource = scopeFrom('global', [], async () => GLOBAL);

/** The organization a path parameter names (404 when unknown). */
export function organizationParam(name: string): ScopeSource {
  return scopeFrom(`organization {${name}}`, [name], async (_ctx, request) => ({ type: 'organization', id: param(request, name) }));
}

/** The application a path parameter names by its internal id (404 when unknown). */
export function applicationParam(name: string): ScopeSource {
  return scopeFrom(`application {${name}}`, [name], async (_ctx, request) => ({ type: 'application', id: param(request, name) }));
}

/**
 * The application a path parameter names by its public id (404 when unknown); `of(request)` gives
 * its row. Declare one per module and use that one in the handlers.
 */
export function applicationPublicIdParam(name: string): ScopeSource<Awaited<ReturnType<typeof applicationByPublicId>>> {
  return scopeFrom(
    `application {${name}} (public id)`,
    [name],
    (ctx, request) => applicationByPublicId(ctx.store, param(request, name)),
    (application) => ({ type: 'application', id: application.id }),
  );
}

/**
 * The organization or application two path parameters name, resolved by `resolveOwner`
 * (`services/owners/owner.ts`) with the area's options: how it refuses other owner types (a 400 or
 * a 404 in its words), whether an application may be named by its public id.
 */
export function ownerParams(typeParam: string, idParam: string, options: ResolveOwnerOptions = {}): ScopeSource<Owner> {
  return scopeFrom(
    `owner {${typeParam}}/{${idParam}}`,
    [typeParam, idParam],
    (ctx, request) => resolveOwner(ctx.store, param(request, typeParam), param(request, idParam), options),
    (owner) => ({ type: owner.type, id: owner.id }),
  );
}

interface Condition {
  describe: string;
  test(request: FastifyRequest): boolean;
}

interface Check {
  permission: Permission;
  on: ScopeSource<unknown>;
  /** Not checked when this holds (a condition on the query, say). */
  unless?: Condition;
}

/** A route's declaration: exactly one of these. */
export type RoutePermission =
  /** Every check in order: each scope is resolved, then its permission required on it. */
  | { kind: 'requires'; checks: Check[] }
  /** The permission on at least one organization or application (data that belongs to no owner). */
  | { kind: 'anywhere'; permission: Permission }
  /** Any authenticated caller; what the answer shows is limited by the caller's permissions. */
  | { kind: 'authenticated'; note: string }
  /** Checked by the handler, because it depends on the body or on a stored record: what it checks. */
  | { kind: 'handler'; note: string };

/** `permission` on `on` (default: global); `unless` names when it is not needed. */
export function requires(
  permission: Permission,
  on: ScopeSource<unknown> = GLOBAL_SCOPE as ScopeSource<unknown>,
  options: { unless?: Condition } = {},
): RoutePermission {
  return { kind: 'requires', checks: [{ permission, on, unless: options.unless }] };
}

/** Several requirements, checked in order. */
export function allOf(...requirements: RoutePermission[]): RoutePermission {
  const checks: Check[] = [];
  for (const r of requirements) {
    if (r.kind !== 'requires') throw new Error('allOf combines requires(…) declarations only');
    checks.push(...r.checks);
  }
  return { kind: 'requires', checks };
}

export function anywhere(permission: Permission): RoutePermission {
  return { kind: 'anywhere', permission };
}

export function authenticated(note: string): RoutePermission {
  return { kind: 'authenticated', note };
}

export function checkedInHandler(note: string): RoutePermission {
  return { kind: 'handler', note };
}

/** The declaration in words, as docs/api-compat.md shows it. */
export function describePermission(permission: RoutePermission | undefined, isPublic = false): string {
  if (isPublic) return 'none (public)';
  if (!permission) return '';
  switch (permission.kind) {
    case 'requires':
      return permission.checks
        .map((c) => {
          const where = c.on === (GLOBAL_SCOPE as ScopeSource<unknown>) ? c.permission : `${c.permission} on ${c.on.where}`;
          return c.unless ? `${where} (unless ${c.unless.describe})` : where;
        })
        .join(' and ');
    case 'anywhere':
      return `${permission.permission} on some organization or application`;
    case 'authenticated':
      return `authenticated: ${permission.note}`;
    case 'handler':
      return `checked in handler: ${permission.note}`;
  }
}

/** Routes that must declare a permission (or be public): the API's. */
export function needsDeclaration(url: string): boolean {
  return /^\/(api|rest)\//.test(url);
}

/**
 * Why a route's declaration is wrong, if it is (checked as routes are registered, so the server
 * does not start): an API route that declares nothing and is not public, or a declaration that
 * reads path parameters the route's URL does not have.
 */
export function declarationError(url: string, config: { permission?: RoutePermission; public?: boolean } | undefined): string | undefined {
  const permission = config?.permission;
  if (!permission) {
    return needsDeclaration(url) && !config?.public
      ? `${url} declares no permission: add config.permission (http/permissions.ts) or config.public`
      : undefined;
  }
  if (permission.kind !== 'requires') return undefined;
  const names = new Set([...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]));
  const missing = permission.checks.flatMap((c) => c.on.params.filter((p) => !names.has(p)));
  return missing.length ? `${url} declares a permission on path parameters it does not have: ${missing.join(', ')}` : undefined;
}

function displayName(permission: Permission): string {
  for (const category of PERMISSION_CATEGORIES) {
    for (const [id, name] of category.permissions as readonly (readonly string[])[]) if (id === permission) return name;
  }
  return permission;
}

/** What the preHandler hook does with a route's declaration. */
export async function checkRoutePermission(ctx: AppContext, request: FastifyRequest, permission: RoutePermission): Promise<void> {
  if (permission.kind === 'handler') return;
  const principal: Principal | null = request.principal;
  if (!principal) throw new UnauthorizedError('Authentication required.');
  switch (permission.kind) {
    case 'authenticated':
      return;
    case 'anywhere': {
      const owners = await visibleOwners(ctx.store, principal, permission.permission);
      if (owners.organizations.size === 0 && owners.applications.size === 0) {
        throw new ForbiddenError(
          `Permission ${permission.permission} (${displayName(permission.permission)}) is required on at least one organization or application.`,
        );
      }
      return;
    }
    case 'requires':
      for (const check of permission.checks) {
        if (check.unless?.test(request)) continue;
        await requirePermission(ctx.store, principal, check.permission, check.on.scope(await check.on.of(request)));
      }
  }
}
