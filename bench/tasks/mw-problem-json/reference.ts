import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';

import { HttpError } from '../lib/http-error.js';

export const problemDetails: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  let body: Record<string, unknown>;
  if (error instanceof ZodError) {
    body = {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'Validation failed',
      errors: error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    };
  } else if (error instanceof HttpError) {
    body = {
      type: 'about:blank',
      title: STATUS_CODES[error.status] ?? 'Error',
      status: error.status,
      detail: error.message,
    };
  } else {
    body = { type: 'about:blank', title: 'Internal Server Error', status: 500 };
  }
  res.status(body.status as number).type('application/problem+json').send(JSON.stringify(body));
};
