import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

const VALID_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function requestId(options: { header?: string } = {}): RequestHandler {
  const header = options.header ?? 'X-Request-Id';
  return (req, res, next) => {
    const incoming = req.get(header);
    const id = incoming !== undefined && VALID_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader(header, id);
    next();
  };
}
