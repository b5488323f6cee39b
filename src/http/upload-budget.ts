import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** What a client is told when the budget stays full: plain text, with Retry-After. */
export const UPLOAD_BUDGET_MESSAGE =
  'The server is reading as many large uploads as it holds in memory at once: send the request again after the time in Retry-After.';
export const UPLOAD_RETRY_AFTER_SECONDS = 5;

/** A body stopped while it streamed in (no Content-Length): the errorHandler answers it as 503. */
export class UploadBudgetFullError extends Error {
  readonly statusCode = 503;
  readonly retryAfterSeconds = UPLOAD_RETRY_AFTER_SECONDS;
  constructor() {
    super(UPLOAD_BUDGET_MESSAGE);
  }
}

/**
 * A byte-counting semaphore over request bodies in flight. Waiters are served in order, so a large
 * body is not overtaken forever by smaller ones. One body larger than the whole budget is let in
 * when nothing else holds any (else it could never be).
 */
export class ByteBudget {
  private held = 0;
  private readonly waiters: Array<{ bytes: number; wake: () => void }> = [];

  constructor(readonly maxBytes: number) {}

  get inFlight(): number {
    return this.held;
  }

  private fits(bytes: number): boolean {
    return this.held === 0 || this.held + bytes <= this.maxBytes;
  }

  /** Takes `bytes` at once if they fit and nobody waits before. */
  tryAcquire(bytes: number): boolean {
    if (this.waiters.length > 0 || !this.fits(bytes)) return false;
    this.held += bytes;
    return true;
  }

  /** Takes `bytes`, waiting up to `waitMs` for room; false when there was none in time. */
  acquire(bytes: number, waitMs: number): Promise<boolean> {
    if (this.tryAcquire(bytes)) return Promise.resolve(true);
    if (waitMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = {
        bytes,
        wake: () => {
          clearTimeout(timer);
          this.held += bytes;
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        resolve(false);
        this.admit();
      }, waitMs);
      this.waiters.push(waiter);
    });
  }

  release(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
    this.admit();
  }

  private admit(): void {
    while (this.waiters.length > 0 && this.fits(this.waiters[0].bytes)) this.waiters.shift()!.wake();
  }
}

export interface UploadBudgetOptions {
  /** Bodies up to this many bytes are never counted. */
  largeBodyBytes: number;
  /** Bytes of large bodies read at once, across all requests. */
  maxConcurrentBytes: number;
  /** How long a large body may wait for room before it is answered 503. */
  waitMs: number;
}

const HELD = Symbol('uploadBudgetHeld');
type Counted = FastifyRequest & { [HELD]?: { bytes: number; released: boolean } };

/**
 * Bounds the memory large request bodies take while they are read and handled: a body declared
 * (Content-Length) or streamed past `largeBodyBytes` counts its bytes against `maxConcurrentBytes`
 * until its answer is sent. One that does not fit waits up to `waitMs`, then is answered 503 with
 * Retry-After before its body is read (Content-Length) or as soon as it grows past the room left
 * (chunked). Smaller bodies never wait.
 */
export function limitUploads(app: FastifyInstance, options: UploadBudgetOptions): ByteBudget {
  const budget = new ByteBudget(options.maxConcurrentBytes);

  const releaseOf = (request: Counted) => {
    const held = request[HELD];
    if (!held || held.released) return;
    held.released = true;
    budget.release(held.bytes);
  };
  /** Counts `bytes` as the request's until the exchange ends (answer sent, or the client gone). */
  const hold = (request: Counted, reply: FastifyReply, bytes: number) => {
    let held = request[HELD];
    if (!held) {
      held = request[HELD] = { bytes: 0, released: false };
      reply.raw.once('close', () => releaseOf(request));
    }
    if (held.released || reply.raw.closed) return budget.release(bytes);
    held.bytes += bytes;
  };
  const refuse = (reply: FastifyReply) =>
    reply
      .status(503)
      .header('Retry-After', String(UPLOAD_RETRY_AFTER_SECONDS))
      .type('text/plain; charset=utf-8')
      .send(UPLOAD_BUDGET_MESSAGE);

  app.addHook('onRequest', async (request: Counted, reply) => {
    const declared = Number(request.headers['content-length']);
    if (!Number.isFinite(declared) || declared <= options.largeBodyBytes) return;
    if (!(await budget.acquire(declared, options.waitMs))) return refuse(reply);
    hold(request, reply, declared);
  });

  // A body without Content-Length (chunked) is counted as it streams: past the threshold, each
  // chunk takes its bytes from the budget before it is passed on (waiting for room holds the
  // upload back), and one that finds no room in time ends the body with a 503.
  app.addHook('preParsing', async (request: Counted, reply, payload) => {
    if (request.headers['content-length'] !== undefined) return payload;
    let seen = 0;
    return payload.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, callback: TransformCallback) {
          seen += chunk.length;
          if (seen <= options.largeBodyBytes) return callback(null, chunk);
          const needed = seen - (request[HELD]?.bytes ?? 0);
          budget.acquire(needed, options.waitMs).then((ok) => {
            if (!ok) {
              // The rest of the body is read and dropped, so that the answer reaches the client.
              setImmediate(() => payload.resume());
              return callback(new UploadBudgetFullError());
            }
            hold(request, reply, needed);
            callback(null, chunk);
          }, callback);
        },
      }),
    );
  });
  return budget;
}
