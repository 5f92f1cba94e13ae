import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Authenticated } from '../../server/services/auth.service.js';
import { signInAs, startTestApp, type TestApp } from './helpers/app.js';
import { meetingInput } from './helpers/meetings.js';
import { voteInput } from './helpers/votes.js';

/**
 * The read API's votes, meetings and drafts (and a draft's versions), paged in the database from the position the
 * cursor names (issue #20): each row the reader may read once, in the order the pages list them; a row deleted
 * between two pages, even the one the cursor names, or hidden from the reader, and rows added or moved between them
 * repeat nothing; a cursor that is not one of ours is a 400; a list longer than the 200 rows its page reads is paged
 * to its end.
 *
 * Shown to fail without the guards. With the visibility filter taken out of listVotes, listMeetings or listDrafts
 * (`.$if(!opts.member, ...)` in vote/meeting/draft.repository.ts), each in turn, "each row once" fails on the
 * visitor's walk of that list, which holds the members-only rows made here. (Its comparison with the page's own
 * list still holds then: the page and the API read through that one filter, so the test also holds the visitor to
 * the rows made members-only.) With the keyset condition taken out of listVotes, every page is the first and the walk
 * still has a next page after 100; with a cursor of the time alone (no id), the member's walk of meetings skips one
 * of the two that start together, and of drafts one of those changed in the same millisecond. With the handlers as
 * they were (the whole list read, then sliced after the cursor's item): the cursor of a deleted or hidden row was a
 * 400, the draft moved to the top was read twice, and the closed votes stopped at 200 of 210.
 */
type Json = Record<string, unknown>;

let app: TestApp;
let coordinator: Authenticated;
let member: Authenticated;
let token: string;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Kind = 'votes' | 'meetings' | 'drafts';
/** The rows made here, and those of them for members only. */
const made: Record<Kind, number[]> = { votes: [], meetings: [], drafts: [] };
const membersOnly = new Set<string>();
const key = (kind: Kind, id: unknown) => `${kind}:${id}`;

const get = (path: string, as: string | null) => fetch(`${app.url}/api/v1${path}`, { headers: { accept: 'application/json', ...(as ? { authorization: `Bearer ${as}` } : {}) } });
const withCursor = (path: string, limit: number, cursor: string | null) => `${path}${path.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;

async function page(path: string, as: string | null, cursor: string | null, limit = 2): Promise<{ data: Json[]; next: string | null }> {
	const res = await get(withCursor(path, limit, cursor), as);
	expect(res.status, `${path} after ${cursor}`).toBe(200);
	return (await res.json()) as { data: Json[]; next: string | null };
}

/** Every page of a list, two items a page unless told; `between` runs after the first page. */
async function walk(path: string, as: string | null, between?: (first: Json[]) => Promise<void>, limit = 2): Promise<Json[]> {
	const seen: Json[] = [];
	let cursor: string | null = null;
	for (let pages = 0; pages === 0 || (cursor && pages < 100); pages++) {
		const body = await page(path, as, cursor, limit);
		expect(body.data.length).toBeLessThanOrEqual(limit);
		seen.push(...body.data);
		cursor = body.next;
		if (pages === 0) await between?.(body.data);
	}
	expect(cursor, `${path}: still a next page after 100`).toBeNull();
	return seen;
}

const ids = (items: Json[]) => items.map((i) => i.id as number);
const ms = (iso: unknown) => Date.parse(String(iso));

/** Whether `a` comes before `b` in an order by a time, then by id, both ascending (1) or both descending (-1). */
const inOrder = (time: (item: Json) => number, way: 1 | -1) => (a: Json, b: Json) => {
	const [ta, tb] = [time(a), time(b)];
	return ta !== tb ? (tb - ta) * way > 0 : ((b.id as number) - (a.id as number)) * way > 0;
};

interface List {
	path: string;
	kind: Kind;
	/** What the page lists (the same service call, without a position). */
	pageList: (auth: Authenticated | null) => Promise<{ id: number }[]>;
	before: (a: Json, b: Json) => boolean;
}
const LISTS: List[] = [
	{ path: '/votes', kind: 'votes', pageList: (auth) => app.ctx.services.votes.list(auth), before: inOrder(() => 0, -1) },
	{ path: '/votes?closed=true', kind: 'votes', pageList: (auth) => app.ctx.services.votes.list(auth, { closed: true }), before: inOrder(() => 0, -1) },
	{ path: '/meetings', kind: 'meetings', pageList: (auth) => app.ctx.services.meetings.list(auth), before: inOrder((m) => ms(m.startsAt), 1) },
	{ path: '/meetings?past=true', kind: 'meetings', pageList: (auth) => app.ctx.services.meetings.list(auth, { past: true }), before: inOrder((m) => ms(m.startsAt), -1) },
	{ path: '/drafts', kind: 'drafts', pageList: (auth) => app.ctx.services.drafts.list(auth), before: inOrder((d) => ms(d.updatedAt), -1) }
];
/** The lists rows are deleted from and added to: one of each kind. */
const CURRENT = LISTS.filter((l) => !l.path.includes('='));

/**
 * What a service tells the bus of a change to a row of each kind. Rows changed in the database directly here tell
 * it too, as any service's change does: the API's kept answers (answer-cache.ts), emptied by any event, would
 * otherwise outlive a change nothing told, for visitors and members alike.
 */
const tell = {
	votes: (voteId: number) => app.ctx.bus.emit('vote.cancelled', { voteId }),
	meetings: (meetingId: number) => app.ctx.bus.emit('meeting.changed', { meetingId }),
	drafts: (draftId: number) => app.ctx.bus.emit('draft.changed', { draftId })
};

/** Deletes a row made here (its dependent rows go with it, or it has none yet). */
const remove = {
	votes: (id: number) => app.ctx.db.deleteFrom('votes').where('id', '=', id).execute(),
	meetings: (id: number) => app.ctx.db.deleteFrom('meetings').where('id', '=', id).execute(),
	drafts: (id: number) => app.ctx.db.deleteFrom('drafts').where('id', '=', id).execute()
};

async function makeVote(visibility: 'public' | 'members', closed: boolean): Promise<number> {
	const id = await app.ctx.services.votes.create(coordinator, voteInput({ title: `Votimi i faqeve ${made.votes.length}`, visibility }), {}, closed);
	if (closed) await app.ctx.services.votes.close(coordinator, id);
	return id;
}

async function makeMeeting(visibility: 'public' | 'members', startsAt: number): Promise<number> {
	return app.ctx.services.meetings.create(coordinator, meetingInput({ title: `Mbledhja e faqeve ${made.meetings.length}`, visibility, startsAt, endsAt: startsAt + HOUR }));
}

async function makeDraft(visibility: 'public' | 'members'): Promise<number> {
	return app.ctx.services.drafts.create(coordinator, { title: `Drafti i faqeve ${made.drafts.length}`, summary: '', group: '', field: 'music', visibility });
}

beforeAll(async () => {
	app = await startTestApp();
	({ auth: coordinator } = await signInAs(app, 'coordinator@demo.test'));
	({ auth: member } = await signInAs(app, 'member2@demo.test'));
	({ token } = await app.ctx.services.apiTokens.create(member, 'paging'));
	const visibility = (i: number) => (i % 2 ? 'members' : 'public');
	const note = (kind: Kind, id: number, i: number) => {
		made[kind].push(id);
		if (visibility(i) === 'members') membersOnly.add(key(kind, id));
	};
	for (let i = 0; i < 5; i++) note('votes', await makeVote(visibility(i), false), i);
	for (let i = 0; i < 5; i++) note('votes', await makeVote(visibility(i), true), i);
	// Two upcoming meetings start at the same time, and so do two past ones, across the end of a page of two (the
	// second and third of the list): the cursor's id tells them apart. Sooner than the demo's meetings.
	const soon = Date.now() + DAY;
	for (const [i, startsAt] of [soon, soon + HOUR, soon + HOUR, soon + 2 * HOUR, soon + 3 * HOUR].entries()) note('meetings', await makeMeeting(visibility(i), startsAt), i);
	const ago = Date.now() - 3 * DAY;
	for (const [i, startsAt] of [ago, ago - HOUR, ago - HOUR].entries()) note('meetings', await makeMeeting(visibility(i), startsAt), i);
	for (let i = 0; i < 5; i++) note('drafts', await makeDraft(visibility(i)), i);
	// Three drafts last changed in the same millisecond, the latest change of all: the first three of the list.
	await app.ctx.db.updateTable('drafts').set({ updated_at: Date.now() }).where('id', 'in', made.drafts.slice(1, 4)).execute();
});
afterAll(async () => app?.dispose());

describe('paging votes, meetings and drafts in the database', () => {
	it('gives each row the reader may read once, in the order of the page’s list, for a visitor and for a member', async () => {
		for (const [as, auth] of [
			[null, null],
			[token, member]
		] as const) {
			const reader = as ? 'member' : 'visitor';
			const all = new Set<string>();
			for (const list of LISTS) {
				const walked = await walk(list.path, as);
				const label = `${reader} ${list.path}`;
				for (const item of walked) all.add(key(list.kind, item.id));
				expect(new Set(ids(walked)).size, label).toBe(walked.length);
				expect(ids(walked), label).toEqual((await list.pageList(auth)).map((r) => r.id));
				for (let i = 1; i < walked.length; i++) expect(list.before(walked[i - 1], walked[i]), `${label} at ${i}`).toBe(true);
				const hidden = walked.filter((item) => membersOnly.has(key(list.kind, item.id)));
				// The authorisation: without the visibility filter in the list's query, the visitor's walk holds them.
				if (reader === 'visitor') expect(hidden, label).toEqual([]);
				else expect(hidden.length, label).toBeGreaterThan(0);
				if (reader === 'visitor') for (const item of walked) if ('visibility' in item) expect(item.visibility, label).toBe('public');
			}
			// Every row made here is in its list for the member, the public ones for the visitor too.
			for (const kind of ['votes', 'meetings', 'drafts'] as const) {
				for (const id of made[kind]) expect(all.has(key(kind, id)), `${reader} ${kind} ${id}`).toBe(as !== null || !membersOnly.has(key(kind, id)));
			}
		}
	});

	it('goes on after a row deleted between two pages, the one the cursor names included, and repeats nothing', async () => {
		for (const list of CURRENT) {
			const before = ids(await walk(list.path, token));
			const ours = new Set<number>(made[list.kind]);
			// The cursor names the first page's last row: a row of ours (the first page of each list here is all ours).
			let named = 0;
			let later = 0;
			const walked = await walk(list.path, token, async (first) => {
				named = first.at(-1)!.id as number;
				later = before.filter((id) => ours.has(id) && !ids(first).includes(id)).at(-1)!;
				expect(ours.has(named), `${list.path}: the first page is of rows made here`).toBe(true);
				await remove[list.kind](named);
				await remove[list.kind](later);
				tell[list.kind](named);
			});
			expect(ids(walked), list.path).toEqual(before.filter((id) => id !== later));
			made[list.kind] = made[list.kind].filter((id) => id !== named && id !== later);
		}
	});

	it('goes on after the row the cursor names is hidden from the reader between two pages', async () => {
		// Three a page: pages no visitor asked for above (the rows deleted above were told as members walked).
		const before = ids(await walk('/drafts', null, undefined, 3));
		let hidden = 0;
		const walked = await walk(
			'/drafts',
			null,
			async (first) => {
				hidden = first.at(-1)!.id as number;
				await app.ctx.services.drafts.setVisibility(coordinator, hidden, 'members');
			},
			3
		);
		expect(ids(walked)).toEqual(before);
		expect(ids(await walk('/drafts', null, undefined, 3))).toEqual(before.filter((id) => id !== hidden));
		membersOnly.add(key('drafts', hidden));
	});

	it('repeats no row when rows are added, or a draft changes, between two pages', async () => {
		for (const list of CURRENT) {
			const before = ids(await walk(list.path, token));
			let moved: number | null = null;
			let added: number[] = [];
			const walked = await walk(list.path, token, async (first) => {
				// A new vote is newer than every other: before the cursor.
				if (list.kind === 'votes') added = [await makeVote('public', false)];
				// One meeting sooner than every other (before the cursor), one later than every other (after it).
				if (list.kind === 'meetings') added = [await makeMeeting('public', Date.now() + 2 * HOUR), await makeMeeting('public', Date.now() + 300 * DAY)];
				if (list.kind === 'drafts') {
					added = [await makeDraft('public')];
					// The draft the cursor names changed since: it goes to the top, where the reader has been.
					moved = first.at(-1)!.id as number;
					await app.ctx.db.updateTable('drafts').set({ updated_at: Date.now() + 1 }).where('id', '=', moved).execute();
					tell.drafts(moved);
				}
				// A vote made to open later tells nothing until it opens (kept answers show it within their 10 s): told here,
				// so that the walk after this one reads it at once.
				if (list.kind === 'votes') tell.votes(added[0]);
			});
			const label = list.path;
			expect(new Set(ids(walked)).size, label).toBe(walked.length);
			expect(
				ids(walked).filter((id) => before.includes(id)),
				label
			).toEqual(before);
			// Of the rows added, the walk reads those after the cursor's position (the meeting far ahead); the others are
			// for a new walk.
			expect(ids(walked).filter((id) => added.includes(id)), label).toEqual(list.kind === 'meetings' ? [added[1]] : []);
			const again = ids(await walk(list.path, token));
			for (const id of added) expect(again, `${label} ${id}`).toContain(id);
			if (moved !== null) expect(again[0], label).toBe(moved);
		}
	});

	it('pages a draft’s versions newest first, each once', async () => {
		const draft = await makeDraft('members');
		for (let i = 1; i <= 5; i++) await app.ctx.services.drafts.saveVersion(coordinator, draft, `Versioni ${i}`);
		const walked = await walk(`/drafts/${draft}/versions`, token);
		expect(walked.map((v) => v.number)).toEqual([5, 4, 3, 2, 1]);
		expect((await get(`/drafts/${draft}/versions?limit=2`, null)).status).toBe(401);
	});

	it('refuses a cursor that is not one of the list’s as a 400 problem, and takes one whose row is gone', async () => {
		const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
		const [draft] = made.drafts;
		const lists: [string, unknown[]][] = [
			['/votes', [[1, 2], 'a', 1.5]],
			['/votes?closed=true', [[1, 2], null]],
			['/meetings', [5, [1], [1, 'a'], [1.5, 2], [1, 2, 3]]],
			['/meetings?past=true', [{ startsAt: 1, id: 2 }]],
			['/drafts', [5, ['a', 1], [1, 2, 3]]],
			[`/drafts/${draft}/versions`, [[1, 2], 'a']]
		];
		for (const [path, positions] of lists) {
			for (const cursor of ['not-ours', '%%%', b64({ x: 1 }), ...positions.map(b64)]) {
				const res = await get(withCursor(path, 2, cursor), token);
				expect(res.status, `${path} ${cursor}`).toBe(400);
				expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
			}
		}
		// Positions no row stands at (ever, or any more) are places in the order: what lies after them, or nothing.
		expect((await page('/votes', token, b64(Number.MAX_SAFE_INTEGER))).data.length).toBe(2);
		expect(await page('/drafts', token, b64([0, 0]))).toEqual({ data: [], next: null });
		expect((await page('/meetings', token, b64([0, 0]))).data.length).toBe(2);
	});

	it('reaches the end of a list longer than the 200 rows its page shows', async () => {
		// The API read the page's list (at most 200) and sliced it: whatever came after was never listed.
		const closed = await app.ctx.db.selectFrom('votes').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['closed', 'cancelled']).where('visibility', '=', 'public').executeTakeFirstOrThrow();
		const rows = Array.from({ length: 210 - Number(closed.n) }, (_, i) => ({ title: `Votimi i vjetër ${i}`, method: 'yes_no' as const, eligibility: 'members' as const, visibility: 'public' as const, status: 'closed' as const, created_by: coordinator.actor.id, created_at: Date.now() }));
		await app.ctx.db.insertInto('votes').values(rows).execute();
		const walked = await walk('/votes?closed=true', null, undefined, 100);
		expect(walked.length).toBe(210);
		expect(new Set(ids(walked)).size).toBe(210);
	});
});
