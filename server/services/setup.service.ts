import type { Db } from '../db/client.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import { emailTaken, findUserById, insertUser } from '../db/repositories/user.repository.js';
import {
	consumeSetupLink,
	findNetworkSetup,
	findSetupLink,
	finishNetworkSetup,
	hasActiveCoordinator,
	insertSetupLink,
	setupCounts,
	startNetworkSetup,
	voidSetupLinks
} from '../db/repositories/setup.repository.js';
import { oneTimeLink } from '../domain/one-time-links.js';
import { hasRole, type Actor } from '../domain/permissions.js';
import { setupSteps, type SetupOverview } from '../domain/setup.js';
import { checkEmail, checkPassword, checkText, collect, normaliseEmail } from '../domain/validation.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { isLocale } from '../../src/lib/shared/types.js';
import { sessionIdOf, type AuthService, type Authenticated } from './auth.service.js';
import { hashPassword } from './passwords.js';
import { newLinkToken } from './password-links.js';
import type { RateLimits } from './rate-limits.js';

/** A setup link is handed from the server's console to a person, like the command line's password links: a day. */
export const SETUP_LINK_TTL_MS = 24 * 60 * 60 * 1000;
/** Longer than any token this server makes (43 characters): not looked up at all. */
const MAX_TOKEN = 100;

/** The start-up lines that hand the operator a setup link. */
export function setupLinkLines({ url, expiresAt }: { url: string; expiresAt: number }): string[] {
	return [
		'This network has no coordinator yet. Open this link to create the first one; it works once, until',
		`${new Date(expiresAt).toISOString()}, and each start prints a new one while no coordinator exists:`,
		`  ${url}`
	];
}

export interface FirstCoordinatorInput {
	name: string;
	email: string;
	/** The password, and its confirmation (named as on every page that sets a password). */
	next: string;
	confirm: string;
	locale: string;
}

export interface RequestMeta {
	ip: string;
	userAgent?: string | null;
	previousToken?: string | null;
}

/**
 * The first start of a network: while no active coordinator exists, each start prints a one-time link
 * (`linkAtStart`) with which a person makes the first coordinator (`createFirstCoordinator`); once one exists the
 * way is closed. Then the day-one setup the coordinators walk through (`overview`, `finish`).
 *
 * Refusals: the way closed (a coordinator exists) is `not_found`; a link that cannot be used — never printed, used,
 * voided by a newer one, or expired — is `gone`, counted against the address (`setupLinkFailuresPerIp`).
 */
export class SetupService {
	constructor(
		private readonly db: Db,
		private readonly auth: AuthService,
		private readonly limits: RateLimits,
		private readonly mailConfigured: boolean,
		private readonly clock: () => number = Date.now
	) {}

	/**
	 * At start, while no active coordinator exists: voids every earlier setup link and makes a new one, valid for a
	 * day; null when a coordinator exists. Only the token's hash is stored; the link is for the start-up lines.
	 */
	async linkAtStart(origin: string): Promise<{ url: string; expiresAt: number } | null> {
		const token = newLinkToken();
		return this.db.transaction().execute(async (trx) => {
			if (await hasActiveCoordinator(trx)) return null;
			const now = this.clock();
			await voidSetupLinks(trx, now);
			await insertSetupLink(trx, { id: sessionIdOf(token), created_at: now, expires_at: now + SETUP_LINK_TTL_MS });
			await startNetworkSetup(trx, now);
			return { url: oneTimeLink(origin, 'setup', token), expiresAt: now + SETUP_LINK_TTL_MS };
		});
	}

	/** Throws unless the setup link can make the first coordinator now (see the class for the refusals). */
	async checkLink(token: string, meta: Pick<RequestMeta, 'ip'>): Promise<void> {
		await this.#usable(token, meta.ip);
	}

	/**
	 * Makes the first coordinator from a setup link: checked like a member's own account (the password rules of the
	 * join form and the password pages), created active, signed in, the link consumed and the act in the audit trail,
	 * all in one transaction. Of two submissions of one link only the first makes anyone: the link is consumed under
	 * the write lock, and the second finds it used.
	 */
	async createFirstCoordinator(token: string, input: FirstCoordinatorInput, meta: RequestMeta): Promise<Authenticated & { token: string }> {
		await this.#usable(token, meta.ip);
		const problems = collect({
			name: checkText(input.name, { max: 120 }),
			email: checkEmail(input.email),
			next: checkPassword(input.next, input.email),
			confirm: input.next === input.confirm ? null : 'password_mismatch',
			locale: isLocale(input.locale) ? null : 'choose_one'
		});
		if (!problems.email && (await emailTaken(this.db, input.email))) problems.email = 'email_taken';
		if (Object.keys(problems).length) throw new DomainError('invalid_input', 'the first coordinator has problems', problems);
		const passwordHash = await hashPassword(input.next);
		const id = sessionIdOf(token);
		return this.db.transaction().execute(async (trx) => {
			if (await emailTaken(trx, input.email)) throw new DomainError('invalid_input', 'email taken', { email: 'email_taken' });
			const now = this.clock();
			const userId = await insertUser(trx, {
				email: normaliseEmail(input.email),
				password_hash: passwordHash,
				display_name: input.name.trim(),
				role: 'coordinator',
				status: 'active',
				locale: isLocale(input.locale) ? input.locale : 'sq',
				city: null,
				bio: null,
				created_at: now,
				updated_at: now,
				last_digest_at: null
			});
			// The guard against a second submission of the same link: whichever comes second finds it used.
			if (!(await consumeSetupLink(trx, id, userId, now))) throw new DomainError('gone', 'setup link used or expired');
			await insertAudit(trx, {
				actor_id: userId,
				action: 'setup.first_coordinator',
				subject_type: 'user',
				subject_id: String(userId),
				data: { role: 'coordinator', by: 'setup link' },
				created_at: now
			});
			const user = (await findUserById(trx, userId))!;
			return this.auth.openSession(trx, user, meta);
		});
	}

	/** The day-one steps with what the data says of each, for the wizard's welcome page. */
	async overview(auth: Authenticated | null): Promise<SetupOverview> {
		this.#coordinator(auth);
		const [counts, setup] = await Promise.all([setupCounts(this.db), findNetworkSetup(this.db)]);
		return {
			steps: setupSteps(counts, { mailConfigured: this.mailConfigured }),
			pendingApplications: counts.pendingApplications,
			mailConfigured: this.mailConfigured,
			finished: setup?.finished_at != null,
			offered: !!setup && setup.finished_at == null
		};
	}

	/** Whether /coordination offers "Set up the network": a setup began (a link was printed) and is not finished. */
	async offered(auth: Authenticated | null): Promise<boolean> {
		this.#coordinator(auth);
		const setup = await findNetworkSetup(this.db);
		return !!setup && setup.finished_at == null;
	}

	/** A coordinator ends the day-one setup; /coordination stops offering it. Finishing twice changes nothing. */
	async finish(auth: Authenticated | null): Promise<void> {
		const me = this.#coordinator(auth);
		await this.db.transaction().execute(async (trx) => {
			const now = this.clock();
			await startNetworkSetup(trx, now);
			if (await finishNetworkSetup(trx, me.id, now)) {
				await insertAudit(trx, { actor_id: me.id, action: 'setup.finished', subject_type: 'network', subject_id: '1', created_at: now });
			}
		});
	}

	async #usable(token: string, ip: string): Promise<void> {
		// A try holds a failure until the link proves valid: guesses sent together meet the limit too.
		const failure = await this.limits.reserve(['setupLinkFailuresPerIp', ip]);
		if (await hasActiveCoordinator(this.db)) {
			await failure.release();
			throw new DomainError('not_found', 'the network has a coordinator');
		}
		const link = token.length <= MAX_TOKEN ? await findSetupLink(this.db, sessionIdOf(token)) : undefined;
		if (!link || link.used_at !== null || link.expires_at <= this.clock()) throw new DomainError('gone', 'setup link not valid');
		await failure.release();
	}

	#coordinator(auth: Authenticated | null): Actor {
		if (!auth) throw new DomainError('unauthenticated');
		if (!hasRole(auth.actor, 'coordinator')) throw new DomainError('forbidden');
		return auth.actor;
	}
}
