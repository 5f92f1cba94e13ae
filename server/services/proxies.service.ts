import type { Db } from '../db/client.js';
import * as repo from '../db/repositories/proxy.repository.js';
import { findVote } from '../db/repositories/vote.repository.js';
import { findMeeting } from '../db/repositories/meeting.repository.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import { insertVoteNotice } from '../db/repositories/notification.repository.js';
import { proxyProblem, validProxyCap } from '../domain/proxies.js';
import { hasRole, isActiveMember } from '../domain/permissions.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logger.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { unitParts } from '../../src/lib/shared/votes.js';
import type { Authenticated } from './auth.service.js';
import type { MailService } from './mail.service.js';
import type { Locale } from '../../src/lib/shared/types.js';
import type { ProxiesView } from '../../src/lib/shared/proxies.js';

export type { ProxyScope, ProxiesView } from '../../src/lib/shared/proxies.js';

/** The most members offered as holders on one page (a body larger than this is picked from its first by name). */
export const MAX_PROXY_CANDIDATES = 2000;

/**
 * Proxies (server/domain/proxies.ts has the rules): giving and revoking them, the cap coordinators set, and telling a
 * giver after closing that their proxy was used (never how). Giving and revoking are in the audit trail, with who gave
 * and who holds; choices never are. Casting with a proxy is the votes service's (`proxyFor`), on the proxies frozen
 * at the vote's opening.
 */
export class ProxiesService {
	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		private readonly mail: MailService,
		private readonly logger: Logger,
		private readonly origin: () => string,
		private readonly clock: () => number = Date.now
	) {
		// Every node hears a close; each giver is told once (claimed in the database).
		bus.on('vote.closed', ({ voteId }) => void this.#tellGivers(voteId).catch((error: unknown) => this.logger.error('telling proxy givers failed', { voteId, error })));
	}

	/** A scope's body and whether proxies can still be given or revoked there. */
	async #scope(scope: repo.ProxyScope): Promise<{ groupId: number | null; open: boolean; organisations: boolean }> {
		if ('voteId' in scope) {
			const v = Number.isSafeInteger(scope.voteId) ? await findVote(this.db, scope.voteId) : undefined;
			if (!v) throw new DomainError('not_found');
			return { groupId: v.groupId, open: v.status === 'scheduled', organisations: v.eligibility === 'organisations' };
		}
		const m = Number.isSafeInteger(scope.meetingId) ? await findMeeting(this.db, scope.meetingId) : undefined;
		if (!m) throw new DomainError('not_found');
		return { groupId: m.group_id, open: m.status !== 'ended', organisations: false };
	}

	async view(auth: Authenticated | null, scope: repo.ProxyScope): Promise<ProxiesView> {
		if (!auth || !isActiveMember(auth.actor)) throw new DomainError(auth ? 'forbidden' : 'unauthenticated');
		const me = auth.actor.id;
		const body = await this.#scope(scope);
		const [all, cap, eligible, members] = await Promise.all([
			repo.proxiesIn(this.db, scope),
			repo.proxyCap(this.db),
			repo.inBody(this.db, body.groupId, me),
			repo.bodyMembers(this.db, body.groupId, MAX_PROXY_CANDIDATES + 1)
		]);
		const mine = all.find((p) => p.giverId === me);
		return {
			given: mine ? { id: mine.id, holder: mine.holder } : null,
			held: all.filter((p) => p.holderId === me).map((p) => ({ id: p.id, giver: p.giver })),
			cap,
			open: body.open,
			eligible,
			organisations: body.organisations,
			candidates: members.filter((p) => p.id !== me).slice(0, MAX_PROXY_CANDIDATES)
		};
	}

	/**
	 * Whether the actor votes in a meeting or a vote, and so has a proxy to give there (the live room offers it to
	 * those not checked in; the room's state says who gave and who holds).
	 */
	async mayGive(auth: Authenticated | null, scope: repo.ProxyScope): Promise<boolean> {
		if (!auth || !isActiveMember(auth.actor)) return false;
		const body = await this.#scope(scope);
		return body.open && !body.organisations && (await repo.inBody(this.db, body.groupId, auth.actor.id));
	}

	/** Gives the actor's proxy to `holderId` for a meeting or a vote; refused with the rule it breaks (ProxyProblem). */
	async give(auth: Authenticated | null, scope: repo.ProxyScope, holderId: number): Promise<number> {
		if (!auth || !isActiveMember(auth.actor)) throw new DomainError(auth ? 'forbidden' : 'unauthenticated');
		const giverId = auth.actor.id;
		const body = await this.#scope(scope);
		const now = this.clock();
		// In one transaction with the checks, the scope held (repo.lockScope): two proxies given at once, to one holder
		// or in a chain, are checked one after the other. Under PostgreSQL's READ COMMITTED the re-count after insert
		// alone let two gives to one holder both pass the cap, each seeing only its own insert.
		const id = await this.db.transaction().execute(async (trx) => {
			await repo.lockScope(trx, scope);
			const all = await repo.proxiesIn(trx, scope);
			const facts = {
				giverId,
				holderId,
				open: body.open,
				organisations: body.organisations,
				giverEligible: await repo.inBody(trx, body.groupId, giverId),
				holderEligible: Number.isSafeInteger(holderId) && (await repo.inBody(trx, body.groupId, holderId)),
				giverHolds: all.filter((p) => p.holderId === giverId).length,
				holderGave: all.some((p) => p.giverId === holderId),
				alreadyGiven: all.some((p) => p.giverId === giverId),
				holderHolds: all.filter((p) => p.holderId === holderId).length,
				cap: await repo.proxyCap(trx)
			};
			const problem = proxyProblem(facts);
			if (problem) throw new DomainError(problem === 'proxy_closed' ? 'conflict' : 'invalid_input', problem, { holder: problem });
			const proxyId = await repo.insertProxy(trx, { giver_id: giverId, holder_id: holderId, meeting_id: 'meetingId' in scope ? scope.meetingId : null, vote_id: 'voteId' in scope ? scope.voteId : null, created_at: now });
			const held = (await repo.proxiesIn(trx, scope)).filter((p) => p.holderId === holderId).length;
			if (held > facts.cap) throw new DomainError('invalid_input', 'proxy_cap_reached', { holder: 'proxy_cap_reached' });
			await insertAudit(trx, { actor_id: giverId, action: 'proxy.given', ...this.#subject(scope), data: { userId: holderId }, created_at: now });
			return proxyId;
		});
		this.#changed(scope);
		return id;
	}

	/** Revokes a proxy the actor gave, while its vote has not opened (its meeting has not ended). */
	async revoke(auth: Authenticated | null, id: number): Promise<void> {
		if (!auth || !isActiveMember(auth.actor)) throw new DomainError(auth ? 'forbidden' : 'unauthenticated');
		const p = Number.isSafeInteger(id) ? await repo.findProxy(this.db, id) : undefined;
		if (!p || p.giver_id !== auth.actor.id) throw new DomainError('not_found');
		const scope: repo.ProxyScope = p.vote_id !== null ? { voteId: p.vote_id } : { meetingId: p.meeting_id! };
		if (!(await this.#scope(scope)).open) throw new DomainError('conflict', 'proxy_closed');
		await this.db.transaction().execute(async (trx) => {
			if (!(await repo.deleteProxy(trx, id))) throw new DomainError('not_found');
			await insertAudit(trx, { actor_id: auth.actor.id, action: 'proxy.revoked', ...this.#subject(scope), data: { userId: p.holder_id }, created_at: this.clock() });
		});
		this.#changed(scope);
	}

	/** A meeting's proxies count on its live room's meter ("represented"): the room is sent again. */
	#changed(scope: repo.ProxyScope) {
		if ('meetingId' in scope) this.bus.emit('meeting.changed', { meetingId: scope.meetingId });
	}

	#subject(scope: repo.ProxyScope) {
		return 'voteId' in scope ? { subject_type: 'vote', subject_id: String(scope.voteId) } : { subject_type: 'meeting', subject_id: String(scope.meetingId) };
	}

	/** The cap, as coordinators read it to change it. */
	async cap(auth: Authenticated | null): Promise<number> {
		if (!auth || !hasRole(auth.actor, 'coordinator')) throw new DomainError(auth ? 'forbidden' : 'unauthenticated');
		return repo.proxyCap(this.db);
	}

	/** Coordinators set how many proxies one member may hold. */
	async setCap(auth: Authenticated | null, cap: number): Promise<void> {
		if (!auth || !hasRole(auth.actor, 'coordinator')) throw new DomainError(auth ? 'forbidden' : 'unauthenticated');
		if (!validProxyCap(cap)) throw new DomainError('invalid_input', 'proxy cap', { proxyCap: 'proxy_cap_invalid' });
		if (!(await repo.setProxyCap(this.db, cap))) throw new DomainError('conflict', 'proxy_cap_no_profile');
	}

	/** After closing: each giver whose proxy was used is told so by mail and on the bell (never what was chosen), once. */
	async #tellGivers(voteId: number): Promise<void> {
		const used = await repo.usedProxies(this.db, voteId);
		if (!used.length) return;
		const vote = await findVote(this.db, voteId);
		if (!vote) return;
		const givers = used.map((u) => unitParts(u.giver_unit)?.id ?? -1);
		const people = new Map((await repo.mailPeople(this.db, [...givers, ...used.map((u) => u.holder_id)])).map((p) => [p.id, p]));
		let queued = 0;
		const told: number[] = [];
		for (const u of used) {
			const giver = people.get(unitParts(u.giver_unit)?.id ?? -1);
			const holder = people.get(u.holder_id);
			if (!giver || !holder || giver.status !== 'active') continue;
			await this.db.transaction().execute(async (trx) => {
				if (!(await repo.claimTelling(trx, voteId, u.giver_unit))) return;
				await this.mail.queue(trx, { email: giver.email, locale: giver.locale as Locale }, { kind: 'proxy_used', name: giver.display_name, holder: holder.display_name, title: vote.title, url: `${this.origin()}/votes/${voteId}` });
				queued++;
				if (!giver.notify_in_app) return;
				await insertVoteNotice(trx, { user_id: giver.id, kind: 'proxy_used', actor_id: holder.id, vote_id: voteId, created_at: this.clock() });
				told.push(giver.id);
			});
		}
		if (queued) this.bus.emit('mail.queued', {});
		for (const userId of told) this.bus.emit('notification.created', { userId });
	}
}
