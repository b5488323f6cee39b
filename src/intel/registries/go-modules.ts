import { ValidationError } from '../../core/errors.js';

/**
 * Go module paths (`github.com/BurntSushi/toml`): case-sensitive, slash-separated elements of
 * letters, digits and `-._~`, no empty, `.` or `..` element (the module reference's rules, loosely:
 * the proxy has the last word).
 */
export function normalizeGoModule(name: string): string {
  const trimmed = name.trim();
  const elements = trimmed.split('/');
  const valid = trimmed.length <= 500 && elements.every((e) => /^[A-Za-z0-9._~+-]+$/.test(e) && !/^\.+$/.test(e));
  if (!valid) throw new ValidationError(`"${name}" is not a Go module path, e.g. github.com/rs/cors.`);
  return trimmed;
}

/**
 * A module path or version as the module proxy protocol writes it in URLs: each capital letter as
 * `!` and its lower case (`github.com/BurntSushi/toml` → `github.com/!burnt!sushi/toml`), so paths
 * stay distinct on case-insensitive file systems.
 */
export function escapeGoPath(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}
