/*
 * xml.ts
 *
 * SVG (XML 1.0) text and attribute values. XML 1.0 forbids most control characters outright (a
 * document holding U+0000 or U+001B is not well-formed), so program data has its non-printable
 * characters written as escapes, then the five markup characters become entities.
 */

import { visible } from './visible';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Markup characters as entities (for values we wrote: colours, numbers, our own words). */
export function xmlEscape(s: string): string {
    return s.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Program data as XML character data or an attribute value. */
export function xmlText(s: string): string {
    return xmlEscape(visible(s));
}
