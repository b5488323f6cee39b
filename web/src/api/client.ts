/**
 * The one way the web UI talks to the server: the public REST API and Tollgate's own documented
 * operations, over fetch with the session cookie. Every change carries the session's CSRF token
 * (X-CSRF-TOKEN, read from the CLM-CSRF-TOKEN cookie, as IQ Server's UI does); every request says
 * X-Requested-With, so a 401 comes without a Basic challenge (no browser password prompt).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The API's own words (its plain-text message). */
    message: string,
  ) {
    super(message);
  }
}

/** Called when the API answers 401 to a request made with the session: the app shows its login page. */
let onUnauthorized: () => void = () => undefined;
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

export function csrfToken(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === 'CLM-CSRF-TOKEN') return decodeURIComponent(value.join('='));
  }
  return undefined;
}

const SAFE = new Set(['GET', 'HEAD']);

export async function api<T>(method: string, path: string, body?: unknown, options: { quietUnauthorized?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (!SAFE.has(method)) {
    const token = csrfToken();
    if (token) headers['X-CSRF-TOKEN'] = token;
  }
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (!response.ok) {
    const text = (await response.text()).trim();
    if (response.status === 401 && !options.quietUnauthorized) onUnauthorized();
    throw new ApiError(response.status, text || `${response.status} ${response.statusText}`);
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
