import { applyClaim, type ClaimsLookup, type ComponentClaim, type IdentifiedComponent } from '../identify.js';

/**
 * Step 1: claims. The components nobody recognised are looked up in one batched query; a claim
 * makes one an exact, manually identified component (`applyClaim`).
 */
export async function applyClaims(lookup: ClaimsLookup, input: readonly IdentifiedComponent[]): Promise<IdentifiedComponent[]> {
  const unknownHashes = input.filter((c) => c.matchState !== 'exact').map((c) => c.hash);
  const claims = unknownHashes.length ? await lookup(unknownHashes) : new Map<string, ComponentClaim>();
  return input.map((c) => applyClaim(c, claims.get(c.hash)));
}
