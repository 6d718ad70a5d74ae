type PlainObject = Record<string, unknown>;

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

function isPlainObject(value: unknown): value is PlainObject {
  if (value === null || typeof value !== 'object') {
    return false;
  }
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function flattenObject(input: Record<string, unknown>, separator: string = '.'): Record<string, unknown> {
  const output: Record<string, unknown> = {};
  const walk = (value: PlainObject, prefix: string): void => {
    for (const [key, child] of Object.entries(value)) {
      const path = prefix === '' ? key : `${prefix}${separator}${key}`;
      if (isPlainObject(child) && Object.keys(child).length > 0) {
        walk(child, path);
      } else {
        output[path] = isPlainObject(child) ? {} : child;
      }
    }
  };
  walk(input, '');
  return output;
}

export function unflattenObject(input: Record<string, unknown>, separator: string = '.'): Record<string, unknown> {
  const output: PlainObject = {};
  for (const [path, value] of Object.entries(input)) {
    const segments = path.split(separator);
    if (segments.some((segment) => segment === '' || FORBIDDEN_SEGMENTS.has(segment))) {
      throw new TypeError(`Invalid key: ${JSON.stringify(path)}`);
    }
    let node = output;
    for (const segment of segments.slice(0, -1)) {
      const next = Object.hasOwn(node, segment) ? node[segment] : undefined;
      if (next === undefined) {
        const created: PlainObject = {};
        node[segment] = created;
        node = created;
      } else if (isPlainObject(next)) {
        node = next;
      } else {
        throw new TypeError(`Conflicting keys at ${JSON.stringify(path)}`);
      }
    }
    const last = segments[segments.length - 1];
    if (Object.hasOwn(node, last)) {
      throw new TypeError(`Conflicting keys at ${JSON.stringify(path)}`);
    }
    node[last] = isPlainObject(value) && Object.keys(value).length === 0 ? {} : value;
  }
  return output;
}
