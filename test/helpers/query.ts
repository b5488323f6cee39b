/**
 * An object as generated clients put it in a query string: `name[key]=value`, nested objects in
 * further brackets (OpenAPI Generator's Go, Java and TypeScript clients write componentIdentifier
 * so). `encodeBrackets` percent-encodes the brackets as Go's url.Values and JavaScript's
 * encodeURIComponent do; without it they are sent as written.
 */
export function bracketQuery(name: string, value: unknown, options: { encodeBrackets?: boolean } = {}): string {
  const pairs: string[] = [];
  const walk = (prefix: string, v: unknown) => {
    if (v !== null && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v as Record<string, unknown>)) walk(`${prefix}[${k}]`, inner);
    } else {
      const key = options.encodeBrackets ? encodeURIComponent(prefix) : prefix.replace(/[^[\]]+/g, (part) => encodeURIComponent(part));
      pairs.push(`${key}=${encodeURIComponent(String(v))}`);
    }
  };
  walk(name, value);
  return pairs.join('&');
}
