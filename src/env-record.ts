/**
 * An empty environment to fill: a record without a prototype, so that a variable named
 * `__proto__` is set like any other (on a plain object the assignment would set its prototype).
 */
export function envRecord(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}
