// Request checks of the HTTP transport: the session token, the Origin and Host headers, and the
// classroom join code. Kept apart from the server so each rule is testable on its own.

import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export const TOKEN_HEADER = 'x-edge-trainer-token';

/** Failed join attempts allowed per client address before it is locked out for the session. */
export const MAX_JOIN_ATTEMPTS = 10;

export function createSessionToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Six-digit code a classroom types to join a --lan session, easy to read off a projector. */
export function createJoinCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function tokensEqual(expected: string, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(actual);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Returns whether a request's Origin header is acceptable: absent (a non-browser client, which
 * still needs the token) or exactly one of the server's own origins.
 */
export function isOriginAllowed(origin: string | undefined, ownOrigins: readonly string[]): boolean {
  return origin === undefined || ownOrigins.includes(origin);
}

/**
 * Returns whether the Host header names this server. Rejecting other host names stops DNS rebinding, where
 * a foreign site resolves its own name to 127.0.0.1 and so becomes "same origin".
 */
export function isHostAllowed(host: string | undefined, allowedHosts: readonly string[]): boolean {
  return host !== undefined && allowedHosts.includes(host.toLowerCase());
}

/** Counts failed join attempts per client address. */
export class JoinGuard {
  readonly #code: string;
  readonly #failures = new Map<string, number>();

  constructor(code: string) {
    this.#code = code;
  }

  /** Returns 'ok', 'wrong' or 'locked' (too many failures from this address). */
  check(address: string, attempt: unknown): 'ok' | 'wrong' | 'locked' {
    const failures = this.#failures.get(address) ?? 0;
    if (failures >= MAX_JOIN_ATTEMPTS) return 'locked';
    if (typeof attempt === 'string' && tokensEqual(this.#code, attempt.trim())) return 'ok';
    this.#failures.set(address, failures + 1);
    return failures + 1 >= MAX_JOIN_ATTEMPTS ? 'locked' : 'wrong';
  }
}
