import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.js';
import { dialectOf } from '../dialect/index.js';
import { shownName } from '../../domain/people.js';
import { DEFAULT_PROXY_CAP } from '../../domain/proxies.js';
import type { ProxyScope } from '../../../src/lib/shared/proxies.js';

export type { ProxyScope };

type Conn = Kysely<Database> | Transaction<Database>;

/**
 * Holds the proxies of one meeting or vote for this transaction: on PostgreSQL a lock on the scope's row, so two
 * proxies given at once (to one holder past the cap, or A to B and B to C, a chain) are checked one after the other;
 * SQLite's write transactions already run one at a time.
 */
export async function lockScope(trx: Transaction<Database>, scope: ProxyScope): Promise<void> {
	if (dialectOf(trx) !== 'postgres') return;
	if ('meetingId' in scope) await trx.selectFrom('meetings').select('id').where('id', '=', scope.meetingId).forUpdate().execute();
	else await trx.selectFrom('votes').select('id').where('id', '=', scope.voteId).forUpdate().execute();
}

/** How many proxies one member may hold (the network's setting; the default while no profile is saved). */
export async function proxyCap(db: Conn): Promise<number> {
	const row = await db.selectFrom('network_profile').select('proxy_cap').where('id', '=', 1).executeTakeFirst();
	return row?.proxy_cap ?? DEFAULT_PROXY_CAP;
}

/** Sets the cap; false when the network has no profile row yet (it is made by the profile's first save). */
export async function setProxyCap(db: Conn, cap: number): Promise<boolean> {
	const r = await db.updateTable('network_profile').set({ proxy_cap: cap }).where('id', '=', 1).executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/** The proxies given in a scope, with both names. */
export async function proxiesIn(db: Conn, scope: ProxyScope) {
	const rows = await db
		.selectFrom('proxies as p')
		.innerJoin('users as g', 'g.id', 'p.giver_id')
		.innerJoin('users as h', 'h.id', 'p.holder_id')
		.select(['p.id', 'p.giver_id', 'p.holder_id', 'g.display_name as giver_name', 'g.status as giver_status', 'h.display_name as holder_name', 'h.status as holder_status'])
		.$if('meetingId' in scope, (q) => q.where('p.meeting_id', '=', (scope as { meetingId: number }).meetingId))
		.$if('voteId' in scope, (q) => q.where('p.vote_id', '=', (scope as { voteId: number }).voteId))
		.orderBy('p.id')
		.execute();
	return rows.map((r) => ({ id: r.id, giverId: r.giver_id, holderId: r.holder_id, giver: shownName(r.giver_name, r.giver_status) ?? '', holder: shownName(r.holder_name, r.holder_status) ?? '' }));
}

export async function insertProxy(db: Conn, row: { giver_id: number; holder_id: number; meeting_id: number | null; vote_id: number | null; created_at: number }): Promise<number> {
	const r = await db.insertInto('proxies').values(row).returning('id').executeTakeFirstOrThrow();
	return r.id;
}

export function findProxy(db: Conn, id: number) {
	return db.selectFrom('proxies').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteProxy(db: Conn, id: number): Promise<boolean> {
	const r = await db.deleteFrom('proxies').where('id', '=', id).executeTakeFirst();
	return Number(r.numDeletedRows) === 1;
}

/** Whether a member is active and in a body (a group, or the whole network when `groupId` is null). */
export async function inBody(db: Conn, groupId: number | null, userId: number): Promise<boolean> {
	const u = await db.selectFrom('users').select('status').where('id', '=', userId).executeTakeFirst();
	if (u?.status !== 'active') return false;
	if (groupId === null) return true;
	return !!(await db.selectFrom('group_members').select('user_id').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst());
}

/** The active members of a body (a group, or the whole network when `groupId` is null) by name, up to `limit`. */
export async function bodyMembers(db: Conn, groupId: number | null, limit: number) {
	return db
		.selectFrom('users as u')
		.select(['u.id', 'u.display_name as name'])
		.where('u.status', '=', 'active')
		.$if(groupId !== null, (q) => q.where('u.id', 'in', (s) => s.selectFrom('group_members').select('user_id').where('group_id', '=', groupId!)))
		.orderBy('u.display_name')
		.orderBy('u.id')
		.limit(limit)
		.execute();
}

/** The proxies given for a vote or for its meeting, as the opening freezes them. */
export async function proxiesForOpening(db: Conn, voteId: number, meetingId: number | null) {
	return db
		.selectFrom('proxies as p')
		.innerJoin('users as g', 'g.id', 'p.giver_id')
		.select(['p.giver_id', 'p.holder_id', 'g.status'])
		.where((eb) => (meetingId === null ? eb('p.vote_id', '=', voteId) : eb.or([eb('p.vote_id', '=', voteId), eb('p.meeting_id', '=', meetingId)])))
		.orderBy('p.giver_id')
		.execute();
}

/** Freezes a vote's proxies at its opening, in key order (see the migration). */
export async function freezeProxies(db: Conn, voteId: number, frozen: { giverUnit: string; holderId: number }[]): Promise<void> {
	const rows = [...frozen].sort((a, b) => (a.giverUnit < b.giverUnit ? -1 : 1)).map((f) => ({ vote_id: voteId, giver_unit: f.giverUnit, holder_id: f.holderId, used: 0 }));
	for (let i = 0; i < rows.length; i += 400) await db.insertInto('vote_proxies').values(rows.slice(i, i + 400)).execute();
}

/** The givers whose ballots this holder casts in a vote, with their names and whether they have voted. */
export async function heldIn(db: Conn, voteId: number, holderId: number) {
	return db
		.selectFrom('vote_proxies as p')
		.innerJoin('vote_eligible as e', (j) => j.onRef('e.vote_id', '=', 'p.vote_id').onRef('e.unit', '=', 'p.giver_unit'))
		.select(['p.giver_unit', 'p.used', 'e.voted'])
		.where('p.vote_id', '=', voteId)
		.where('p.holder_id', '=', holderId)
		.orderBy('p.giver_unit')
		.execute();
}

/** The holder of a giver's frozen proxy in a vote, if any. */
export async function holderOf(db: Conn, voteId: number, giverUnit: string): Promise<number | undefined> {
	return (await db.selectFrom('vote_proxies').select('holder_id').where('vote_id', '=', voteId).where('giver_unit', '=', giverUnit).executeTakeFirst())?.holder_id;
}

/** Givers whose proxy was used in a vote and who were not told yet. */
export async function usedProxies(db: Conn, voteId: number) {
	return db.selectFrom('vote_proxies').select(['giver_unit', 'holder_id']).where('vote_id', '=', voteId).where('used', '=', 1).where('told', '=', 0).execute();
}

/** Claims the telling of one giver (one node wins it); false when another did. */
export async function claimTelling(db: Conn, voteId: number, giverUnit: string): Promise<boolean> {
	const r = await db.updateTable('vote_proxies').set({ told: 1 }).where('vote_id', '=', voteId).where('giver_unit', '=', giverUnit).where('told', '=', 0).executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/** Name, mail and language of the people a mail goes to. */
export function mailPeople(db: Conn, ids: number[]) {
	return db.selectFrom('users').select(['id', 'email', 'display_name', 'locale', 'status', 'notify_in_app']).where('id', 'in', ids.length ? ids : [-1]).execute();
}

/** How many of a meeting's absent givers are represented by a holder who is checked in (the meter's "represented"). */
export async function representedIn(db: Conn, meetingId: number): Promise<number> {
	const r = await db
		.selectFrom('proxies as p')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('p.meeting_id', '=', meetingId)
		.where('p.holder_id', 'in', (s) => s.selectFrom('meeting_attendance').select('user_id').where('meeting_id', '=', meetingId))
		.where('p.giver_id', 'not in', (s) => s.selectFrom('meeting_attendance').select('user_id').where('meeting_id', '=', meetingId))
		.executeTakeFirstOrThrow();
	return Number(r.n);
}
