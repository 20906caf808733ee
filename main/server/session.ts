import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh secret for one launch of browser mode: 256 random bits. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison, so the answer time says nothing about how much of a guess matched. */
export function secretMatches(given: string | undefined, secret: string): boolean {
  const a = createHash('sha256').update(given ?? '').digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b) && !!given;
}

/** The bearer token of an Authorization header, if it has one. */
export function bearerOf(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
}

/** Cookies are shared by every port of a host: the name carries the port so two servers do not clash. */
export function sessionCookieName(port: number): string {
  return `fe_session_${port}`;
}

/** HttpOnly: page scripts never see it; SameSite=Strict: no other site's request carries it. */
export function sessionCookie(name: string, token: string): string {
  return `${name}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

export function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** A script's bearer token or the page's cookie; either one will do. */
export function requestAuthorized(req: IncomingMessage, token: string, cookieName: string | null): boolean {
  if (secretMatches(bearerOf(req.headers.authorization), token)) return true;
  return cookieName !== null && secretMatches(cookieOf(req.headers.cookie, cookieName), token);
}
