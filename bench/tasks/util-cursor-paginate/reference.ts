const CURSOR_PREFIX = 'o:';

function encodeCursor(offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${offset}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, length: number): number {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^o:(\d{1,15})$/.exec(decoded);
  const offset = match ? Number(match[1]) : Number.NaN;
  if (cursor === '' || encodeCursor(offset) !== cursor || offset < 1 || offset >= length) {
    throw new RangeError(`invalid cursor: ${JSON.stringify(cursor)}`);
  }
  return offset;
}

export function paginate<T>(
  items: readonly T[],
  options: { limit: number; cursor?: string | null },
): { items: T[]; nextCursor: string | null } {
  const { limit, cursor } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new RangeError(`limit must be an integer from 1 to 100, got ${limit}`);
  }
  const start = cursor === undefined || cursor === null ? 0 : decodeCursor(cursor, items.length);
  const end = start + limit;
  return {
    items: items.slice(start, end),
    nextCursor: end < items.length ? encodeCursor(end) : null,
  };
}
