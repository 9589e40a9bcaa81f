/**
 * A validator for the subset of JSON Schema (2020-12) that daemonspec's published schemas use:
 * type, enum, const, properties, required, additionalProperties, items, minItems, minimum,
 * anyOf and $ref (to `#/$defs/...` or to another registered schema by its $id). A schema using
 * any other keyword is refused, so a schema cannot say more than is checked. No dependency:
 * `merge` validates its inputs with it at run time.
 */

export type Schema = { [keyword: string]: unknown } | boolean;

export interface SchemaError {
  /** JSON Pointer of the offending value ('' for the document itself). */
  path: string;
  message: string;
}

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$comment', '$defs']);
const CHECKED = new Set(['type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'items', 'minItems', 'minimum', 'anyOf', '$ref']);

type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function pointer(path: string, key: string | number): string {
  return `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class SchemaSet {
  private readonly byId = new Map<string, Record<string, unknown>>();

  /** Registers a schema under its $id; refuses keywords this validator does not check. */
  add(schema: Record<string, unknown>): this {
    const id = schema.$id;
    if (typeof id !== 'string') throw new Error('schema: a registered schema needs an $id');
    this.refuseUnknown(schema, id);
    this.byId.set(id, schema);
    return this;
  }

  private refuseUnknown(schema: unknown, where: string): void {
    if (typeof schema === 'boolean' || !isObject(schema)) return;
    for (const [key, sub] of Object.entries(schema)) {
      if (!ANNOTATIONS.has(key) && !CHECKED.has(key)) throw new Error(`schema ${where}: keyword "${key}" is not implemented by src/report/schema/validate.ts`);
      if (key === 'properties' || key === '$defs') for (const [k, s] of Object.entries(sub as object)) this.refuseUnknown(s, `${where}/${key}/${k}`);
      if (key === 'items' || key === 'additionalProperties') this.refuseUnknown(sub, `${where}/${key}`);
      if (key === 'anyOf') (sub as unknown[]).forEach((s, i) => this.refuseUnknown(s, `${where}/anyOf/${i}`));
    }
  }

  /** Every way `value` does not match the schema registered as `id` (empty: it matches). */
  validate(id: string, value: unknown): SchemaError[] {
    const root = this.byId.get(id);
    if (!root) throw new Error(`schema: no schema registered as ${id}`);
    const errors: SchemaError[] = [];
    this.check(root, root, value, '', errors);
    return errors;
  }

  private resolve(ref: string, root: Record<string, unknown>): { schema: Schema; root: Record<string, unknown> } {
    const [file, fragment = ''] = ref.split('#');
    const doc = file === '' ? root : this.byId.get(file!);
    if (!doc) throw new Error(`schema: $ref ${ref} names no registered schema`);
    let at: unknown = doc;
    for (const part of fragment.split('/').filter(Boolean)) at = isObject(at) ? at[part] : undefined;
    if (at === undefined) throw new Error(`schema: $ref ${ref} points at nothing`);
    return { schema: at as Schema, root: doc };
  }

  private check(schema: Schema, root: Record<string, unknown>, value: unknown, path: string, errors: SchemaError[]): void {
    if (schema === true) return;
    if (schema === false) {
      errors.push({ path, message: 'is not allowed here' });
      return;
    }
    if (typeof schema.$ref === 'string') {
      const target = this.resolve(schema.$ref, root);
      this.check(target.schema, target.root, value, path, errors);
    }
    const before = errors.length;
    this.checkValue(schema, value, path, errors);
    if (errors.length > before) return; // the value is not even of the right kind: its contents are not looked at
    if (Array.isArray(schema.anyOf)) this.checkAnyOf(schema.anyOf as Schema[], root, value, path, errors);
    if (isObject(value)) this.checkObject(schema, root, value, path, errors);
    if (Array.isArray(value) && schema.items !== undefined) {
      value.forEach((item, i) => this.check(schema.items as Schema, root, item, pointer(path, i), errors));
    }
  }

  /** type, const, enum, minimum, minItems. */
  private checkValue(schema: Record<string, unknown>, value: unknown, path: string, errors: SchemaError[]): void {
    const actual = typeOf(value);
    if (schema.type !== undefined) {
      const types = (Array.isArray(schema.type) ? schema.type : [schema.type]) as JsonType[];
      if (!types.includes(actual) && !(actual === 'integer' && types.includes('number'))) {
        errors.push({ path, message: `must be ${types.join(' or ')}, not ${actual} ${show(value)}` });
        return;
      }
    }
    if ('const' in schema && JSON.stringify(value) !== JSON.stringify(schema.const)) {
      errors.push({ path, message: `must be ${show(schema.const)}, not ${show(value)}` });
    }
    if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
      errors.push({ path, message: `must be one of ${schema.enum.map((e) => show(e)).join(', ')}, not ${show(value)}` });
    }
    if (typeof schema.minimum === 'number' && typeof value === 'number' && value < schema.minimum) {
      errors.push({ path, message: `must be at least ${schema.minimum}, not ${value}` });
    }
    if (typeof schema.minItems === 'number' && Array.isArray(value) && value.length < schema.minItems) {
      errors.push({ path, message: `must have at least ${schema.minItems} item(s)` });
    }
  }

  /** The value must match one alternative; if none does, the errors of the one that got furthest. */
  private checkAnyOf(alternatives: Schema[], root: Record<string, unknown>, value: unknown, path: string, errors: SchemaError[]): void {
    let best: SchemaError[] | null = null;
    for (const alternative of alternatives) {
      const found: SchemaError[] = [];
      this.check(alternative, root, value, path, found);
      if (found.length === 0) return;
      const depth = Math.max(...found.map((e) => e.path.length));
      if (best === null || depth > Math.max(...best.map((e) => e.path.length))) best = found;
    }
    errors.push(...(best ?? []));
  }

  private checkObject(schema: Record<string, unknown>, root: Record<string, unknown>, value: Record<string, unknown>, path: string, errors: SchemaError[]): void {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) {
      if (!(key in value)) errors.push({ path, message: `lacks the required field "${key}"` });
    }
    for (const [key, item] of Object.entries(value)) {
      if (key in properties) this.check(properties[key]!, root, item, pointer(path, key), errors);
      else if (schema.additionalProperties === false) errors.push({ path: pointer(path, key), message: 'is not a field of this report (a newer version, or not a daemonspec report?)' });
      else if (isObject(schema.additionalProperties)) this.check(schema.additionalProperties, root, item, pointer(path, key), errors);
    }
  }
}
