import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../package-root.js';
import { type SchemaError, SchemaSet } from './validate.js';

/** The published schemas (package files schema/*.schema.json), by $id. */
export const CHECK_REPORT_SCHEMA = 'check-report.schema.json';
export const MATRIX_REPORT_SCHEMA = 'matrix-report.schema.json';

/** The schema directory of the package, found when first needed (merge, report validation). */
export function schemaDir(): URL {
  return pathToFileURL(join(packageRoot(), 'schema/'));
}

let schemas: SchemaSet | null = null;

/** The published schemas, loaded once. */
export function reportSchemas(): SchemaSet {
  if (schemas === null) {
    const set = new SchemaSet();
    for (const id of [CHECK_REPORT_SCHEMA, MATRIX_REPORT_SCHEMA]) {
      set.add(JSON.parse(readFileSync(new URL(id, schemaDir()), 'utf8')) as Record<string, unknown>);
    }
    schemas = set;
  }
  return schemas;
}

export function validateCheckReport(value: unknown): SchemaError[] {
  return reportSchemas().validate(CHECK_REPORT_SCHEMA, value);
}

export function validateMatrixReport(value: unknown): SchemaError[] {
  return reportSchemas().validate(MATRIX_REPORT_SCHEMA, value);
}

/** One error as a line: `/results/3/status must be one of ...`. */
export function formatSchemaError(error: SchemaError): string {
  return `${error.path === '' ? '(the document)' : error.path} ${error.message}`;
}
