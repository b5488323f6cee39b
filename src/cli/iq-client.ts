/**
 * A small client for the reference REST API, as CI tools use it: Basic credentials (a password or a
 * user token), plain-text errors turned into readable ones. It talks to Tollgate or IQ Server alike.
 */
export interface IqClientOptions {
  server: string;
  username: string;
  password: string;
  /** Per request, milliseconds. */
  timeoutMs?: number;
}

export class IqRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** What the server's `Retry-After` asked for (a 503 of a full upload budget, a 429), if it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** `Retry-After` in seconds (the delay form; an HTTP date is read as a time from now), or undefined. */
function retryAfterOf(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

export class IqClient {
  private readonly base: string;
  private readonly authorization: string;

  constructor(private readonly options: IqClientOptions) {
    let url: URL;
    try {
      url = new URL(options.server);
    } catch {
      throw new IqRequestError(`the server URL "${options.server}" is not a URL: give it as http(s)://host:port`, 0);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new IqRequestError(`the server URL "${options.server}" must start with http:// or https://`, 0);
    this.base = options.server.replace(/\/+$/, '');
    this.authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  }

  /** `path` may be absolute or relative to the server (IQ's statusUrl has no leading slash). */
  url(path: string): string {
    if (/^https?:\/\//.test(path)) return path;
    return `${this.base}/${path.replace(/^\/+/, '')}`;
  }

  async request(
    method: string,
    path: string,
    body?: { contentType: string; data: string },
    accept = 'application/json',
    headers: Record<string, string> = {},
  ): Promise<{ status: number; text: string; retryAfterSeconds?: number }> {
    let response: Response;
    try {
      response = await fetch(this.url(path), {
        method,
        headers: { ...headers, authorization: this.authorization, accept, ...(body ? { 'content-type': body.contentType } : {}) },
        body: body?.data,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
      });
    } catch (err) {
      // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a time-out) is its cause.
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (err as Error).message;
      throw new IqRequestError(`cannot reach ${this.base}: ${why}`, 0);
    }
    return { status: response.status, text: await response.text(), retryAfterSeconds: retryAfterOf(response.headers.get('retry-after')) };
  }

  /** A JSON answer with one of `ok` statuses, or an error naming the status and the server's message. */
  async json<T>(
    method: string,
    path: string,
    body?: { contentType: string; data: string },
    ok = [200],
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> {
    const { status, text, retryAfterSeconds } = await this.request(method, path, body, 'application/json', headers);
    if (!ok.includes(status)) {
      const hint = status === 401 ? ' (check the username and password or token)' : status === 403 ? ' (the user lacks the permission)' : '';
      throw new IqRequestError(`${method} ${path} answered ${status}${hint}: ${text.slice(0, 500) || '(no message)'}`, status, retryAfterSeconds);
    }
    return { status, body: (text ? JSON.parse(text) : undefined) as T };
  }
}
