import type { Db } from '../db/client.js';
import { insertAudit, listAudit } from '../db/repositories/membership.repository.js';
import { deleteUserSessions } from '../db/repositories/session.repository.js';
import { findUserById, updateUser } from '../db/repositories/user.repository.js';
import { countOutbox, listOutbox } from '../db/repositories/outbox.repository.js';
import { hasRole, type Actor } from '../domain/permissions.js';
import { hideOneTimeLinks } from '../domain/one-time-links.js';
import { mailProblem } from '../domain/mail-problem.js';
import type { EventBus } from '../events/bus.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { ROLES, type Locale, type Role } from '../../src/lib/shared/types.js';
import type { AuditEntryView } from '../../src/lib/shared/audit.js';
import { describeAuditTrail } from './audit-trail.js';
import type { Authenticated } from './auth.service.js';

/**
 * The coordinators' desk: roles and suspensions (audited, effective at once), the audit trail and the mail outbox.
 */
export class CoordinationService {
	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		/** The language a network text (a field's name) falls back to when the reader's is empty. */
		private readonly primaryLanguage: () => Locale,
		private readonly clock: () => number = Date.now
	) {}

	async setRole(auth: Authenticated | null, userId: number, role: string): Promise<void> {
		const coordinator = this.#coordinator(auth);
		if (!(ROLES as readonly string[]).includes(role)) throw new DomainError('invalid_input', 'unknown role', { role: 'choose_one' });
		if (userId === coordinator.id) throw new DomainError('forbidden', 'coordinators cannot change their own role');
		const now = this.clock();
		const changed = await this.db.transaction().execute(async (trx) => {
			const user = await findUserById(trx, userId);
			if (!user || user.status === 'deleted' || user.status === 'applicant') throw new DomainError('not_found');
			if (user.role === role) return false;
			await updateUser(trx, userId, { role: role as Role, updated_at: now });
			await insertAudit(trx, { actor_id: coordinator.id, action: 'role.changed', subject_type: 'user', subject_id: String(userId), data: { from: user.role, to: role }, created_at: now });
			return true;
		});
		if (changed) this.bus.emit('user.access_changed', { userId, reason: 'role_changed' });
	}

	/** Suspends an account: its sessions end and its sockets are disconnected; it can no longer sign in. */
	async suspend(auth: Authenticated | null, userId: number, reason: string): Promise<void> {
		const coordinator = this.#coordinator(auth);
		if (userId === coordinator.id) throw new DomainError('forbidden', 'coordinators cannot suspend themselves');
		if (!reason.trim()) throw new DomainError('invalid_input', 'a reason is required', { reason: 'required' });
		const now = this.clock();
		const ended = await this.db.transaction().execute(async (trx) => {
			const user = await findUserById(trx, userId);
			if (!user || user.status !== 'active') throw new DomainError('not_found');
			await updateUser(trx, userId, { status: 'suspended', updated_at: now });
			await insertAudit(trx, { actor_id: coordinator.id, action: 'account.suspended', subject_type: 'user', subject_id: String(userId), data: { reason: reason.trim().slice(0, 500) }, created_at: now });
			return deleteUserSessions(trx, userId);
		});
		if (ended.length) this.bus.emit('session.revoked', { userId, sessionIds: ended, reason: 'signed_out' });
		this.bus.emit('user.access_changed', { userId, reason: 'suspended' });
	}

	async reinstate(auth: Authenticated | null, userId: number): Promise<void> {
		const coordinator = this.#coordinator(auth);
		const now = this.clock();
		await this.db.transaction().execute(async (trx) => {
			const user = await findUserById(trx, userId);
			if (!user || user.status !== 'suspended') throw new DomainError('not_found');
			await updateUser(trx, userId, { status: 'active', updated_at: now });
			await insertAudit(trx, { actor_id: coordinator.id, action: 'account.reinstated', subject_type: 'user', subject_id: String(userId), created_at: now });
		});
		this.bus.emit('user.access_changed', { userId, reason: 'reinstated' });
	}

	/**
	 * Mail as it stands in the outbox, newest first: what was sent, and what waits for an SMTP server. One-time links
	 * are hidden: a coordinator must not be able to set a member's password with the member's own mail.
	 */
	async outbox(auth: Authenticated | null, offset = 0) {
		this.#coordinator(auth);
		const [rows, total] = await Promise.all([listOutbox(this.db, 50, Math.max(0, offset)), countOutbox(this.db)]);
		return {
			total,
			mail: rows.map((r) => ({
				id: r.id,
				to: r.to_address,
				subject: hideOneTimeLinks(r.subject),
				body: hideOneTimeLinks(r.body),
				createdAt: r.created_at,
				sentAt: r.sent_at,
				error: mailProblem(r.last_error)
			}))
		};
	}

	/** The latest entries of the audit trail in words, names in `locale` (server/services/audit-trail.ts). */
	async auditTrail(auth: Authenticated | null, locale: Locale): Promise<AuditEntryView[]> {
		this.#coordinator(auth);
		return describeAuditTrail(this.db, await listAudit(this.db), locale, this.primaryLanguage());
	}

	#coordinator(auth: Authenticated | null): Actor {
		if (!auth) throw new DomainError('unauthenticated');
		if (!hasRole(auth.actor, 'coordinator')) throw new DomainError('forbidden');
		return auth.actor;
	}
}
