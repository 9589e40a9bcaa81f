import { visible } from '../format.js';

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML (content or a double-quoted attribute): markup escaped, control characters made visible. */
export function esc(text: string | number | null | undefined): string {
  if (text === null || text === undefined) return '';
  return visible(String(text)).replace(/[&<>"']/g, (c) => ENTITY[c]!);
}

/** At most `max` characters, with an ellipsis when cut (for SVG text, which does not wrap). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A token usable in a class or data attribute (letters, digits, - and _ only). */
export function token(text: string): string {
  return text.replace(/[^\w-]/g, '_');
}
