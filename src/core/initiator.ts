import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The change being handled: who made it (the `initiator` of the webhook events it raises) and
 * whether it queued work in its transaction. The HTTP layer runs each route handler inside
 * `withinChange(scope, …)` (http/app.ts); services raising an event read the initiator here rather
 * than every service taking a user argument only to pass it on, and mark work they queued so the
 * HTTP layer wakes this process's workers once the change is committed and answered. Work outside
 * a request (jobs) names its initiator explicitly where it knows one.
 */
export interface ChangeScope {
  initiator: string;
  /** Set when the change queued work (webhook deliveries) for the job workers. */
  queuedWork: boolean;
}

const current = new AsyncLocalStorage<ChangeScope>();

export function withinChange<T>(scope: ChangeScope, run: () => T): T {
  return current.run(scope, run);
}

/** The user whose request is being handled; `system` for the server's own work. */
export function currentInitiator(): string {
  return current.getStore()?.initiator ?? 'system';
}

/** The change being handled queued work for the job workers (a no-op outside a request). */
export function noteQueuedWork(): void {
  const scope = current.getStore();
  if (scope) scope.queuedWork = true;
}
