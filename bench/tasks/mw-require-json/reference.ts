import type { RequestHandler } from 'express';

const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);
const JSON_MEDIA_TYPE = /^application\/(?:json|[a-z0-9!#$&^_.-]+\+json)$/;

export const requireJson: RequestHandler = (req, res, next) => {
  if (BODYLESS_METHODS.has(req.method.toUpperCase())) {
    next();
    return;
  }
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    res.status(415).json({ error: 'unsupported_media_type' });
    return;
  }
  next();
};
