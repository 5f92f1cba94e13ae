import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, NewVote, VotesTable } from '../database.js';
import { notLookedUp } from '../dialect/sql.js';
import { preparedShapes } from '../prepared.js';
import { quorumFrom, quorumValue, type Vote, type VoteInput } from '../../domain/votes.js';
import { chamberOfUnit, type Chamber, type ChambersSetting, type ElectorateCount } from '../../../src/lib/shared/chambers.js';
import { shownName } from '../../domain/people.js';
import { choosesAmongOptions, newDeviceToken, organisationUnit, unitParts, userUnit, type Ballot, type VoteOption, type VoteResult, type VoteStatus } from '../../../src/lib/shared/votes.js';
import { optionLabels } from '../../../src/lib/shared/vote-input.js';

type Conn = Kysely<Database> | Transaction<Database>;

type VoteRow = Selectable<VotesTable> & { group_slug: string | null; group_name: string | null };

/** A result as stored on a closed vote. */
export const parseResult = (json: string | null): VoteResult | null => (json ? (JSON.parse(json) as VoteResult) : null);

/** A vote's row as the services see it: options, result and quorum read once, here. */
export function voteRowToVote(r: VoteRow): Vote {
	return {
		id: r.id,
		title: r.title,
		description: r.description,
		method: r.method,
		options: JSON.parse(r.options) as VoteOption[],
		minApprovals: r.min_approvals,
		maxApprovals: r.max_approvals,
		eligibility: r.eligibility,
		groupId: r.group_id,
		group: r.group_slug && r.group_name ? { slug: r.group_slug, name: r.group_name } : null,
		visibility: r.visibility,
		secret: !!r.secret,
		results: r.results,
		quorum: quorumFrom(r.quorum_kind, r.quorum_value),
		threshold: r.threshold,
		threadId: r.thread_id,
		draftVersionId: r.draft_version_id,
		amendmentId: r.amendment_id,
		meetingId: r.meeting_id,
		status: r.status,
		opensAt: r.opens_at,
		closesAt: r.closes_at,
		openedAt: r.opened_at,
		closedAt: r.closed_at,
		eligible: r.eligible_count,
		participants: r.participants,
		result: parseResult(r.result),
		seats: r.seats,
		lotSeed: r.lot_seed,
		chambers: r.chambers ? (JSON.parse(r.chambers) as ChambersSetting) : null
	};
}

const votesWithGroup = (db: Conn) =>
	db.selectFrom('votes as v').leftJoin('groups as g', 'g.id', 'v.group_id').selectAll('v').select(['g.slug as group_slug', 'g.name as group_name']);

export async function findVote(db: Conn, id: number): Promise<Vote | undefined> {
	const row = await votesWithGroup(db).where('v.id', '=', id).executeTakeFirst();
	return row && voteRowToVote(row);
}

/**
 * Votes a reader may see, newest first: scheduled and open ones, or closed ones. From the vote after `after` (a vote's
 * id) when given: the API's pages go on from where the last one ended, whether or not that vote is still there.
 */
export async function listVotes(db: Conn, opts: { member: boolean; closed: boolean; threadId?: number; after?: number; limit?: number }): Promise<Vote[]> {
	const rows = await votesWithGroup(db)
		.$if(!opts.member, (q) => q.where('v.visibility', '=', 'public'))
		// Closed votes are most votes: read newest first along the primary key rather than all through votes_status and
		// sorted. The current ones are few: found through votes_status, then sorted.
		.$if(opts.closed, (q) => q.where((eb) => eb(notLookedUp(db, eb.ref('v.status')), 'in', ['closed', 'cancelled'])))
		.$if(!opts.closed, (q) => q.where('v.status', 'in', ['scheduled', 'open']))
		.$if(opts.threadId !== undefined, (q) => q.where('v.thread_id', '=', opts.threadId!))
		.$if(opts.after !== undefined, (q) => q.where('v.id', '<', opts.after!))
		.orderBy('v.id', 'desc')
		.limit(opts.limit ?? 200)
		.execute();
	return rows.map(voteRowToVote);
}

/**
 * The columns of a new vote from its input; an election's (`seats` not null) are a ranked vote's, without options
 * until it opens.
 */
export function newVoteRow(input: VoteInput, seats: number | null) {
	const options = choosesAmongOptions(input.method) ? optionLabels(input.options).map((label, i) => ({ id: i + 1, label })) : [];
	const counted = {
		title: input.title.trim(),
		description: input.description.trim(),
		method: input.method,
		options: JSON.stringify(options),
		min_approvals: input.method === 'approval' ? (input.minApprovals ?? 1) : null,
		max_approvals: input.method === 'approval' ? (input.maxApprovals ?? options.length) : null,
		eligibility: input.eligibility,
		group_id: input.groupId,
		visibility: input.visibility,
		secret: input.secret ? 1 : 0,
		results: input.results,
		quorum_kind: input.quorum.kind,
		quorum_value: quorumValue(input.quorum),
		threshold: input.threshold,
		opens_at: input.opensAt,
		closes_at: input.closesAt,
		chambers: input.chambers ? JSON.stringify({ organisations: input.chambers.organisations }) : null
	};
	return seats !== null ? { ...counted, method: 'ranked' as const, options: '[]', seats, lot_seed: newDeviceToken() } : counted;
}

export async function insertVote(db: Conn, row: NewVote): Promise<number> {
	const r = await db.insertInto('votes').values(row).returning('id').executeTakeFirstOrThrow();
	return r.id;
}

/** Votes whose schedule says they should open, or close, by `now`. */
export async function dueVotes(db: Conn, now: number): Promise<{ toOpen: number[]; toClose: number[] }> {
	const [open, close] = await Promise.all([
		db.selectFrom('votes').select('id').where('status', '=', 'scheduled').where('opens_at', '<=', now).execute(),
		db.selectFrom('votes').select('id').where('status', '=', 'open').where('closes_at', '<=', now).execute()
	]);
	return { toOpen: open.map((r) => r.id), toClose: close.map((r) => r.id) };
}

/**
 * The units that may vote now, for freezing at opening: active members, a group's active members, or organisations
 * with at least one active representative. In a meeting, only those checked in. With two chambers: the members as
 * said, and the organisations with a representative among them (checked in, in a meeting).
 */
export async function currentElectorate(
	db: Conn,
	eligibility: 'members' | 'group' | 'organisations',
	groupId: number | null,
	meetingId: number | null = null,
	chambers = false
): Promise<string[]> {
	if (eligibility === 'organisations') {
		const rows = await db
			.selectFrom('organisation_representatives as r')
			.innerJoin('users as u', 'u.id', 'r.user_id')
			.select('r.organisation_id')
			.distinct()
			.where('u.status', '=', 'active')
			.execute();
		return rows.map((r) => organisationUnit(r.organisation_id));
	}
	const members = db
		.selectFrom('users as u')
		.select('u.id')
		.where('u.status', '=', 'active')
		.$if(eligibility === 'group', (q) => q.where('u.id', 'in', (s) => s.selectFrom('group_members').select('user_id').where('group_id', '=', groupId ?? -1)))
		// In a meeting, those checked in.
		.$if(meetingId !== null, (q) => q.where('u.id', 'in', (s) => s.selectFrom('meeting_attendance').select('user_id').where('meeting_id', '=', meetingId!)));
	const rows = await members.execute();
	const units = rows.map((r) => userUnit(r.id));
	if (!chambers) return units;
	const orgs = await db.selectFrom('organisation_representatives').select('organisation_id').distinct().where('user_id', 'in', members).execute();
	return [...units, ...orgs.map((r) => organisationUnit(r.organisation_id))];
}

/** A vote's frozen electorate per chamber: how many may vote in each, and how many have. */
export async function chamberFigures(db: Conn, voteId: number): Promise<Record<Chamber, { participants: number; eligible: number }>> {
	const rows = await db.selectFrom('vote_eligible').select(['unit', 'voted']).where('vote_id', '=', voteId).execute();
	const figures = { organisations: { participants: 0, eligible: 0 }, members: { participants: 0, eligible: 0 } };
	for (const r of rows) {
		const f = figures[chamberOfUnit(r.unit)];
		f.eligible++;
		if (r.voted === 1) f.participants++;
	}
	return figures;
}

/** A vote's frozen electorate, counted in all and per chamber. */
export async function electorateCount(db: Conn, voteId: number): Promise<ElectorateCount> {
	const f = await chamberFigures(db, voteId);
	return { total: f.organisations.eligible + f.members.eligible, organisations: f.organisations.eligible, members: f.members.eligible };
}

/** Opens a scheduled vote with its electorate frozen; false when it was no longer scheduled. */
export async function openVote(db: Conn, id: number, units: string[], now: number): Promise<boolean> {
	const r = await db
		.updateTable('votes')
		.set({ status: 'open', opened_at: now, eligible_count: units.length })
		.where('id', '=', id)
		.where('status', '=', 'scheduled')
		.executeTakeFirst();
	if (Number(r.numUpdatedRows) !== 1) return false;
	// In key order, all at once: the electorate's cells lie in the file as their keys sort, and `voted` is later set in
	// place (BallotBox.cast), so the file never tells in which order members voted.
	const sorted = [...units].sort();
	for (let i = 0; i < sorted.length; i += 400) {
		await db
			.insertInto('vote_eligible')
			.values(sorted.slice(i, i + 400).map((unit) => ({ vote_id: id, unit, voted: 0 })))
			.execute();
	}
	return true;
}

export async function setVoteStatus(db: Conn, id: number, from: VoteStatus, to: VoteStatus, now: number): Promise<boolean> {
	const r = await db.updateTable('votes').set({ status: to, closed_at: now }).where('id', '=', id).where('status', '=', from).executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/** Whether a unit is in a vote's frozen electorate, and whether it has voted. */
export async function electorStanding(db: Conn, voteId: number, unit: string): Promise<{ eligible: boolean; voted: boolean }> {
	const row = await db.selectFrom('vote_eligible').select('voted').where('vote_id', '=', voteId).where('unit', '=', unit).executeTakeFirst();
	return { eligible: !!row, voted: row?.voted === 1 };
}

/** An open vote's ballot of a unit, with its receipt (secret ballots have no unit, so are never found here). */
export async function ballotOfUnit(db: Conn, voteId: number, unit: string): Promise<{ ballot: Ballot; receipt: string } | undefined> {
	const r = await db.selectFrom('vote_ballots').select(['choice', 'receipt']).where('vote_id', '=', voteId).where('unit', '=', unit).executeTakeFirst();
	return r && { ballot: JSON.parse(r.choice) as Ballot, receipt: r.receipt };
}

/** Every ballot of a vote, in receipt order (which is random). */
export async function ballotsOf(db: Conn, voteId: number): Promise<{ receipt: string; ballot: Ballot; unit: string | null; chamber: Chamber | null }[]> {
	const rows = await db.selectFrom('vote_ballots').select(['receipt', 'choice', 'unit', 'chamber']).where('vote_id', '=', voteId).orderBy('receipt').execute();
	return rows.map((r) => ({ receipt: r.receipt, ballot: JSON.parse(r.choice) as Ballot, unit: r.unit, chamber: r.chamber }));
}

/** Organisations this person represents. */
export function representedBy(db: Conn, userId: number) {
	return db
		.selectFrom('organisation_representatives as r')
		.innerJoin('organisations as o', 'o.id', 'r.organisation_id')
		.select(['o.id', 'o.name'])
		.where('r.user_id', '=', userId)
		.orderBy('o.name')
		.execute();
}

/** Display names of units ('u:1' → a member's name, 'o:2' → an organisation's); a deleted member's is not shown. */
export async function unitNames(db: Conn, units: string[]): Promise<Map<string, string>> {
	const parts = units.flatMap((u) => unitParts(u) ?? []);
	const users = parts.filter((p) => p.kind === 'user').map((p) => p.id);
	const orgs = parts.filter((p) => p.kind === 'organisation').map((p) => p.id);
	const names = new Map<string, string>();
	if (users.length)
		for (const r of await db.selectFrom('users').select(['id', 'display_name', 'status']).where('id', 'in', users).execute()) {
			const name = shownName(r.display_name, r.status);
			if (name !== null) names.set(userUnit(r.id), name);
		}
	if (orgs.length) for (const r of await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', orgs).execute()) names.set(organisationUnit(r.id), r.name);
	return names;
}

export function threadTitle(db: Conn, threadId: number) {
	return db.selectFrom('threads').select(['id', 'title', 'hidden']).where('id', '=', threadId).executeTakeFirst();
}

export function versionFor(db: Conn, where: { id: number } | { draftId: number; number: number }) {
	return db
		.selectFrom('draft_versions as v')
		.innerJoin('drafts as d', 'd.id', 'v.draft_id')
		.select(['v.id', 'v.draft_id', 'v.number', 'v.name', 'v.hash', 'v.content', 'd.title as draft_title', 'd.visibility', 'd.group_id'])
		.$if('id' in where, (q) => q.where('v.id', '=', (where as { id: number }).id))
		.$if('draftId' in where, (q) => q.where('v.draft_id', '=', (where as { draftId: number }).draftId).where('v.number', '=', (where as { number: number }).number))
		.executeTakeFirst();
}

/** The oldest amendment still awaiting a decision (the demo puts it to a vote). */
export async function firstProposedAmendment(db: Conn): Promise<number | undefined> {
	return (await db.selectFrom('amendments').select('id').where('status', '=', 'proposed').orderBy('id').executeTakeFirst())?.id;
}

export function amendmentFor(db: Conn, id: number) {
	return db
		.selectFrom('amendments as a')
		.innerJoin('drafts as d', 'd.id', 'a.draft_id')
		.select(['a.id', 'a.draft_id', 'a.status', 'a.original', 'a.replacement', 'd.title as draft_title', 'd.visibility', 'd.group_id'])
		.where('a.id', '=', id)
		.executeTakeFirst();
}

/** The latest decision taken on a draft version, if any. */
export function decisionOfVersion(db: Conn, versionId: number) {
	return db.selectFrom('decisions').select(['id', 'outcome']).where('draft_version_id', '=', versionId).orderBy('id', 'desc').executeTakeFirst();
}

export function decisionOfVote(db: Conn, voteId: number) {
	return db.selectFrom('decisions').select('id').where('vote_id', '=', voteId).executeTakeFirst();
}

/** The register, newest first, with what each decision links to (the vote's result and options read). */
/** The filters of the register as the query takes them: each value a placeholder of its own (prepared.ts). */
interface DecisionsQuery extends Record<string, unknown> {
	member: boolean;
	groupId?: number;
	meetingId?: number;
	from?: number;
	to?: number;
	id?: number;
	beforeDecidedAt?: number;
	beforeId?: number;
	limit: number;
}

// Built and compiled once per set of filters given: building and compiling this query (six joins) took a third to a
// half of what running it takes, on every read of the register (measured on the API bench's register of 60).
const decisionsQuery = preparedShapes(
	(q: DecisionsQuery) => ({
		publicOnly: !q.member,
		group: q.groupId !== undefined,
		meeting: q.meetingId !== undefined,
		from: q.from !== undefined,
		to: q.to !== undefined,
		id: q.id !== undefined,
		before: q.beforeDecidedAt !== undefined
	}),
	(db, p, has) =>
		db
			.selectFrom('decisions as dc')
			.innerJoin('votes as v', 'v.id', 'dc.vote_id')
			.leftJoin('groups as g', 'g.id', 'dc.group_id')
			.leftJoin('draft_versions as dv', 'dv.id', 'dc.draft_version_id')
			.leftJoin('amendments as a', 'a.id', 'dc.amendment_id')
			.leftJoin('drafts as d', (j) => j.on((eb) => eb.or([eb('d.id', '=', eb.ref('dv.draft_id')), eb('d.id', '=', eb.ref('a.draft_id'))])))
			.leftJoin('meetings as mt', 'mt.id', 'dc.meeting_id')
			.select([
				'mt.id as meeting_id',
				'mt.title as meeting_title',
				'dc.id',
				'dc.vote_id',
				'dc.title',
				'dc.outcome',
				'dc.visibility',
				'dc.thread_id',
				'dc.amendment_id',
				'dc.decided_at',
				'v.result',
				'v.options',
				'g.slug as group_slug',
				'g.name as group_name',
				'd.id as draft_id',
				'd.title as draft_title',
				'dv.number as version_number',
				'dv.hash as version_hash'
			])
			.$if(has.publicOnly, (q) => q.where('dc.visibility', '=', 'public'))
			.$if(has.group, (q) => q.where('dc.group_id', '=', p.groupId!))
			.$if(has.meeting, (q) => q.where('dc.meeting_id', '=', p.meetingId!))
			.$if(has.from, (q) => q.where('dc.decided_at', '>=', p.from!))
			.$if(has.to, (q) => q.where('dc.decided_at', '<', p.to!))
			.$if(has.id, (q) => q.where('dc.id', '=', p.id!))
			// Keyset paging in the register's own order (newest first, then by id).
			.$if(has.before, (q) => q.where((eb) => eb.or([eb('dc.decided_at', '<', p.beforeDecidedAt!), eb.and([eb('dc.decided_at', '=', p.beforeDecidedAt!), eb('dc.id', '<', p.beforeId!)])])))
			.orderBy('dc.decided_at', 'desc')
			.orderBy('dc.id', 'desc')
			.limit(p.limit)
			.compile()
);

export async function listDecisions(
	db: Conn,
	opts: { member: boolean; groupId?: number; meetingId?: number; from?: number; to?: number; id?: number; before?: { decidedAt: number; id: number }; limit: number }
) {
	const { before, ...filters } = opts;
	const { rows } = await decisionsQuery(db, { ...filters, beforeDecidedAt: before?.decidedAt, beforeId: before?.id });
	return rows.map((r) => ({ ...r, result: parseResult(r.result), options: JSON.parse(r.options) as VoteOption[] }));
}

/** Meetings in which decisions were taken, latest first (public ones only for visitors). */
export function meetingsWithDecisions(db: Conn, member: boolean) {
	return db
		.selectFrom('meetings as m')
		.select(['m.id', 'm.title', 'm.starts_at'])
		.where('m.id', 'in', (s) => s.selectFrom('decisions').select('meeting_id').where('meeting_id', 'is not', null))
		.$if(!member, (q) => q.where('m.visibility', '=', 'public'))
		.orderBy('m.starts_at', 'desc')
		.limit(100)
		.execute();
}

export function groupsWithDecisions(db: Conn) {
	return db.selectFrom('groups as g').select(['g.id', 'g.slug', 'g.name']).where('g.id', 'in', (s) => s.selectFrom('decisions').select('group_id').where('group_id', 'is not', null)).orderBy('g.name').execute();
}
