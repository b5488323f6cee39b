import type * as CDX from '@cyclonedx/cyclonedx-library';

type Element = CDX.Serialize.XML.Types.SimpleXml.Element;
type Comment = CDX.Serialize.XML.Types.SimpleXml.Comment;

/**
 * Turns the element tree the library's XML normalizer makes into text. The library's own
 * stringifier needs the optional `xmlbuilder2` package; this small one is all a BOM needs.
 */

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (s: string) => escapeText(s).replace(/"/g, '&quot;');
/** Characters XML 1.0 cannot carry at all, even escaped. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what must go.
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const clean = (v: string | number) => String(v).replace(INVALID, '');

function isElement(node: Element | Comment): node is Element {
  return node.type === 'element';
}

function write(node: Element | Comment, indent: string, step: string, out: string[]): void {
  if (!isElement(node)) {
    if (node.text !== undefined) out.push(`${indent}<!-- ${clean(node.text).replace(/--/g, '- -')} -->`);
    return;
  }
  const attributes: string[] = [];
  if (node.namespace !== undefined) attributes.push(` xmlns="${escapeAttribute(String(node.namespace))}"`);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    if (value !== undefined) attributes.push(` ${name}="${escapeAttribute(clean(value))}"`);
  }
  const open = `${indent}<${node.name}${attributes.join('')}`;
  const children = node.children;
  if (children === undefined) {
    out.push(`${open}/>`);
  } else if (typeof children === 'string' || typeof children === 'number') {
    out.push(`${open}>${escapeText(clean(children))}</${node.name}>`);
  } else {
    const list = [...children];
    if (list.length === 0) {
      out.push(`${open}/>`);
      return;
    }
    out.push(`${open}>`);
    for (const child of list) write(child, indent + step, step, out);
    out.push(`${indent}</${node.name}>`);
  }
}

export function stringifyXml(root: Element, space = 2): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  write(root, '', ' '.repeat(space), out);
  return `${out.join(space ? '\n' : '')}\n`;
}
