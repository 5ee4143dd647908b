// The double opt-in's clock: how often an unconfirmed address may be mailed, and how long its
// link works. Pure: the verbs in optin.ts turn these into SQL bounds.

const HOUR_MS = 3_600_000;

/** An unconfirmed address gets at most one confirmation per this long, however often the form is posted. */
export const CONFIRMATION_EVERY_MS = HOUR_MS;
/** A confirmation link works this long after it was sent; then the sweep deletes the request. */
export const OPT_IN_LIFETIME_MS = 7 * 24 * HOUR_MS;

/** Whether a request whose confirmation went at `sentAt` may get another one at `now`. */
export const mayResend = (sentAt: Date, now: Date) => now.getTime() - sentAt.getTime() >= CONFIRMATION_EVERY_MS;

/** The latest `sent_at` that lets another confirmation go at `now` (mayResend as a SQL bound). */
export const resendBound = (now: Date) => new Date(now.getTime() - CONFIRMATION_EVERY_MS);

/** When a link sent at `sentAt` stops working. */
export const expiryOf = (sentAt: Date) => new Date(sentAt.getTime() + OPT_IN_LIFETIME_MS);

/** Whether a link that stops working at `expiresAt` still works at `now`. */
export const isLive = (expiresAt: Date, now: Date) => now.getTime() < expiresAt.getTime();
