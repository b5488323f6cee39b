import type { ComponentIdentifier, ResolvedComponent } from '../../ecosystems/identity.js';
import type { Kysely, Selectable } from 'kysely';
import type { AppContext } from '../../core/context.js';
import type { Database } from '../../store/schema.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import type { AppliedOverride } from '../../policy/component-overrides.js';
import type { Owner } from '../owners/owner.js';
import { ownedBy, ownsRow } from '../owners/owner-filter.js';

/**
 * What license and security overrides share besides their owner (services/owners/): the component
 * they are about, and deleting one of an owner's rows.
 */

/** A component as override rows store it: keyed by canonical package URL where known, else by hash. */
export interface ComponentColumns {
  component_key: string;
  component_hash: string | null;
  package_url: string | null;
  component_identifier: string | null;
}

export function componentKey(component: { hash: string | null; packageUrl: string | null }): string {
  if (component.packageUrl) return `purl:${component.packageUrl}`;
  if (component.hash) return `hash:${component.hash}`;
  throw new ValidationError('A component needs a hash, a componentIdentifier or a packageUrl');
}

export function componentColumns(component: ResolvedComponent): ComponentColumns {
  return {
    component_key: componentKey(component),
    component_hash: component.hash,
    package_url: component.packageUrl,
    component_identifier: component.componentIdentifier ? JSON.stringify(component.componentIdentifier) : null,
  };
}

export function parseIdentifierColumn(value: string | null): ComponentIdentifier | null {
  return value ? (JSON.parse(value) as ComponentIdentifier) : null;
}

/**
 * Override rows of an owner line as evaluation applies them at its first owner: nearest owner
 * first, each with its component, owner and that owner's distance; `decision` adds what the kind
 * of override decided (a license override's licenses, a security override's vulnerability).
 */
export function appliedAlong<R extends ComponentColumns & { id: string; owner_type: string; owner_id: string; comment: string | null }, D>(
  owners: Owner[],
  rows: R[],
  decision: (row: R) => D,
): Array<D & AppliedOverride> {
  return owners.flatMap((o, distance) =>
    rows
      .filter((r) => ownsRow(o, r))
      .map((r) => ({
        ...decision(r),
        id: r.id,
        comment: r.comment,
        hash: r.component_hash,
        packageUrl: r.package_url,
        componentIdentifier: parseIdentifierColumn(r.component_identifier),
        owner: { type: o.type, id: o.id, name: o.name },
        distance,
      })),
  );
}

/**
 * Deletes one row an owner holds in `table` by id; NotFoundError (naming `what`) when the owner has
 * none such. `deleted` runs in the same transaction with the row as it was (its webhook event).
 */
export async function deleteOwnedRow<T extends 'license_overrides' | 'security_overrides'>(
  ctx: AppContext,
  table: T,
  owner: Owner,
  id: string,
  what: string,
  deleted?: (trx: Kysely<Database>, row: Selectable<Database[T]>) => Promise<void>,
): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const row = await (trx as Kysely<Database>)
      .selectFrom(table as 'license_overrides')
      .selectAll()
      .where('id', '=', id)
      .where(ownedBy(owner))
      .executeTakeFirst();
    if (!row) throw new NotFoundError(`${what} ${id} not found on ${owner.type} ${owner.id}`);
    await (trx as Kysely<Database>).deleteFrom(table as 'license_overrides').where('id', '=', id).execute();
    if (deleted) await deleted(trx, row as unknown as Selectable<Database[T]>);
  });
}
