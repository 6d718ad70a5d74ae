type PlainObject = Record<string, unknown>;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function isPlainObject(value: unknown): value is PlainObject {
  if (value === null || typeof value !== 'object') {
    return false;
  }
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function mergeInto(target: PlainObject, source: PlainObject): void {
  for (const key of Object.keys(source)) {
    if (FORBIDDEN_KEYS.has(key)) {
      continue;
    }
    const value = source[key];
    if (value === undefined) {
      continue;
    }
    if (isPlainObject(value)) {
      const current = target[key];
      const next: PlainObject = {};
      if (isPlainObject(current)) {
        mergeInto(next, current);
      }
      mergeInto(next, value);
      target[key] = next;
    } else {
      target[key] = value;
    }
  }
}

export function deepMerge<T extends Record<string, unknown>>(base: T, ...overrides: Array<Record<string, unknown>>): T {
  const result: PlainObject = {};
  mergeInto(result, base);
  for (const override of overrides) {
    mergeInto(result, override);
  }
  return result as T;
}
