import type { Middleware } from 'koa';

/** The last middleware: whatever no route took is answered 404 (never metrics: those have a port of their own). */
export function notFound(): Middleware {
  return (ctx) => {
    ctx.status = 404;
    ctx.body = { error: { code: 'NOT_FOUND', message: `no route ${ctx.method} ${ctx.path}` } };
  };
}
