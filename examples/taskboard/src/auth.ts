/**
 * Credential checks for the task board's HTTP handlers (the shape Free Agent generates for a
 * project's handlers, implemented here for the example).
 *
 * API tokens come from TASKBOARD_API_TOKENS (comma-separated). Outside production the example
 * also accepts `test-token`, so the demo and the evaluation suite can call it; a production
 * deployment without TASKBOARD_API_TOKENS accepts no token at all.
 */

import { timingSafeEqual } from 'node:crypto';

function tokens(): string[] {
  const configured = (process.env.TASKBOARD_API_TOKENS ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  return process.env.NODE_ENV === 'production' ? configured : [...configured, 'test-token'];
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export async function verifyBearer(token: string): Promise<boolean> {
  return tokens().some((known) => same(known, token));
}

// The task board has no users with passwords, nor API keys: nobody gets in that way.
export async function verifyBasic(_user: string, _password: string): Promise<boolean> {
  return false;
}

export async function verifyApiKey(_name: string, _key: string): Promise<boolean> {
  return false;
}

function text(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.length > 0 ? first : undefined;
}

/** `Authorization: Bearer <token>` (the scheme is case-insensitive) checked by verifyBearer. */
export async function checkBearer(header: unknown): Promise<boolean> {
  const match = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(text(header) ?? '');
  return match !== null && verifyBearer(match[1]);
}

/** `Authorization: Basic <base64 user:password>` checked by verifyBasic. */
export async function checkBasic(header: unknown): Promise<boolean> {
  const match = /^basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i.exec(text(header) ?? '');
  if (match === null) return false;
  let decoded: string;
  try {
    const bytes = Uint8Array.from(atob(match[1]), (c) => c.charCodeAt(0));
    decoded = new TextDecoder().decode(bytes);
  } catch {
    return false;
  }
  const colon = decoded.indexOf(':');
  return colon > 0 && verifyBasic(decoded.slice(0, colon), decoded.slice(colon + 1));
}

/** An API key from a header, a query parameter or a cookie value, checked by verifyApiKey. */
export async function checkApiKey(name: string, value: unknown): Promise<boolean> {
  const key = text(value);
  return key !== undefined && verifyApiKey(name, key);
}

/** The value of one cookie of a `Cookie` header. */
export function cookie(header: unknown, name: string): string | undefined {
  for (const part of (text(header) ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}
