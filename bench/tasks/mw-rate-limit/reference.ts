import type { Request, RequestHandler } from 'express';

export interface RateLimitOptions {
  limit: number;
  windowMs: number;
  keyOf?: (req: Request) => string;
  now?: () => number;
}

export function rateLimit(options: RateLimitOptions): RequestHandler {
  const { limit, windowMs, keyOf = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown', now = Date.now } = options;
  const windows = new Map<string, { start: number; count: number }>();
  return (req, res, next) => {
    const key = keyOf(req);
    const time = now();
    let window = windows.get(key);
    if (window === undefined || time >= window.start + windowMs) {
      window = { start: time, count: 0 };
      windows.set(key, window);
    }
    if (window.count >= limit) {
      const secondsLeft = Math.ceil((window.start + windowMs - time) / 1000);
      res.setHeader('Retry-After', String(secondsLeft));
      res.status(429).json({ error: 'too_many_requests' });
      return;
    }
    window.count += 1;
    res.setHeader('RateLimit-Limit', String(limit));
    res.setHeader('RateLimit-Remaining', String(limit - window.count));
    next();
  };
}
