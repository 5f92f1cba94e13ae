import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { Db } from '../db/client.js';
import { findReset, insertReset, voidResets } from '../db/repositories/password-reset.repository.js';
import { oneTimeLink, oneTimeTokensIn } from '../domain/one-time-links.js';
import { sessionIdOf } from './auth.service.js';

/** A reset asked for at /forgot is valid for an hour. */
export const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;
/** A link printed by the admin command line is handed over by a person, so it lives a day. */
export const OPERATOR_LINK_TTL_MS = 24 * 60 * 60 * 1000;

/** A new one-time secret for a link: 256 random bits, URL-safe. Only its SHA-256 (`sessionIdOf`) is stored. */
export const newLinkToken = (): string => randomBytes(32).toString('base64url');

/**
 * A new single-use link to set the account's password, inside the caller's transaction. Every older link of the
 * account is voided first: only the newest one works. Only the token's hash is stored.
 */
export async function issuePasswordLink(
	trx: Transaction<Database>,
	userId: number,
	{ origin, now, ttlMs }: { origin: string; now: number; ttlMs: number }
): Promise<string> {
	const token = newLinkToken();
	await voidResets(trx, userId, now);
	await insertReset(trx, { id: sessionIdOf(token), user_id: userId, created_at: now, expires_at: now + ttlMs });
	return oneTimeLink(origin, 'password', token);
}

/** Whether every one-time link in a text can still be used (not used, voided or expired). */
export async function linksStillValid(db: Db, text: string, now: number): Promise<boolean> {
	for (const token of oneTimeTokensIn(text)) {
		const reset = await findReset(db, sessionIdOf(token));
		if (!reset || reset.used_at !== null || reset.expires_at <= now) return false;
	}
	return true;
}
