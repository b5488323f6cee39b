import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { Principal, Scope } from '../services/access/access.js';
import type { AppContext } from '../core/context.js';
import type { Permission } from '../services/access/permissions.js';
import type { RoutePermission } from './permissions.js';

/** The Fastify instance route modules receive: TypeBox schemas give typed params, bodies and replies. */
export type TollgateApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** One registered route, as docs/api-compat.md is generated from. */
export interface RouteEntry {
  method: string;
  url: string;
  partial?: string;
  tollgate: boolean;
  /** What the caller needs, in words (`describePermission`); empty when the route declares nothing. */
  permission: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
    routeTable: RouteEntry[];
    /** Starts the shutdown: new requests get 503, every answer closes its connection (also on close()). */
    drain(): void;
    /** True once drain() or close() began: the readiness check answers 503. */
    readonly draining: boolean;
    /** Bytes of large request bodies in flight (http/upload-budget.ts). */
    uploadBudget: import('./upload-budget.js').ByteBudget;
  }
  interface FastifyRequest {
    /** The authenticated caller; set on every /api/ route unless the route is public. */
    principal: Principal | null;
    /**
     * Throws 403 unless the caller holds `permission` on `scope` (default: global). For handlers
     * whose route declares `checkedInHandler(…)`; every other route declares its permission.
     */
    authorize(permission: Permission, scope?: Scope): Promise<void>;
    /** The caller as the audit log and services name them. */
    actor(): { username: string; remoteAddress: string };
  }
  interface FastifyContextConfig {
    /** No authentication needed (health, version, API documentation). */
    public?: boolean;
    /** `false`: not counted by the rate limit (health checks from load balancers and orchestrators). */
    rateLimit?: false;
    /** Answered by its handler while the server drains, not by the generic 503 (the readiness check). */
    answersWhileDraining?: true;
    /**
     * What the caller needs (`http/permissions.ts`: requires, allOf, anywhere, authenticated,
     * checkedInHandler), checked by one preHandler hook. Every /api/ route declares one or is public.
     */
    permission?: RoutePermission;
    /**
     * Name recorded in the audit log for this route's changes; default `METHOD /route`. `false`:
     * a read sent as POST (its question is a body), which changes nothing and is not audited.
     */
    audit?: string | false;
    /** Not in the reference API: Tollgate's own operation (marked in the OpenAPI document). */
    tollgate?: boolean;
    /** Implemented in part: what is missing (shown in docs/api-compat.md). */
    partial?: string;
    /**
     * Evolving, not for critical workloads: listed in the Experimental OpenAPI document instead of
     * the Public one, and answers only while the `experimental-api` feature is enabled.
     */
    experimental?: boolean;
  }
}
