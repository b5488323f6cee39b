import type { Logger } from 'pino';
import { RegistryUnreachableError } from './errors.js';

/**
 * Circuit breakers, one per registry host (origin): a registry that cannot be reached (connection
 * refused, no such host, time-out, 5xx also when asked again) is known to be down after its first
 * such failure, and every request to it fails at once until its back-off period ends, instead of
 * costing a time-out per package. Then one request is let through as a probe (half-open): an
 * answer closes the circuit, a failure opens it again for twice as long, up to the cap.
 *
 * Per host rather than per adapter: Maven Central's search API lives on another host than its
 * repository and fails on its own, which must not stop the repository being asked.
 *
 * Process-wide, as the hosts are: `configureRegistryCircuits` (called when a context opens) sets
 * the back-off and the logger; the breakers write one line when a host goes down and one when it
 * answers again, never one per package.
 */

export interface CircuitSettings {
  /** The first back-off after a host is found unreachable. */
  downMs: number;
  /** The longest back-off, however long the host stays down. */
  downMaxMs: number;
}

interface Open {
  /** When the host was first found unreachable (this outage). */
  since: Date;
  /** Not asked before this time. */
  until: Date;
  /** The back-off that `until` came from; doubled when a probe fails. */
  backoffMs: number;
  /** What the failure that opened it said. */
  cause: string;
  /** A probe is on its way (half-open): other requests still fail at once. */
  probing: boolean;
}

const DEFAULTS: CircuitSettings = { downMs: 60_000, downMaxMs: 900_000 };
let settings: CircuitSettings = DEFAULTS;
let log: Pick<Logger, 'warn' | 'info'> | undefined;
let clock: () => Date = () => new Date();
const circuits = new Map<string, Open>();

/** Sets the back-off and the logger for every breaker (the server's configuration). */
export function configureRegistryCircuits(next: Partial<CircuitSettings>, logger?: Pick<Logger, 'warn' | 'info'>): void {
  settings = { ...DEFAULTS, ...next };
  if (logger) log = logger;
}

/** Forgets every open circuit (tests; an operator who knows the registry is back could too). */
export function resetRegistryCircuits(options: { clock?: () => Date } = {}): void {
  circuits.clear();
  if (options.clock) clock = options.clock;
}

/** The host part of a registry URL, which circuits are kept by. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** What is known of a host that is down now: since when, until when it is not asked. Undefined while it may be asked. */
export function registryDown(origin: string): { since: Date; until: Date; cause: string } | undefined {
  const open = circuits.get(origin);
  if (!open || (clock() >= open.until && !open.probing)) return undefined;
  return { since: open.since, until: open.until, cause: open.cause };
}

/**
 * Before a request to `url`: throws RegistryUnreachableError while its host's circuit is open. Once
 * the back-off has passed, one request goes through as the probe (the others still fail at once).
 */
export function admit(url: string, registry: string): void {
  const origin = originOf(url);
  const open = circuits.get(origin);
  if (!open) return;
  if (!open.probing && clock() >= open.until) {
    open.probing = true;
    return;
  }
  throw new RegistryUnreachableError(
    `${registry} (${origin}) has been unreachable since ${open.since.toISOString()} (${open.cause}); ` +
      `it is not asked again until ${open.until.toISOString()}${open.probing ? ' (a request to find out whether it is back is under way)' : ''}.`,
    { origin, since: open.since, until: open.until },
  );
}

/** The host answered (any HTTP answer but a 5xx): a circuit that was open closes. */
export function answered(url: string, registry: string): void {
  const origin = originOf(url);
  const open = circuits.get(origin);
  if (!open) return;
  circuits.delete(origin);
  log?.info({ registry, origin, downSince: open.since.toISOString() }, `${registry} answers again; registry lookups resume`);
}

/**
 * The host could not be reached: opens its circuit (or, after a failed probe, opens it again for
 * twice as long) and returns what the error should say about it.
 */
export function unreachable(url: string, registry: string, cause: string): { origin: string; since: Date; until: Date } {
  const origin = originOf(url);
  const now = clock();
  const open = circuits.get(origin);
  if (open) {
    // A failed probe, or a request that was already on its way when the circuit opened.
    if (open.probing) {
      open.backoffMs = Math.min(open.backoffMs * 2, settings.downMaxMs);
      open.until = new Date(now.getTime() + open.backoffMs);
      open.probing = false;
      open.cause = cause;
    }
    return { origin, since: open.since, until: open.until };
  }
  const backoffMs = Math.min(settings.downMs, settings.downMaxMs);
  const opened: Open = { since: now, until: new Date(now.getTime() + backoffMs), backoffMs, cause, probing: false };
  circuits.set(origin, opened);
  log?.warn(
    { registry, origin, cause, until: opened.until.toISOString() },
    `${registry} is unreachable (${cause}); it is not asked again until ${opened.until.toISOString()}, and lookups fail at once meanwhile`,
  );
  return { origin, since: opened.since, until: opened.until };
}
