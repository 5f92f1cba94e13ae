import type { Db } from '../db/client.js';
import { countNetwork, listFieldSlugs, listGroupsWithCounts } from '../db/repositories/network.repository.js';
import {
	findUserById,
	groupsOfUser,
	activeMemberNames,
	listActiveMembers,
	memberCities,
	organisationsOfUser,
	userFieldSlugs,
	type DirectoryFilter
} from '../db/repositories/user.repository.js';
import { listOrganisations } from '../db/repositories/organisation.repository.js';
import { hasRole, isActiveMember } from '../domain/permissions.js';
import { nameKey, nameMatch } from '../domain/name-match.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { localized, parseLocalized } from '../../src/lib/shared/localized.js';
import type { GroupKind, Locale, Role, UserStatus } from '../../src/lib/shared/types.js';
import type { Authenticated } from './auth.service.js';
import type { RateLimits } from './rate-limits.js';

/** The most people an @mention suggestion lists. */
export const SUGGESTIONS = 8;

export interface GroupSummary {
	slug: string;
	name: string;
	kind: GroupKind;
	city: string | null;
	description: string;
	memberCount: number;
}

export interface PublicOverview {
	fields: string[];
	groups: GroupSummary[];
	counts: { members: number; organisations: number; groups: number };
}

export interface DirectoryEntry {
	id: number;
	displayName: string;
	city: string | null;
	role: Role;
	organisations: string[];
}

export class NetworkService {
	constructor(
		private readonly db: Db,
		/** The network's primary language: a group's description not written in the reader's language is shown in it. */
		private readonly primaryLocale: () => Locale,
		private readonly limits: RateLimits
	) {}

	/**
	 * What anyone, signed in or not, may see of the network: its fields of action, groups open for joining (archived
	 * ones are left out) with descriptions in `locale`, and its size.
	 */
	async publicOverview(locale: Locale): Promise<PublicOverview> {
		const [fields, groups, counts] = await Promise.all([
			listFieldSlugs(this.db),
			listGroupsWithCounts(this.db),
			countNetwork(this.db)
		]);
		return {
			fields: fields.map((f) => f.slug),
			groups: groups.map((g) => ({
				slug: g.slug,
				name: g.name,
				kind: g.kind,
				city: g.city,
				description: localized(parseLocalized(g.description), locale, this.primaryLocale()),
				memberCount: Number(g.member_count)
			})),
			counts
		};
	}

	/** The member directory is for members only. */
	async directory(auth: Authenticated | null, filter: DirectoryFilter = {}): Promise<DirectoryEntry[]> {
		this.#requireMember(auth);
		const clean = Object.fromEntries(
			Object.entries(filter).map(([k, v]) => [k, typeof v === 'string' ? v.trim().slice(0, 100) : undefined]).filter(([, v]) => v)
		) as DirectoryFilter;
		const rows = await listActiveMembers(this.db, clean);
		return rows.map((r) => ({
			id: r.id,
			displayName: r.display_name,
			city: r.city,
			role: r.role,
			organisations: r.organisations ? r.organisations.split('\u001f') : []
		}));
	}

	/**
	 * Up to SUGGESTIONS active members for @mention autocomplete: those whose name starts with `q` first, then those
	 * with a later word of the name starting with it, then those whose email's local part does; in Latin or Greek
	 * letters alike (name-match.ts). Only ids and names leave: an email is matched, never returned.
	 */
	async suggest(auth: Authenticated | null, q: string): Promise<{ id: number; name: string }[]> {
		this.#requireMember(auth);
		await this.limits.take(['suggestionsPerMember', String(auth!.actor.id)]);
		const key = nameKey(q.slice(0, 60));
		if (!key) return [];
		const found: { id: number; name: string; rank: number }[] = [];
		for (const r of await activeMemberNames(this.db)) {
			const rank = nameMatch(key, r.display_name, r.email.slice(0, r.email.indexOf('@')));
			if (rank !== null) found.push({ id: r.id, name: r.display_name, rank });
		}
		return found
			.sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name))
			.slice(0, SUGGESTIONS)
			.map(({ id, name }) => ({ id, name }));
	}

	/** The choices offered by the directory's filters. */
	async directoryFilters(auth: Authenticated | null) {
		this.#requireMember(auth);
		const [fields, cities, groups, organisations] = await Promise.all([
			listFieldSlugs(this.db),
			memberCities(this.db),
			listGroupsWithCounts(this.db, { includeArchived: true }),
			listOrganisations(this.db)
		]);
		return {
			fields: fields.map((f) => f.slug),
			cities,
			groups: groups.map((g) => ({ slug: g.slug, name: g.name })),
			organisations: organisations.map((o) => ({ slug: o.slug, name: o.name }))
		};
	}

	/** A member's profile as other members see it: the email only when the member chose to show it. */
	async profile(auth: Authenticated | null, userId: number): Promise<MemberProfile> {
		this.#requireMember(auth);
		const user = await findUserById(this.db, userId);
		if (!user || (user.status !== 'active' && !hasRole(auth!.actor, 'coordinator'))) throw new DomainError('not_found');
		if (user.status === 'deleted' || user.status === 'applicant') throw new DomainError('not_found');
		const [fields, organisations, groups] = await Promise.all([
			userFieldSlugs(this.db, user.id),
			organisationsOfUser(this.db, user.id),
			groupsOfUser(this.db, user.id)
		]);
		return {
			id: user.id,
			displayName: user.display_name,
			city: user.city,
			bio: user.bio,
			role: user.role,
			status: user.status,
			email: user.show_email === 1 || user.id === auth!.actor.id ? user.email : null,
			fields: fields.map((f) => f.slug),
			organisations: organisations.map((o) => ({ slug: o.slug, name: o.name })),
			groups: groups.map((g) => ({ slug: g.slug, name: g.name, facilitator: g.role === 'facilitator' })),
			memberSince: user.created_at
		};
	}

	#requireMember(auth: Authenticated | null): void {
		if (!auth) throw new DomainError('unauthenticated');
		if (!isActiveMember(auth.actor)) throw new DomainError('forbidden');
	}
}

export interface MemberProfile {
	id: number;
	displayName: string;
	city: string | null;
	bio: string | null;
	role: Role;
	status: UserStatus;
	email: string | null;
	fields: string[];
	organisations: { slug: string; name: string }[];
	groups: { slug: string; name: string; facilitator: boolean }[];
	memberSince: number;
}
