import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** What the audit trail names, by the keys its entries store. */
export interface AuditSubjectKeys {
	users: number[];
	groups: string[];
	organisations: string[];
	fieldIds: number[];
	fieldSlugs: string[];
	votes: number[];
	meetings: number[];
	drafts: number[];
}

/**
 * The names behind an audit page's ids and slugs, each kind in one query. A deleted account keeps its row with its
 * status (its name is gone from view: the trail says "former member").
 */
export async function auditSubjectNames(db: Conn, keys: AuditSubjectKeys) {
	const none = Promise.resolve([]);
	const [users, groups, organisations, fields, votes, meetings, drafts] = await Promise.all([
		keys.users.length ? db.selectFrom('users').select(['id', 'display_name', 'status']).where('id', 'in', keys.users).execute() : none,
		keys.groups.length ? db.selectFrom('groups').select(['slug', 'name']).where('slug', 'in', keys.groups).execute() : none,
		keys.organisations.length ? db.selectFrom('organisations').select(['slug', 'name']).where('slug', 'in', keys.organisations).execute() : none,
		keys.fieldIds.length || keys.fieldSlugs.length
			? db
					.selectFrom('fields_of_action')
					.select(['id', 'slug', 'name', 'merged_into'])
					.where((eb) => eb.or([...(keys.fieldIds.length ? [eb('id', 'in', keys.fieldIds)] : []), ...(keys.fieldSlugs.length ? [eb('slug', 'in', keys.fieldSlugs)] : [])]))
					.execute()
			: none,
		keys.votes.length ? db.selectFrom('votes').select(['id', 'title']).where('id', 'in', keys.votes).execute() : none,
		keys.meetings.length ? db.selectFrom('meetings').select(['id', 'title']).where('id', 'in', keys.meetings).execute() : none,
		keys.drafts.length ? db.selectFrom('drafts').select(['id', 'title']).where('id', 'in', keys.drafts).execute() : none
	]);
	return { users, groups, organisations, fields, votes, meetings, drafts };
}
