import type { Kysely, Transaction } from 'kysely';
import type { Database, GroupRow } from '../database.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** The fields a member, an organisation or a draft can choose now: neither archived nor merged, in order. */
export function listFieldSlugs(db: Conn): Promise<{ id: number; slug: string }[]> {
	return db.selectFrom('fields_of_action').select(['id', 'slug']).where('archived_at', 'is', null).where('merged_into', 'is', null).orderBy('position').execute();
}

export interface GroupSummaryRow extends GroupRow {
	member_count: number;
}

/** Groups with their member counts; archived ones only when asked for. */
export function listGroupsWithCounts(db: Conn, { includeArchived = false } = {}): Promise<GroupSummaryRow[]> {
	return db
		.selectFrom('groups')
		.selectAll('groups')
		.$if(!includeArchived, (q) => q.where('groups.archived_at', 'is', null))
		.select((eb) =>
			eb
				.selectFrom('group_members')
				.whereRef('group_members.group_id', '=', 'groups.id')
				.select((e) => e.fn.countAll<number>().as('n'))
				.as('member_count')
		)
		.orderBy('groups.id')
		.execute() as Promise<GroupSummaryRow[]>;
}

export interface NetworkCounts {
	members: number;
	organisations: number;
	groups: number;
}

export async function countNetwork(db: Conn): Promise<NetworkCounts> {
	const row = await db
		.selectNoFrom((eb) => [
			eb.selectFrom('users').where('status', '=', 'active').select(eb.fn.countAll<number>().as('n')).as('members'),
			eb.selectFrom('organisations').select(eb.fn.countAll<number>().as('n')).as('organisations'),
			eb.selectFrom('groups').where('archived_at', 'is', null).select(eb.fn.countAll<number>().as('n')).as('groups')
		])
		.executeTakeFirstOrThrow();
	return { members: Number(row.members), organisations: Number(row.organisations), groups: Number(row.groups) };
}
