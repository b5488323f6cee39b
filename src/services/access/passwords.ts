import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt cost: N=2^15, r=8, p=1 (OWASP's recommended minimum is N=2^17 with r=8 for new
// deployments; 2^15 keeps Basic-auth requests cheap while verified credentials are cached briefly).
// The cost is the `passwordHashCost` setting (log2 N); only tests set it lower, to save seconds.
export const DEFAULT_HASH_COST = 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(secret: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_LENGTH, { N: n, r, p, maxmem: 256 * n * r }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * Hashes a password or pass code as `scrypt$N$r$p$salt$hash` (base64 parts), N = 2^cost. Hashes
 * carry their parameters, so verifying one does not depend on the cost configured now.
 */
export async function hashSecret(secret: string, cost: number = DEFAULT_HASH_COST): Promise<string> {
  const n = 2 ** cost;
  const salt = randomBytes(16);
  const key = await derive(secret, salt, n, R, P);
  return ['scrypt', n, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

let verifications = 0;

/** scrypt derivations made by verifySecret in this process (tests check that failures cost one). */
export function secretVerifications(): number {
  return verifications;
}

export async function verifySecret(secret: string, stored: string | null | undefined): Promise<boolean> {
  if (!stored) return false;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts;
  const expected = Buffer.from(hash, 'base64');
  verifications += 1;
  const actual = await derive(secret, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const dummies = new Map<number, Promise<string>>();

/**
 * A hash of a random secret at `cost`, made once per cost: checking a secret against it costs what
 * checking against a real hash of that cost does, and never succeeds. Sign-ins as an unknown name
 * verify against it, so that they take as long as a wrong password for a known user.
 */
export function dummyHash(cost: number = DEFAULT_HASH_COST): Promise<string> {
  let hash = dummies.get(cost);
  if (!hash) {
    hash = hashSecret(randomBytes(16).toString('base64'), cost);
    dummies.set(cost, hash);
  }
  return hash;
}
