import { raiseWaiverEvent } from '../webhooks/waiver-events.js';
import { type ComponentIdentifier, fromPackageUrl, normalizeIdentifier, toPackageUrl } from '../../ecosystems/identity.js';
import { advisoryMatcherFor } from '../../evaluation/advisories.js';
import type { PreparedApplication } from '../../evaluation/prepared.js';
import { prepareOwner } from '../evaluation/prepare.js';
import { remediable, searchVersions, type VersionCandidate, withoutPolicy } from '../../evaluation/remediation.js';
import type { AppContext } from '../../core/context.js';
import { parseIdentifierColumn } from './owned-components.js';
import type { Owner } from '../owners/owner.js';
import { waiverRowsInEffect } from './waivers-in-effect.js';

/**
 * Waivers made with expireWhenRemediationAvailable (one exact component) end once a newer version
 * of that component without the waived violation is available: a version that does not violate
 * the waived policy under the evaluated owner's policies (waivers aside). Checked by the evaluation
 * job as a step of its own before it prepares the application (which then only reads waivers), for
 * the waivers in effect there only; versions come from the registry cache or
 * the registry within a time budget. Whatever cannot be decided (registry offline without a cached
 * answer, unreachable, slow, unknown package) leaves the waiver in effect.
 */

/** A waiver row with what the check reads. */
export interface RemediableWaiver {
  id: string;
  policy_id: string;
  package_url: string | null;
  component_identifier: string | null;
}

/** Time all checks of one evaluation may take; waivers not decided by then stay in effect this time. */
const CHECK_BUDGET_MS = 5000;

function identifierOf(w: RemediableWaiver): ComponentIdentifier | undefined {
  try {
    const parsed = parseIdentifierColumn(w.component_identifier);
    if (parsed) return normalizeIdentifier(parsed);
    return w.package_url ? normalizeIdentifier(fromPackageUrl(w.package_url)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The evaluation job's waiver expiry step: expires the waivers in effect at `owner` (its own and
 * its organizations', unexpired) that expire when remediation is available and whose component now
 * has a remediating version, and returns their ids.
 */
export async function expireRemediatedWaiversAt(ctx: AppContext, owner: Owner): Promise<Set<string>> {
  const { rows } = await waiverRowsInEffect(ctx, owner);
  const remediable = rows.filter((r) => Number(r.expire_when_remediation_available) === 1 && r.matcher_strategy === 'EXACT_COMPONENT');
  return remediable.length ? expireRemediatedWaivers(ctx, owner, remediable) : new Set<string>();
}

/**
 * Expires the waivers (of `owner`'s evaluation) whose component now has a remediating version and
 * returns their ids. Each expired waiver gets its expiry time set to now, and a
 * `waiver_remediations` row names the version that ended it.
 */
async function expireRemediatedWaivers(ctx: AppContext, owner: Owner, waivers: readonly RemediableWaiver[]): Promise<Set<string>> {
  const expired = new Set<string>();
  // The same component and policy are checked once, however many waivers name them.
  const checks = new Map<string, { identifier: ComponentIdentifier; policyId: string; waiverIds: string[] }>();
  for (const w of waivers) {
    const identifier = identifierOf(w);
    if (!remediable(identifier)) continue;
    const key = `${toPackageUrl(identifier)}\u0000${w.policy_id}`;
    const check = checks.get(key) ?? { identifier, policyId: w.policy_id, waiverIds: [] };
    check.waiverIds.push(w.id);
    checks.set(key, check);
  }
  if (!checks.size) return expired;

  const found = new Map<string, VersionCandidate>();
  let prepared: Promise<PreparedApplication> | undefined;
  const run = async (key: string, check: { identifier: ComponentIdentifier; policyId: string }) => {
    try {
      prepared ??= advisoryMatcherFor(ctx).then((matcher) => prepareOwner(ctx, owner, matcher, { waivers: false }));
      const [version] = await searchVersions(ctx, await prepared, check.identifier, [withoutPolicy(check.policyId)], {
        stage: 'build',
        includeCurrent: false,
        applyWaivers: false,
      });
      if (version) found.set(key, version);
    } catch (err) {
      // Offline, unknown to the registry, a failing registry: no remediation is known, the waiver stays.
      ctx.log.debug({ err, component: toPackageUrl(check.identifier) }, 'waiver remediation check: no answer');
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CHECK_BUDGET_MS);
  });
  await Promise.race([Promise.all([...checks].map(([key, check]) => run(key, check))), deadline]);
  clearTimeout(timer);
  // Checks still running past the budget finish in the background; only what is known now counts.
  const decided = new Map(found);

  const now = ctx.now().toISOString();
  for (const [key, version] of decided) {
    const ids = checks.get(key)!.waiverIds;
    await ctx.store.db.transaction().execute(async (trx) => {
      await trx.updateTable('policy_waivers').set({ expiry_time: now }).where('id', 'in', ids).execute();
      await trx.deleteFrom('waiver_remediations').where('waiver_id', 'in', ids).execute();
      await trx
        .insertInto('waiver_remediations')
        .values(ids.map((id) => ({ waiver_id: id, package_url: version.packageUrl, version: version.version, found_at: now })))
        .execute();
      const ended = await trx.selectFrom('policy_waivers').selectAll().where('id', 'in', ids).execute();
      for (const row of ended) await raiseWaiverEvent(trx, ctx, 'iq:waiverExpiration', row, 'EXPIRE');
    });
    for (const id of ids) expired.add(id);
    ctx.log.info({ waivers: ids, remediation: version.packageUrl }, 'policy waivers expired: a version without the waived violation is available');
  }
  return expired;
}
