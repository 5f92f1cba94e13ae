import type { Db } from '../db/client.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import { findUserByEmail, insertUser, updateUser } from '../db/repositories/user.repository.js';
import type { Transaction } from 'kysely';
import type { Database, UserRow } from '../db/database.js';
import { nameFromEmail } from '../domain/people.js';
import { checkEmail, normaliseEmail } from '../domain/validation.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { issuePasswordLink, OPERATOR_LINK_TTL_MS } from './password-links.js';

export interface OperatorLink {
	/** The link to set a password: single use, for a day, and every older link of the account stops working. */
	url: string;
	name: string;
	email: string;
	expiresAt: number;
}

/** Audit entries made from the command line have no actor; `by` says where they came from. */
const BY = { by: 'command line' };

/**
 * What the person running the server does from the admin command line (npm run kuvend): the one way to a password
 * link without SMTP, and to the first coordinator. Whoever can run it already holds the database, so the actor is
 * the operator; every act is in the audit trail.
 */
export class OperatorService {
	constructor(
		private readonly db: Db,
		private readonly origin: string,
		private readonly clock: () => number = Date.now
	) {}

	/** A link to set a new password for an existing account (not a suspended one: it could not sign in). */
	async passwordLink(email: string): Promise<OperatorLink> {
		const address = this.#address(email);
		return this.db.transaction().execute(async (trx) => {
			const user = await findUserByEmail(trx, address);
			if (!user || user.status === 'deleted') throw new DomainError('not_found', `No account has the email ${address}`);
			if (user.status === 'suspended') throw new DomainError('forbidden', `${address} is suspended: a coordinator reinstates it first`);
			return this.#link(trx, user);
		});
	}

	/**
	 * Makes the account a coordinator: a new account (named from its email, no password yet) when none has the email,
	 * or an existing member promoted. Returns a link to set the password either way.
	 */
	async addCoordinator(email: string): Promise<OperatorLink & { outcome: 'created' | 'promoted' | 'already' }> {
		const address = this.#address(email);
		return this.db.transaction().execute(async (trx) => {
			const now = this.clock();
			let user = await findUserByEmail(trx, address);
			let outcome: 'created' | 'promoted' | 'already';
			if (!user) {
				const id = await insertUser(trx, {
					email: address,
					password_hash: null,
					display_name: nameFromEmail(address),
					role: 'coordinator',
					status: 'active',
					locale: 'sq',
					city: null,
					bio: null,
					created_at: now,
					updated_at: now,
					last_digest_at: null
				});
				await insertAudit(trx, { actor_id: null, action: 'account.created', subject_type: 'user', subject_id: String(id), data: { role: 'coordinator', ...BY }, created_at: now });
				user = (await findUserByEmail(trx, address))!;
				outcome = 'created';
			} else if (user.status === 'applicant') {
				throw new DomainError('forbidden', `${address} has applied to join: approve the application first, then run this again`);
			} else if (user.status !== 'active') {
				throw new DomainError('forbidden', `${address} is ${user.status}: a coordinator reinstates it first`);
			} else if (user.role === 'coordinator') {
				outcome = 'already';
			} else {
				await updateUser(trx, user.id, { role: 'coordinator', updated_at: now });
				await insertAudit(trx, { actor_id: null, action: 'role.changed', subject_type: 'user', subject_id: String(user.id), data: { from: user.role, to: 'coordinator', ...BY }, created_at: now });
				outcome = 'promoted';
			}
			return { ...(await this.#link(trx, user)), outcome };
		});
	}

	async #link(trx: Transaction<Database>, user: UserRow): Promise<OperatorLink> {
		const now = this.clock();
		const url = await issuePasswordLink(trx, user.id, { origin: this.origin, now, ttlMs: OPERATOR_LINK_TTL_MS });
		await insertAudit(trx, { actor_id: null, action: 'account.password_link_issued', subject_type: 'user', subject_id: String(user.id), data: BY, created_at: now });
		return { url, name: user.display_name, email: user.email, expiresAt: now + OPERATOR_LINK_TTL_MS };
	}

	#address(email: string): string {
		const problem = checkEmail(email);
		if (problem) throw new DomainError('invalid_input', `"${email}" is not an email address`, { email: problem });
		return normaliseEmail(email);
	}
}
