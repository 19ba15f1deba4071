import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';

/** The cookie a browser gets after logging in with `?token=`. */
export const ADMIN_COOKIE = 'dyte_admin_session';
const SESSION_SECONDS = 12 * 3600;

// Compares digests, so neither the content nor the length of the expected value leaks through timing.
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHmac('sha256', 'dyte-admin-compare').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Lets a request through only with the admin token: `Authorization: Bearer <token>` (scripts), or the session
 * cookie a browser gets by opening any page once with `?token=<token>` (HttpOnly, SameSite=Strict, so other sites
 * can neither read it nor send it). The cookie holds an HMAC of the token, not the token, and stops working when
 * the token changes. After the login the browser is redirected to the same URL without the token.
 */
export function adminAuth(token: string): Middleware {
  const session = createHmac('sha256', token).update('dyte-bridge admin session v1').digest('hex');
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (bearer !== undefined && sameSecret(bearer, token)) return next();
    const cookie = ctx.cookies.get(ADMIN_COOKIE);
    if (cookie !== undefined && sameSecret(cookie, session)) return next();
    const login = ctx.query.token;
    if (ctx.method === 'GET' && typeof login === 'string' && sameSecret(login, token)) {
      ctx.cookies.set(ADMIN_COOKIE, session, { httpOnly: true, sameSite: 'strict', path: '/', maxAge: SESSION_SECONDS * 1000, overwrite: true });
      const params = new URLSearchParams(ctx.querystring);
      params.delete('token');
      const rest = params.toString();
      ctx.set('Cache-Control', 'no-store');
      ctx.status = 303;
      ctx.redirect(`${ctx.path}${rest ? `?${rest}` : ''}`);
      return;
    }
    ctx.status = 401;
    ctx.set('WWW-Authenticate', 'Bearer realm="dyte-bridge admin"');
    ctx.body = {
      error: {
        code: 'ADMIN_UNAUTHORIZED',
        message: 'send Authorization: Bearer <ADMIN_TOKEN>, or open /?token=<ADMIN_TOKEN> once in a browser',
      },
    };
  };
}
