import { sql, type Placeholder } from 'drizzle-orm';

/**
 * Named prepared statements for the busiest writes. Building a large Drizzle query (a new concern
 * with its event, audit record and acknowledgement is about 3,400 characters of SQL) costs more
 * than a millisecond of CPU, several times the database's own work, so the statement is built once
 * per connection with placeholders and only the values change. On PostgreSQL a named statement is
 * also parsed and planned once per connection rather than on every call.
 *
 * Named statements belong to a server connection: behind PgBouncer in transaction mode, use
 * PgBouncer 1.21 or later with max_prepared_statements set (or session mode).
 *
 * A table written this way must not use Drizzle's $defaultFn or $onUpdate: they would run once, when
 * the statement is built, and every later row would get that first value.
 */

const statements = new WeakMap<object, Map<string, unknown>>();
const names = new Map<string, string>();

/**
 * The statement for `shape` on this connection's handle, built on first use. `shape` must name
 * everything that changes the SQL text (which columns, which parts), since the text is reused.
 */
export function preparedFor<P>(handle: object, shape: string, build: (name: string) => P): P {
  let byShape = statements.get(handle);
  if (!byShape) {
    byShape = new Map();
    statements.set(handle, byShape);
  }
  let statement = byShape.get(shape) as P | undefined;
  if (statement === undefined) {
    let name = names.get(shape);
    if (!name) {
      name = `heard_prepared_${names.size + 1}`;
      names.set(shape, name);
    }
    statement = build(name);
    byShape.set(shape, statement);
  }
  return statement;
}

/**
 * A row's values as placeholders named `<prefix>_<key>`: the values that fill them, and the
 * placeholders themselves, made only when a statement is built.
 */
export function placeholders<T extends Record<string, unknown>>(
  prefix: string,
  row: T,
): { shape: string; values: Record<string, unknown>; slots: () => { [K in keyof T]: Placeholder } } {
  const keys: string[] = [];
  const values: Record<string, unknown> = {};
  for (const key in row) {
    if (row[key] === undefined) continue;
    keys.push(key);
    values[slotName(prefix, key)] = row[key];
  }
  return {
    shape: `${prefix}(${keys.join(',')})`,
    values,
    slots: () =>
      Object.fromEntries(keys.map((key) => [key, sql.placeholder(slotName(prefix, key))])) as {
        [K in keyof T]: Placeholder;
      },
  };
}

// The same few hundred names are made for every new concern: looked up, they are not garbage.
const slotNames = new Map<string, Map<string, string>>();
function slotName(prefix: string, key: string): string {
  let byKey = slotNames.get(prefix);
  if (!byKey) {
    byKey = new Map();
    slotNames.set(prefix, byKey);
  }
  let name = byKey.get(key);
  if (name === undefined) {
    name = `${prefix}_${key}`;
    byKey.set(key, name);
  }
  return name;
}
