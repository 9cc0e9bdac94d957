// Quoting helpers: the only place that turns names and values into SQL text.

export function quotedIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quotedString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `schema.table`, each part quoted. */
export function qualified(schema: string, table: string): string {
  return `${quotedIdentifier(schema)}.${quotedIdentifier(table)}`;
}

export function sqlList(values: readonly string[]): string {
  return values.map(quotedString).join(', ');
}
