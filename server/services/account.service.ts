import type { Transaction } from 'kysely';
import type { Db } from '../db/client.js';
import { deleteUserSessions } from '../db/repositories/session.repository.js';
import {
	fieldIdsBySlug,
	findUserByEmail,
	findUserById,
	groupsOfUser,
	organisationsOfUser,
	personalRecords,
	removeAccountTies,
	setUserFields,
	updateUser,
	userFieldSlugs
} from '../db/repositories/user.repository.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import { consumeReset, findReset, voidResets } from '../db/repositories/password-reset.repository.js';
import { deleteMailTo } from '../db/repositories/outbox.repository.js';
import type { Database, NotifyEmail, UserRow } from '../db/database.js';
import { isActiveMember } from '../domain/permissions.js';
import { checkPassword, checkText, collect, normaliseEmail } from '../domain/validation.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logger.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { sessionIdOf, type Authenticated } from './auth.service.js';
import type { MailService } from './mail.service.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { issuePasswordLink, RESET_TOKEN_TTL_MS } from './password-links.js';
import type { RateLimits } from './rate-limits.js';

/** Reset requests waiting to be looked up; more than this (far beyond the rate limits) are dropped. */
const MAX_PENDING_RESETS = 1000;
/**
 * How long after a reset request its work starts: well after the answer has gone out, so that neither the lookup
 * nor the mail it sends (an SMTP exchange, the slowest part) runs while the answer is being rendered.
 */
const RESET_DELAY_MS = 100;

export interface ProfileInput {
	displayName: string;
	city: string;
	bio: string;
	fields: string[];
	showEmail: boolean;
}

export interface AccountSettings {
	displayName: string;
	email: string;
	city: string;
	bio: string;
	fields: string[];
	showEmail: boolean;
	notifyInApp: boolean;
	notifyEmail: NotifyEmail;
}

/** What a member does with their own account: profile, notifications, password, export, deletion. */
export class AccountService {
	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		private readonly mail: MailService,
		private readonly limits: RateLimits,
		private readonly origin: () => string,
		private readonly resets: { mailDelivers: boolean; logger: Logger },
		private readonly clock: () => number = Date.now
	) {}

	readonly #pendingResets: string[] = [];
	#resetWork: Promise<void> | null = null;

	async settings(auth: Authenticated | null): Promise<AccountSettings> {
		const me = this.#self(auth);
		const user = await findUserById(this.db, me.actor.id);
		if (!user) throw new DomainError('not_found');
		return {
			displayName: user.display_name,
			email: user.email,
			city: user.city ?? '',
			bio: user.bio ?? '',
			fields: (await userFieldSlugs(this.db, user.id)).map((f) => f.slug),
			showEmail: user.show_email === 1,
			notifyInApp: user.notify_in_app === 1,
			notifyEmail: user.notify_email
		};
	}

	async updateProfile(auth: Authenticated | null, input: ProfileInput): Promise<void> {
		const me = this.#member(auth);
		const problems = collect({
			displayName: checkText(input.displayName, { max: 120 }),
			city: checkText(input.city, { required: false, max: 80 }),
			bio: checkText(input.bio, { required: false, max: 2000 })
		});
		if (Object.keys(problems).length) throw new DomainError('invalid_input', 'profile has problems', problems);
		await this.db.transaction().execute(async (trx) => {
			await updateUser(trx, me.actor.id, {
				display_name: input.displayName.trim(),
				city: input.city.trim() || null,
				bio: input.bio.trim() || null,
				show_email: input.showEmail ? 1 : 0,
				updated_at: this.clock()
			});
			await setUserFields(trx, me.actor.id, await fieldIdsBySlug(trx, input.fields));
		});
		this.bus.emit('user.profile_changed', { userId: me.actor.id });
	}

	async updateNotifications(auth: Authenticated | null, input: { inApp: boolean; email: string }): Promise<void> {
		const me = this.#member(auth);
		if (input.email !== 'now' && input.email !== 'digest' && input.email !== 'off') {
			throw new DomainError('invalid_input', 'unknown email setting', { email: 'choose_one' });
		}
		await updateUser(this.db, me.actor.id, { notify_in_app: input.inApp ? 1 : 0, notify_email: input.email, updated_at: this.clock() });
	}

	/** Changes the password after checking the current one; every other session ends. */
	async changePassword(auth: Authenticated | null, input: { current: string; next: string; confirm: string }): Promise<number> {
		const me = this.#self(auth);
		const user = await findUserById(this.db, me.actor.id);
		if (!user?.password_hash || !(await verifyPassword(user.password_hash, input.current))) {
			throw new DomainError('invalid_input', 'wrong password', { current: 'password_wrong' });
		}
		return this.#setPassword(user, input, { keep: me.sessionId });
	}

	/**
	 * The one way a password changes, from the settings or a reset link: checked, hashed, stored, every reset link
	 * voided, the sessions ended (all but `keep`), the member told by mail, the change in the audit trail. `first`
	 * runs first in the same transaction (a reset link is consumed there). Returns how many sessions ended.
	 */
	async #setPassword(
		user: UserRow,
		input: { next: string; confirm: string },
		{ keep, first }: { keep?: string; first?: (trx: Transaction<Database>) => Promise<void> }
	): Promise<number> {
		const problems = collect({
			next: checkPassword(input.next, user.email),
			confirm: input.next === input.confirm ? null : 'password_mismatch'
		});
		if (Object.keys(problems).length) throw new DomainError('invalid_input', 'password has problems', problems);
		const hash = await hashPassword(input.next);
		const ended = await this.db.transaction().execute(async (trx) => {
			await first?.(trx);
			const now = this.clock();
			await updateUser(trx, user.id, { password_hash: hash, updated_at: now });
			await voidResets(trx, user.id, now);
			await insertAudit(trx, { actor_id: user.id, action: 'account.password_changed', subject_type: 'user', subject_id: String(user.id), created_at: now });
			await this.mail.queue(trx, { email: user.email, locale: user.locale }, { kind: 'password_changed', name: user.display_name });
			return deleteUserSessions(trx, user.id, keep);
		});
		if (ended.length) this.bus.emit('session.revoked', { userId: user.id, sessionIds: ended, reason: 'signed_out_everywhere' });
		this.bus.emit('mail.queued', {});
		return ended.length;
	}

	/**
	 * Starts a password reset. The answer is the same, and takes the same time, whether or not the email belongs to
	 * an account, so nobody can learn who is a member: after the rate limits, the request only joins a queue, and a
	 * moment later, off the response path, the account is looked up and its link made and mailed. The link is
	 * single-use, valid for an hour, voids the older ones, and only its hash is stored. Without SMTP nothing is made:
	 * a link that cannot be mailed would only wait in the outbox (operators print one with `npm run kuvend -- password
	 * reset`).
	 */
	async requestPasswordReset(email: string, meta: { ip: string }): Promise<void> {
		const address = normaliseEmail(email);
		await this.limits.take(['resetPerIp', meta.ip], ['resetPerEmail', address]);
		if (address.length > 254 || this.#pendingResets.length >= MAX_PENDING_RESETS) return;
		this.#pendingResets.push(address);
		this.#resetWork ??= new Promise<void>((resolve) => setTimeout(resolve, RESET_DELAY_MS)).then(() => this.#sendResets());
	}

	/** Whether /forgot can mail a link (there is an SMTP server); without one, links come from the command line. */
	get resetsByMail(): boolean {
		return this.resets.mailDelivers;
	}

	/** Resolves when every queued reset request has been handled (at shutdown, and for tests). */
	async settleResets(): Promise<void> {
		while (this.#resetWork) await this.#resetWork;
	}

	async #sendResets(): Promise<void> {
		for (let address = this.#pendingResets.shift(); address !== undefined; address = this.#pendingResets.shift()) {
			try {
				await this.#sendReset(address);
			} catch (error) {
				this.resets.logger.error('password reset failed', { error });
			}
		}
		this.#resetWork = null;
	}

	async #sendReset(address: string): Promise<void> {
		if (!this.resets.mailDelivers || !address) return;
		const user = await findUserByEmail(this.db, address);
		if (!user || user.status === 'suspended' || user.status === 'deleted') return;
		await this.db.transaction().execute(async (trx) => {
			const url = await issuePasswordLink(trx, user.id, { origin: this.origin(), now: this.clock(), ttlMs: RESET_TOKEN_TTL_MS });
			await this.mail.queue(trx, { email: user.email, locale: user.locale }, { kind: 'password_reset', name: user.display_name, url });
		});
		this.bus.emit('mail.queued', {});
	}

	/** Whether a reset token can still be used (to show the form or an "expired" message). */
	async resetTokenValid(token: string): Promise<boolean> {
		const reset = token.length <= 100 ? await findReset(this.db, sessionIdOf(token)) : undefined;
		return !!reset && reset.used_at === null && reset.expires_at > this.clock();
	}

	/** Sets a new password from a reset token; all sessions end. */
	async resetPassword(token: string, input: { next: string; confirm: string }): Promise<void> {
		const id = sessionIdOf(token);
		const reset = token.length <= 100 ? await findReset(this.db, id) : undefined;
		if (!reset || reset.used_at !== null || reset.expires_at <= this.clock()) throw new DomainError('not_found', 'reset link expired');
		const user = await findUserById(this.db, reset.user_id);
		if (!user) throw new DomainError('not_found');
		await this.#setPassword(user, input, {
			// Consumed under the write lock: of two simultaneous uses of one link, only one succeeds.
			first: async (trx) => {
				if (!(await consumeReset(trx, id, this.clock()))) throw new DomainError('not_found', 'reset link expired');
			}
		});
	}

	/** Everything Kuvend holds that references the member, as JSON-ready data (never the password hash). */
	async exportData(auth: Authenticated | null): Promise<Record<string, unknown>> {
		const me = this.#self(auth);
		const id = me.actor.id;
		const user = await findUserById(this.db, id);
		if (!user) throw new DomainError('not_found');
		const { password_hash: _secret, ...account } = user;
		const [fields, organisations, groups, records] = await Promise.all([
			userFieldSlugs(this.db, id),
			organisationsOfUser(this.db, id),
			groupsOfUser(this.db, id),
			personalRecords(this.db, id)
		]);
		return {
			exportedAt: new Date(this.clock()).toISOString(),
			account,
			fieldsOfAction: fields.map((f) => f.slug),
			organisations,
			groups,
			...records
		};
	}

	/**
	 * Deletes the account: personal data is erased (its mail in the outbox too), sessions end, memberships go; what
	 * the member wrote stays, shown as by a former member. Ballots are never linked to accounts, so they are untouched.
	 */
	async deleteAccount(auth: Authenticated | null, password: string): Promise<void> {
		const me = this.#self(auth);
		const user = await findUserById(this.db, me.actor.id);
		if (!user?.password_hash || !(await verifyPassword(user.password_hash, password))) {
			throw new DomainError('invalid_input', 'wrong password', { password: 'password_wrong' });
		}
		const now = this.clock();
		const ended = await this.db.transaction().execute(async (trx) => {
			await updateUser(trx, user.id, {
				status: 'deleted',
				email: `deleted-${user.id}@deleted.invalid`,
				password_hash: null,
				display_name: '',
				city: null,
				bio: null,
				show_email: 0,
				updated_at: now
			});
			await setUserFields(trx, user.id, []);
			await removeAccountTies(trx, user.id);
			await voidResets(trx, user.id, now);
			// Mail still waiting (SMTP down or not set yet) is not delivered later, and what was sent is personal data.
			await deleteMailTo(trx, user.email);
			await insertAudit(trx, { actor_id: user.id, action: 'account.deleted', subject_type: 'user', subject_id: String(user.id), created_at: now });
			return deleteUserSessions(trx, user.id);
		});
		this.bus.emit('session.revoked', { userId: user.id, sessionIds: ended, reason: 'signed_out' });
		this.bus.emit('user.access_changed', { userId: user.id, reason: 'deleted' });
	}

	#self(auth: Authenticated | null): Authenticated {
		if (!auth) throw new DomainError('unauthenticated');
		return auth;
	}

	#member(auth: Authenticated | null): Authenticated {
		const me = this.#self(auth);
		if (!isActiveMember(me.actor)) throw new DomainError('forbidden');
		return me;
	}
}
