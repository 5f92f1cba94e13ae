import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';
import type { BestEffort } from '../db/storage-health.js';
import {
	deleteSession,
	deleteUserSessions,
	findSessionWithUser,
	insertSession,
	listUserSessions,
	touchSession
} from '../db/repositories/session.repository.js';
import { findUserByEmail } from '../db/repositories/user.repository.js';
import { voidResets } from '../db/repositories/password-reset.repository.js';
import type { Transaction } from 'kysely';
import type { Database, UserRow } from '../db/database.js';
import { isExpired, newSessionTimes, slideTo, type SessionPolicy } from '../domain/session-policy.js';
import { maySignIn, type Actor } from '../domain/permissions.js';
import type { EventBus } from '../events/bus.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { Viewer } from '../../src/lib/shared/types.js';
import { decoyHash, verifyPassword } from './passwords.js';
import type { RateLimitName, RateLimits } from './rate-limits.js';

/** The signed-in person for one request or socket. */
export interface Authenticated {
	actor: Actor;
	viewer: Viewer;
	sessionId: string;
	/** When the cookie should expire (the session's current idle deadline). */
	expiresAt: number;
	/** True when this request slid the deadline forward, so the cookie should be re-sent. */
	extended: boolean;
}

export interface SessionView {
	id: string;
	current: boolean;
	createdAt: number;
	lastSeenAt: number;
	userAgent: string | null;
	ip: string | null;
}

export interface SignInInput {
	email: string;
	password: string;
	userAgent?: string | null;
	ip?: string | null;
	/** The token the browser still holds, if any: it is revoked so that sign-in always rotates the session. */
	previousToken?: string | null;
}

/** The session id is the SHA-256 of the token: a leaked database does not leak usable cookies. */
export const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('hex');

export const toActor = (u: Pick<UserRow, 'id' | 'role' | 'status'>): Actor => ({ id: u.id, role: u.role, status: u.status });
export const toViewer = (u: Pick<UserRow, 'id' | 'display_name' | 'email' | 'role' | 'status' | 'locale' | 'time_zone'>): Viewer => ({
	id: u.id,
	displayName: u.display_name,
	email: u.email,
	role: u.role,
	status: u.status,
	locale: u.locale,
	timeZone: u.time_zone
});

export class AuthService {
	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		private readonly policy: SessionPolicy,
		private readonly limits: RateLimits,
		private readonly clock: () => number = Date.now,
		/** Runs the writes a page view makes in passing: when they fail (a full disk), the page is served anyway. */
		private readonly bestEffort: BestEffort = (_what, work) => work().then(() => undefined)
	) {}

	/**
	 * Failed attempts are limited per address, per account from that address, and (far higher) per account from
	 * anywhere: one address cannot guess at length, a stranger's failures elsewhere do not refuse the member's right
	 * password from their own device, and a botnet still meets the account's ceiling. A success clears the
	 * account's counts.
	 */
	async signIn(input: SignInInput): Promise<Authenticated & { token: string }> {
		const email = input.email.trim().toLowerCase().slice(0, 320);
		if (!email || !input.password) {
			throw new DomainError('invalid_credentials', 'email and password are required');
		}
		const ip = input.ip ?? 'unknown';
		const counts: [RateLimitName, string][] = [
			['signInFailuresPerIp', ip],
			['signInFailuresPerAccountAddress', `${email} ${ip}`],
			['signInFailuresPerAccount', email]
		];
		// Each try holds a failure until it proves otherwise: guesses sent all at once meet the limit as guesses sent
		// one after another do (checked first and counted after the password hash, 50 guesses sent together were all
		// tried: tests/integration/sign-in-throttle.test.ts).
		const failure = await this.limits.reserve(...counts);
		const user = await findUserByEmail(this.db, email);
		const ok = await verifyPassword(user?.password_hash ?? (await decoyHash()), input.password);
		if (!user || !user.password_hash || !ok || !maySignIn(user.status)) {
			throw new DomainError('invalid_credentials', 'wrong email or password');
		}
		await failure.release();
		await this.limits.reset('signInFailuresPerAccountAddress', `${email} ${ip}`);
		await this.limits.reset('signInFailuresPerAccount', email);
		return this.db.transaction().execute((trx) => this.openSession(trx, user, input));
	}

	/**
	 * Starts a session for an account that has just proved who it is (a password, the setup link), inside the
	 * caller's transaction: a new random token, only its hash stored; the token the browser still held is revoked,
	 * so a sign-in always rotates the session.
	 */
	async openSession(
		trx: Transaction<Database>,
		user: UserRow,
		meta: Pick<SignInInput, 'userAgent' | 'ip' | 'previousToken'>
	): Promise<Authenticated & { token: string }> {
		const token = randomBytes(32).toString('base64url');
		const id = sessionIdOf(token);
		const times = newSessionTimes(this.clock(), this.policy);
		if (meta.previousToken) await deleteSession(trx, sessionIdOf(meta.previousToken));
		await insertSession(trx, {
			id,
			user_id: user.id,
			...times,
			user_agent: meta.userAgent?.slice(0, 300) ?? null,
			ip: meta.ip ?? null
		});
		return { token, actor: toActor(user), viewer: toViewer(user), sessionId: id, expiresAt: times.expires_at, extended: true };
	}

	/** Resolves a cookie token to the signed-in person, sliding the idle expiry; null when invalid or expired. */
	async authenticate(token: string | undefined | null): Promise<Authenticated | null> {
		if (!token || token.length > 100) return null;
		const id = sessionIdOf(token);
		const found = await findSessionWithUser(this.db, id);
		if (!found) return null;
		const now = this.clock();
		const { session, user } = found;
		if (isExpired(session, now) || !maySignIn(user.status)) {
			await this.bestEffort('an ended session', () => deleteSession(this.db, id));
			return null;
		}
		const slid = slideTo(session, now, this.policy);
		if (slid !== null) await this.bestEffort("a session's last-seen time", () => touchSession(this.db, id, now, slid));
		return {
			actor: toActor(user),
			viewer: toViewer(user),
			sessionId: id,
			expiresAt: slid ?? session.expires_at,
			extended: slid !== null
		};
	}

	async signOut(token: string): Promise<void> {
		const id = sessionIdOf(token);
		const found = await findSessionWithUser(this.db, id);
		if (!found) return;
		await deleteSession(this.db, id);
		this.bus.emit('session.revoked', { userId: found.user.id, sessionIds: [id], reason: 'signed_out' });
	}

	/** Ends every session of the actor, the current one included (or all but `keep`), and voids their reset links.
	 * Returns how many sessions ended. */
	async signOutEverywhere(auth: Authenticated | null, options: { keepCurrent?: boolean } = {}): Promise<number> {
		const me = this.#requireSignedIn(auth);
		// A reset link mailed earlier would let whoever read that mail back in: it is voided with the sessions.
		const ids = await this.db.transaction().execute(async (trx) => {
			await voidResets(trx, me.actor.id, this.clock());
			return deleteUserSessions(trx, me.actor.id, options.keepCurrent ? me.sessionId : undefined);
		});
		if (ids.length) this.bus.emit('session.revoked', { userId: me.actor.id, sessionIds: ids, reason: 'signed_out_everywhere' });
		return ids.length;
	}

	async listSessions(auth: Authenticated | null): Promise<SessionView[]> {
		const me = this.#requireSignedIn(auth);
		const rows = await listUserSessions(this.db, me.actor.id, this.clock());
		return rows.map((s) => ({
			id: s.id,
			current: s.id === me.sessionId,
			createdAt: s.created_at,
			lastSeenAt: s.last_seen_at,
			userAgent: s.user_agent,
			ip: s.ip
		}));
	}

	/** Ends one of the actor's own sessions (a lost phone, a shared computer). */
	async revokeSession(auth: Authenticated | null, sessionId: string): Promise<void> {
		const me = this.#requireSignedIn(auth);
		const found = await findSessionWithUser(this.db, sessionId);
		if (!found || found.user.id !== me.actor.id) throw new DomainError('not_found', 'no such session');
		await deleteSession(this.db, sessionId);
		this.bus.emit('session.revoked', { userId: me.actor.id, sessionIds: [sessionId], reason: 'signed_out' });
	}

	#requireSignedIn(auth: Authenticated | null): Authenticated {
		if (!auth) throw new DomainError('unauthenticated');
		return auth;
	}
}
