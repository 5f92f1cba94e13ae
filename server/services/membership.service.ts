import type { Db } from '../db/client.js';
import {
	decideJoinRequest,
	findJoinRequest,
	insertAudit,
	insertJoinRequest,
	latestJoinRequestOf,
	listJoinRequests
} from '../db/repositories/membership.repository.js';
import { addRepresentative, insertOrganisation, setOrganisationFields, slugTaken } from '../db/repositories/organisation.repository.js';
import { emailTaken, fieldIdsBySlug, insertUser, setUserFields, updateUser } from '../db/repositories/user.repository.js';
import { listFieldSlugs } from '../db/repositories/network.repository.js';
import { hasRole, type Actor } from '../domain/permissions.js';
import { checkEmail, checkPassword, checkText, checkUrl, collect, normaliseEmail, slugify } from '../domain/validation.js';
import type { EventBus } from '../events/bus.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { isLocale, type Locale } from '../../src/lib/shared/types.js';
import type { Authenticated } from './auth.service.js';
import type { MailService } from './mail.service.js';
import { hashPassword } from './passwords.js';
import type { RateLimitName, RateLimits } from './rate-limits.js';

export interface JoinInput {
	kind: string;
	name: string;
	email: string;
	password: string;
	city: string;
	fields: string[];
	motivation: string;
	organisationName: string;
	organisationWebsite: string;
	locale: string;
}

export interface JoinRequestView {
	id: number;
	kind: 'individual' | 'organisation';
	applicant: { id: number; name: string; email: string };
	organisationName: string | null;
	organisationWebsite: string | null;
	city: string;
	fields: string[];
	motivation: string;
	status: 'pending' | 'approved' | 'rejected';
	reason: string | null;
	createdAt: number;
	reviewedAt: number | null;
}

const parseFields = (json: string): string[] => {
	try {
		const v = JSON.parse(json);
		return Array.isArray(v) ? v.filter((s) => typeof s === 'string') : [];
	} catch {
		return [];
	}
};

/** Applying to the network and the coordinators' review of applications. */
export class MembershipService {
	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		private readonly mail: MailService,
		private readonly limits: RateLimits,
		private readonly origin: () => string,
		private readonly clock: () => number = Date.now
	) {}

	/**
	 * Anyone may apply. The applicant gets an account in the `applicant` state: they can sign in to follow their
	 * application and see nothing else until a coordinator approves it.
	 *
	 * The limits count abuse, not typos: a form sent back for its fields costs nothing and counts nothing; an
	 * application made, or refused because the email already has an account (which tells whether it has one), counts
	 * against the address and the email.
	 */
	async apply(input: JoinInput, meta: { ip: string }): Promise<{ requestId: number; userId: number }> {
		const counted: [RateLimitName, string][] = [
			['joinPerIp', meta.ip],
			['joinPerEmail', normaliseEmail(input.email).slice(0, 320)]
		];
		// The application holds its count from the start (two sent together cannot both pass a check made before
		// either counted); a form sent back for its fields gives it back, an email already taken keeps it.
		const application = await this.limits.reserve(...counted);
		try {
			return await this.#apply(input);
		} catch (error) {
			if (!(error instanceof DomainError && error.fields?.email === 'email_taken')) await application.release();
			throw error;
		}
	}

	async #apply(input: JoinInput): Promise<{ requestId: number; userId: number }> {
		const kind = input.kind === 'organisation' ? 'organisation' : input.kind === 'individual' ? 'individual' : null;
		const known = new Set((await listFieldSlugs(this.db)).map((f) => f.slug));
		const fields = [...new Set(input.fields)].filter((f) => known.has(f));
		const problems = collect({
			kind: kind ? null : 'choose_one',
			name: checkText(input.name, { max: 120 }),
			email: checkEmail(input.email),
			password: checkPassword(input.password, input.email),
			city: checkText(input.city, { max: 80 }),
			fields: fields.length ? null : 'choose_one',
			motivation: checkText(input.motivation, { min: 20, max: 2000 }),
			organisationName: kind === 'organisation' ? checkText(input.organisationName, { max: 160 }) : null,
			organisationWebsite: kind === 'organisation' ? checkUrl(input.organisationWebsite) : null
		});
		if (!problems.email && (await emailTaken(this.db, input.email))) problems.email = 'email_taken';
		if (Object.keys(problems).length) throw new DomainError('invalid_input', 'the application has problems', problems);

		const locale: Locale = isLocale(input.locale) ? input.locale : 'sq';
		const passwordHash = await hashPassword(input.password);
		const now = this.clock();
		const result = await this.db.transaction().execute(async (trx) => {
			// Checked again inside the write lock: two simultaneous applications with one email make one account.
			if (await emailTaken(trx, input.email)) throw new DomainError('invalid_input', 'email taken', { email: 'email_taken' });
			const userId = await insertUser(trx, {
				email: normaliseEmail(input.email),
				password_hash: passwordHash,
				display_name: input.name.trim(),
				role: 'member',
				status: 'applicant',
				locale,
				city: input.city.trim(),
				bio: null,
				created_at: now,
				updated_at: now
			});
			await setUserFields(trx, userId, await fieldIdsBySlug(trx, fields));
			const requestId = await insertJoinRequest(trx, {
				user_id: userId,
				kind: kind!,
				organisation_name: kind === 'organisation' ? input.organisationName.trim() : null,
				organisation_website: kind === 'organisation' ? input.organisationWebsite.trim() || null : null,
				city: input.city.trim(),
				fields: JSON.stringify(fields),
				motivation: input.motivation.trim(),
				created_at: now
			});
			await this.mail.queue(trx, { email: normaliseEmail(input.email), locale }, { kind: 'join_received', name: input.name.trim() });
			return { requestId, userId };
		});
		this.bus.emit('mail.queued', {});
		this.bus.emit('join.requested', { requestId: result.requestId });
		return result;
	}

	/** An applicant's own application, to show them where it stands. */
	async myApplication(auth: Authenticated | null): Promise<JoinRequestView | null> {
		if (!auth) throw new DomainError('unauthenticated');
		const row = await latestJoinRequestOf(this.db, auth.actor.id);
		return row ? this.#view({ ...row, display_name: auth.viewer.displayName, email: auth.viewer.email }) : null;
	}

	async queue(auth: Authenticated | null, status: 'pending' | 'approved' | 'rejected' = 'pending'): Promise<JoinRequestView[]> {
		this.#requireCoordinator(auth);
		return (await listJoinRequests(this.db, status)).map((r) => this.#view(r));
	}

	/** Approves an application: the account becomes a member; an organisation is created with them as representative. */
	async approve(auth: Authenticated | null, requestId: number): Promise<void> {
		const coordinator = this.#requireCoordinator(auth);
		const now = this.clock();
		await this.db.transaction().execute(async (trx) => {
			const request = await findJoinRequest(trx, requestId);
			if (!request) throw new DomainError('not_found', 'no such application');
			if (request.status !== 'pending') throw new DomainError('conflict', 'already decided');
			let organisationId: number | null = null;
			if (request.kind === 'organisation' && request.organisation_name) {
				let slug = slugify(request.organisation_name);
				for (let n = 2; await slugTaken(trx, slug); n++) slug = `${slugify(request.organisation_name)}-${n}`;
				organisationId = await insertOrganisation(trx, {
					slug,
					name: request.organisation_name,
					description: '',
					city: request.city,
					website: request.organisation_website,
					created_at: now
				});
				await setOrganisationFields(trx, organisationId, await fieldIdsBySlug(trx, parseFields(request.fields)));
				await addRepresentative(trx, organisationId, request.user_id, now);
			}
			await decideJoinRequest(trx, requestId, { status: 'approved', reason: null, reviewed_by: coordinator.id, reviewed_at: now, organisation_id: organisationId });
			await updateUser(trx, request.user_id, { status: 'active', updated_at: now });
			await insertAudit(trx, { actor_id: coordinator.id, action: 'join.approved', subject_type: 'user', subject_id: String(request.user_id), data: { requestId, organisationId }, created_at: now });
			await this.mail.queue(trx, { email: request.email, locale: request.locale }, { kind: 'join_approved', name: request.display_name, url: `${this.origin()}/login` });
		});
		this.bus.emit('mail.queued', {});
	}

	async reject(auth: Authenticated | null, requestId: number, reason: string): Promise<void> {
		const coordinator = this.#requireCoordinator(auth);
		const problem = checkText(reason, { min: 3, max: 1000 });
		if (problem) throw new DomainError('invalid_input', 'a reason is required', { reason: problem });
		const now = this.clock();
		await this.db.transaction().execute(async (trx) => {
			const request = await findJoinRequest(trx, requestId);
			if (!request) throw new DomainError('not_found', 'no such application');
			if (request.status !== 'pending') throw new DomainError('conflict', 'already decided');
			await decideJoinRequest(trx, requestId, { status: 'rejected', reason: reason.trim(), reviewed_by: coordinator.id, reviewed_at: now, organisation_id: null });
			await insertAudit(trx, { actor_id: coordinator.id, action: 'join.rejected', subject_type: 'user', subject_id: String(request.user_id), data: { requestId }, created_at: now });
			await this.mail.queue(trx, { email: request.email, locale: request.locale }, { kind: 'join_rejected', name: request.display_name, reason: reason.trim() });
		});
		this.bus.emit('mail.queued', {});
	}

	#requireCoordinator(auth: Authenticated | null): Actor {
		if (!auth) throw new DomainError('unauthenticated');
		if (!hasRole(auth.actor, 'coordinator')) throw new DomainError('forbidden');
		return auth.actor;
	}

	#view(r: import('../db/database.js').JoinRequestRow & { display_name: string; email: string }): JoinRequestView {
		return {
			id: r.id,
			kind: r.kind,
			applicant: { id: r.user_id, name: r.display_name, email: r.email },
			organisationName: r.organisation_name,
			organisationWebsite: r.organisation_website,
			city: r.city,
			fields: parseFields(r.fields),
			motivation: r.motivation,
			status: r.status,
			reason: r.reason,
			createdAt: r.created_at,
			reviewedAt: r.reviewed_at
		};
	}
}
