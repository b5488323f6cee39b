import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who made the change being handled: the `initiator` of the webhook events it raises. The HTTP
 * layer runs each route handler inside `asInitiator(username, …)` (http/app.ts); services raising an
 * event read it here rather than every service taking a user argument only to pass it on. Work
 * outside a request (jobs) names its initiator explicitly where it knows one.
 */
const current = new AsyncLocalStorage<string>();

export function asInitiator<T>(username: string | undefined, run: () => T): T {
  return username === undefined ? run() : current.run(username, run);
}

/** The user whose request is being handled; `system` for the server's own work. */
export function currentInitiator(): string {
  return current.getStore() ?? 'system';
}
