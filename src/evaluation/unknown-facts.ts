import type { KnowableFact, UnknownFact, UnknownReason } from '../policy/facts.js';

/**
 * Unknown facts as reports keep and say them. Components share their lists (thousands of PyPI
 * components unknown for one reason are one list), which keeps evaluations small in memory and
 * lets the stored report hold each distinct list once.
 */

/** The same list (fact, reason, registry, in this order) is the same object. Bounded: past the limit it starts over. */
const interned = new Map<string, readonly UnknownFact[]>();
/** Lists handed out (or met) here before: returned as they are, without building their key again. */
const known = new WeakSet<readonly UnknownFact[]>();
const MAX_INTERNED = 10_000;

export function internUnknown(list: readonly UnknownFact[]): readonly UnknownFact[] {
  if (known.has(list)) return list;
  const key = list.map((u) => `${u.fact}\u0000${u.reason}\u0000${u.registry ?? ''}`).join('\u0001');
  let shared = interned.get(key);
  if (!shared) {
    shared = Object.freeze(list.map((u) => Object.freeze(u.registry ? { fact: u.fact, reason: u.reason, registry: u.registry } : { fact: u.fact, reason: u.reason })));
    if (interned.size >= MAX_INTERNED) interned.clear();
    interned.set(key, shared);
    known.add(shared);
  }
  // A list equal to a shared one (a subset the engine made, say) is taken as it when met again.
  if (Object.isFrozen(list)) known.add(list);
  return shared;
}

/** How many components share one set of unknown facts for one reason: a line of the report's summary. */
export interface UnknownFactsLine {
  facts: KnowableFact[];
  reason: UnknownReason;
  registry?: string;
  components: number;
}

/** Components grouped by reason, registry and which facts are unknown for it, the biggest group first. */
export function summarizeUnknownFacts(lists: ReadonlyArray<readonly UnknownFact[] | undefined>): UnknownFactsLine[] {
  const lines = new Map<string, UnknownFactsLine>();
  // Lists are shared: each distinct list is split into its reasons once.
  const splits = new Map<readonly UnknownFact[], Array<[string, UnknownFactsLine]>>();
  for (const list of lists) {
    if (!list?.length) continue;
    let split = splits.get(list);
    if (!split) {
      const byReason = new Map<string, UnknownFactsLine>();
      for (const u of list) {
        const key = `${u.reason}\u0000${u.registry ?? ''}`;
        const line = byReason.get(key) ?? { facts: [], reason: u.reason, ...(u.registry ? { registry: u.registry } : {}), components: 0 };
        line.facts.push(u.fact);
        byReason.set(key, line);
      }
      split = [...byReason.values()].map((l) => [`${l.reason}\u0000${l.registry ?? ''}\u0000${l.facts.join(',')}`, l]);
      splits.set(list, split);
    }
    for (const [key, template] of split) {
      const line = lines.get(key) ?? { ...template, facts: [...template.facts], components: 0 };
      line.components++;
      lines.set(key, line);
    }
  }
  return [...lines.values()].sort((a, b) => b.components - a.components || a.reason.localeCompare(b.reason));
}

const FACT_LABELS: Record<KnowableFact, string> = { age: 'age', latest: 'latest version', versionDistance: 'version distance', license: 'license' };

function listOf(words: string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** Why, in a few words: `PyPI unreachable`. */
function reasonText(reason: UnknownReason, registry?: string): string {
  const r = registry ?? 'the registry';
  switch (reason) {
    case 'offline':
      return 'not in the registry cache, and registries are offline';
    case 'not yet fetched':
      return `not yet fetched from ${r}`;
    case 'registry unreachable':
      return `${r} unreachable`;
    case 'registry error':
      return `${r} failed to answer usefully`;
    case 'not in registry':
      return `${r} does not list it`;
    case 'not stated by registry':
      return `${r} does not say`;
    case 'no registry for this format':
      return 'no registry for this format';
    case 'not identified':
      return 'component not identified';
  }
}

/** What happens next, where something does. */
function nextStep(reason: UnknownReason): string | undefined {
  if (reason === 'not yet fetched') return 'fetched in the background, the next evaluation has it';
  if (reason === 'registry unreachable') return 'fetched once it answers again';
  if (reason === 'registry error') return 'asked again later';
  if (reason === 'offline') return 'registries.offline is on';
  return undefined;
}

/** `2,000 components: age unknown — PyPI unreachable; fetched once it answers again` */
export function unknownFactsLineText(line: UnknownFactsLine): string {
  const facts = listOf(line.facts.map((f) => FACT_LABELS[f]));
  const next = nextStep(line.reason);
  const count = `${line.components.toLocaleString('en')} component${line.components === 1 ? '' : 's'}`;
  return `${count}: ${facts} unknown — ${reasonText(line.reason, line.registry)}${next ? `; ${next}` : ''}`;
}

/** `age unknown — registry unreachable`, for one component's list. */
export function unknownFactsText(list: readonly UnknownFact[]): string {
  const byReason = new Map<string, { facts: string[]; reason: UnknownReason; registry?: string }>();
  for (const u of list) {
    const key = `${u.reason}\u0000${u.registry ?? ''}`;
    const entry = byReason.get(key) ?? { facts: [], reason: u.reason, registry: u.registry };
    entry.facts.push(FACT_LABELS[u.fact]);
    byReason.set(key, entry);
  }
  return [...byReason.values()].map((e) => `${listOf(e.facts)} unknown — ${reasonText(e.reason, e.registry)}`).join('; ');
}

/** `not evaluated: age unknown — PyPI unreachable` */
export function notEvaluatedText(list: readonly UnknownFact[]): string {
  return `not evaluated: ${unknownFactsText(list)}`;
}
