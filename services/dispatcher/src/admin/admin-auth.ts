import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { Logger } from '../../../../shared/src/index.js';
import { AdminSessions, type AdminSessionsOptions } from './admin-sessions.js';
import { clientKey } from './client-key.js';
import { LoginThrottle, type LoginThrottleOptions } from './login-throttle.js';

/** The cookie a browser gets after logging in with `?token=`. */
export const ADMIN_COOKIE = 'dyte_admin_session';

/** The token, and for tests a clock and the limits of sessions and back-off. */
export interface AdminAuthOptions {
  token: string;
  logger?: Logger;
  /** The clock of sessions and back-off (tests move it instead of waiting). */
  now?: () => number;
  sessions?: Partial<Omit<AdminSessionsOptions, 'now'>>;
  throttle?: Partial<Omit<LoginThrottleOptions, 'now'>>;
}

// Compares digests, so neither the content nor the length of the expected value leaks through timing.
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHmac('sha256', 'dyte-admin-compare').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function refuse(ctx: Context, status: number, code: string, message: string): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { error: { code, message } };
}

/**
 * Lets a request through only with the admin token: `Authorization: Bearer <token>` (scripts), or a session
 * cookie a browser gets by opening any page once with `?token=<token>`, then is redirected to the same URL without
 * it. A session is a random id kept in this process (see AdminSessions), HttpOnly, SameSite=Strict, and Secure
 * when the request came over https (`ctx.secure`: through a proxy only when the app trusts it). `/logout` ends it.
 * Wrong tokens are slowed down per client address and globally (see LoginThrottle): while a wait lasts, the answer
 * is 429 with Retry-After and the token is not compared. An open session is never held back.
 */
export function adminAuth(options: AdminAuthOptions): Middleware {
  const { token, logger } = options;
  const now = options.now ?? Date.now;
  const sessions = new AdminSessions({ ...options.sessions, now });
  const throttle = new LoginThrottle({ ...options.throttle, now });

  return async (ctx, next) => {
    const session = ctx.cookies.get(ADMIN_COOKIE);
    if (ctx.path === '/logout' && (ctx.method === 'POST' || ctx.method === 'GET')) {
      sessions.delete(session);
      ctx.cookies.set(ADMIN_COOKIE, null, { httpOnly: true, sameSite: 'strict', path: '/', secure: ctx.secure, overwrite: true });
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { status: 'logged out' };
      return;
    }
    if (sessions.touch(session)) return next();

    const bearer = /^Bearer\s+(.+)$/i.exec(ctx.get('authorization'))?.[1]?.trim();
    const login = ctx.method === 'GET' && typeof ctx.query.token === 'string' ? ctx.query.token : undefined;
    const given = bearer ?? login;
    if (given === undefined) {
      ctx.set('WWW-Authenticate', 'Bearer realm="dyte-bridge admin"');
      return refuse(ctx, 401, 'ADMIN_UNAUTHORIZED', 'send Authorization: Bearer <ADMIN_TOKEN>, or open /?token=<ADMIN_TOKEN> once in a browser');
    }

    const client = clientKey(ctx.ip);
    const waitMs = throttle.retryAfterMs(client);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      ctx.set('Retry-After', String(seconds));
      return refuse(ctx, 429, 'ADMIN_TOO_MANY_FAILURES', `too many wrong admin tokens: try again in ${seconds} s`);
    }
    if (!sameSecret(given, token)) {
      const wait = throttle.failed(client);
      if (wait > 0) logger?.warn('wrong admin tokens: backing off', { client, retryAfterMs: wait });
      ctx.set('WWW-Authenticate', 'Bearer realm="dyte-bridge admin"');
      return refuse(ctx, 401, 'ADMIN_UNAUTHORIZED', 'send Authorization: Bearer <ADMIN_TOKEN>, or open /?token=<ADMIN_TOKEN> once in a browser');
    }
    throttle.succeeded(client);
    if (bearer !== undefined) return next();

    const { id, expiresAt } = sessions.create();
    ctx.cookies.set(ADMIN_COOKIE, id, { httpOnly: true, sameSite: 'strict', path: '/', secure: ctx.secure, expires: new Date(expiresAt), overwrite: true });
    const params = new URLSearchParams(ctx.querystring);
    params.delete('token');
    const rest = params.toString();
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 303;
    ctx.redirect(`${ctx.path}${rest ? `?${rest}` : ''}`);
  };
}
