import { compareDigits, compareStrings, defineVersioning } from './shared.js';
import type { Versioning } from './types.js';

/**
 * Maven: the ordering of org.apache.maven.artifact.versioning.ComparableVersion (Maven 3.9 / 4,
 * including MNG-5568, MNG-6964, MNG-7644 and MNG-7714), as described in the POM reference's
 * "Version Order Specification".
 *
 * A version is a list of items split on `.`, `-` and digit/letter transitions; `-` and a letter
 * after a digit open a nested sub-list. Numbers compare as integers and trailing zeros vanish
 * (`1` == `1.0` == `1.0.0`). Qualifiers order `alpha` (`a1`) < `beta` (`b1`) < `milestone` (`m1`) <
 * `rc` = `cr` < `snapshot` < release (`""`, `ga`, `final`, `release`) < `sp` < unknown qualifiers
 * (lexical, case-insensitive). A qualifier directly followed by a number (`rc1`, `alpha-2`) is one
 * combined item, so `1.0.0.RC1` < `1.0.0-RC2` and `2-X` == `2.0.X`.
 */
export const mavenVersioning: Versioning = defineVersioning<ListItem>({
  name: 'maven',
  parse: (v) => (v === '' || v.length > MAX_VERSION_LENGTH || /[\s,[\]()]/.test(v) ? null : parseMaven(v)),
  compare: (a, b) => compareItems(a, b),
});

/** Maven refuses longer version strings. */
const MAX_VERSION_LENGTH = 256;

const NUM = 0;
const STR = 1;
const COMBO = 2;
const LIST = 3;

interface NumberItem {
  type: typeof NUM;
  /** Decimal digits without leading zeros ("0" for zero). */
  digits: string;
}

interface StringItem {
  type: typeof STR;
  value: string;
  /** ComparableVersion.comparableQualifier(value), precomputed. */
  key: string;
}

interface ComboItem {
  type: typeof COMBO;
  text: StringItem;
  number: Item;
}

interface ListItem {
  type: typeof LIST;
  items: Item[];
}

type Item = NumberItem | StringItem | ComboItem | ListItem;

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const RELEASE_QUALIFIERS = new Set(['ga', 'final', 'release']);
const RELEASE_KEY = String(QUALIFIERS.indexOf(''));
const ZERO: NumberItem = { type: NUM, digits: '0' };

function comparableQualifier(q: string): string {
  if (RELEASE_QUALIFIERS.has(q)) return RELEASE_KEY;
  const i = QUALIFIERS.indexOf(q);
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i);
}

function stringItem(raw: string, followedByDigit: boolean): StringItem {
  let value = raw;
  if (followedByDigit && value.length === 1) {
    // a1 = alpha-1, b1 = beta-1, m1 = milestone-1
    if (value === 'a') value = 'alpha';
    else if (value === 'b') value = 'beta';
    else if (value === 'm') value = 'milestone';
  }
  if (value === 'cr') value = 'rc';
  return { type: STR, value, key: comparableQualifier(value) };
}

function numberItem(raw: string): NumberItem {
  const digits = raw.replace(/^0+/, '');
  return digits === '' ? ZERO : { type: NUM, digits };
}

function comboItem(raw: string): ComboItem {
  let index = 0;
  for (let i = 0; i < raw.length; i++) {
    if (isDigit(raw.charCodeAt(i))) {
      index = i;
      break;
    }
  }
  return { type: COMBO, text: stringItem(raw.slice(0, index), true), number: numberItem(raw.slice(index)) };
}

function parseItem(isCombination: boolean, isDigit: boolean, buf: string): Item {
  if (isCombination) return comboItem(buf.replaceAll('-', ''));
  if (isDigit) return numberItem(buf);
  return stringItem(buf, false);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isNull(item: Item): boolean {
  switch (item.type) {
    case NUM:
      return item.digits === '0';
    case STR:
      return item.value === '';
    case COMBO:
      return false;
    case LIST:
      return item.items.length === 0;
  }
}

function newList(): ListItem {
  return { type: LIST, items: [] };
}

/** ComparableVersion.parseVersion, step for step. */
function parseMaven(input: string): ListItem {
  const version = input.toLowerCase();
  const root = newList();
  let list = root;
  const stack: ListItem[] = [root];
  const push = () => {
    const sub = newList();
    list.items.push(sub);
    list = sub;
    stack.push(sub);
  };
  let isDigitRun = false;
  let isCombination = false;
  let start = 0;

  for (let i = 0; i < version.length; i++) {
    const c = version.charCodeAt(i);
    if (c === 46 /* . */) {
      list.items.push(i === start ? ZERO : parseItem(isCombination, isDigitRun, version.slice(start, i)));
      isCombination = false;
      start = i + 1;
    } else if (c === 45 /* - */) {
      if (i === start) {
        list.items.push(ZERO);
      } else {
        // X-1 is read as X1
        if (!isDigitRun && i !== version.length - 1 && isDigit(version.charCodeAt(i + 1))) {
          isCombination = true;
          continue;
        }
        list.items.push(parseItem(isCombination, isDigitRun, version.slice(start, i)));
      }
      start = i + 1;
      if (list.items.length > 0) push();
      isCombination = false;
    } else if (isDigit(c)) {
      if (!isDigitRun && i > start) {
        // X1
        isCombination = true;
        if (list.items.length > 0) push();
      }
      isDigitRun = true;
    } else {
      if (isDigitRun && i > start) {
        list.items.push(parseItem(isCombination, true, version.slice(start, i)));
        start = i;
        push();
        isCombination = false;
      }
      isDigitRun = false;
    }
  }

  if (version.length > start) {
    // 1.0.0.X1 < 1.0.0-X2: a trailing .X reads as -X
    if (!isDigitRun && list.items.length > 0) push();
    list.items.push(parseItem(isCombination, isDigitRun, version.slice(start)));
  }

  while (stack.length > 0) normalize(stack.pop()!);
  return root;
}

/** ListItem.normalize: drop null items that only pad, then unwrap a lone sub-list. */
function normalize(list: ListItem): void {
  const items = list.items;
  for (let i = items.length - 1; i >= 0; i--) {
    if (!isNull(items[i])) continue;
    const next = items[i + 1];
    if (i === items.length - 1 || next.type === STR) {
      items.splice(i, 1);
    } else if (next.type === LIST && next.items.length > 0) {
      const first = next.items[0];
      if (first.type === COMBO || first.type === STR) items.splice(i, 1);
    }
  }
  if (items.length === 1 && items[0].type === LIST) list.items = items[0].items;
}

/** Item.compareTo(other), where `null` stands for "nothing left on this side". */
function compareItems(a: Item, b: Item | null): number {
  switch (a.type) {
    case NUM:
      return compareNumber(a, b);
    case STR:
      return compareString(a, b);
    case COMBO:
      return compareCombo(a, b);
    case LIST:
      return compareList(a, b);
  }
}

function compareNumber(a: NumberItem, b: Item | null): number {
  if (b === null) return a.digits === '0' ? 0 : 1; // 1.0 == 1, 1.1 > 1
  return b.type === NUM ? compareDigits(a.digits, b.digits) : 1; // 1.1 > 1-sp, 1.1 > 1-1
}

function compareString(a: StringItem, b: Item | null): number {
  if (b === null) return compareStrings(a.key, RELEASE_KEY); // 1-rc < 1, 1-sp > 1
  switch (b.type) {
    case NUM:
      return -1; // 1.any < 1.1
    case STR:
      return compareStrings(a.key, b.key);
    case COMBO: {
      const r = compareString(a, b.text);
      if (r !== 0) return r;
      return compareString(a, null) === 0 ? -compareItems(b.number, null) : -1;
    }
    case LIST:
      return -compareList(b, a);
  }
}

function compareCombo(a: ComboItem, b: Item | null): number {
  if (b === null) {
    // 1-rc1 < 1; for a release qualifier (1-ga1) the number decides
    const r = compareString(a.text, null);
    return r === 0 ? compareItems(a.number, null) : r;
  }
  switch (b.type) {
    case NUM:
      return -1;
    case STR: {
      const r = compareString(a.text, b);
      if (r !== 0) return r;
      return compareString(a.text, null) === 0 ? compareItems(a.number, null) : 1; // X1 > X
    }
    case LIST:
      return -compareList(b, a);
    case COMBO:
      return compareString(a.text, b.text) || compareItems(a.number, b.number);
  }
}

function compareList(a: ListItem, b: Item | null): number {
  const items = a.items;
  if (b === null) {
    // the whole list against nothing, not just its first item (MNG-6964)
    for (const item of items) {
      const r = compareItems(item, null);
      if (r !== 0) return r;
    }
    return 0;
  }
  switch (b.type) {
    case NUM:
      return -1; // 1-1 < 1.0.x
    case STR:
    case COMBO: {
      let r = items.length === 0 ? -compareItems(b, null) : compareItems(items[0], b);
      for (let i = 1; r === 0 && i < items.length; i++) r = compareItems(items[i], null);
      return r;
    }
    case LIST: {
      const other = b.items;
      const n = Math.max(items.length, other.length);
      for (let i = 0; i < n; i++) {
        const l = i < items.length ? items[i] : null;
        const r = i < other.length ? other[i] : null;
        const result = l === null ? (r === null ? 0 : -compareItems(r, null)) : compareItems(l, r);
        if (result !== 0) return result;
      }
      return 0;
    }
  }
}
