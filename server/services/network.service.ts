import type { Db } from '../db/client.js';
import { countNetwork, listFieldSlugs, listGroupsWithCounts } from '../db/repositories/network.repository.js';
import { listActiveMembers } from '../db/repositories/user.repository.js';
import { isActiveMember } from '../domain/permissions.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { GroupKind, Role } from '../../src/lib/shared/types.js';
import type { Authenticated } from './auth.service.js';

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
	constructor(private readonly db: Db) {}

	/** What anyone, signed in or not, may see of the network: its fields of action, groups and size. */
	async publicOverview(): Promise<PublicOverview> {
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
				description: g.description,
				memberCount: Number(g.member_count)
			})),
			counts
		};
	}

	/** The member directory is for members only. */
	async directory(auth: Authenticated | null): Promise<DirectoryEntry[]> {
		if (!auth) throw new DomainError('unauthenticated');
		if (!isActiveMember(auth.actor)) throw new DomainError('forbidden');
		const rows = await listActiveMembers(this.db);
		return rows.map((r) => ({
			id: r.id,
			displayName: r.display_name,
			city: r.city,
			role: r.role,
			organisations: r.organisations ? r.organisations.split('\u001f') : []
		}));
	}
}
