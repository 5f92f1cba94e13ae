import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Authenticated } from '../../server/services/auth.service.js';
import { getPage, signInAs, startTestApp, type TestApp } from './helpers/app.js';
import { meetingInput } from './helpers/meetings.js';
import { voteInput } from './helpers/votes.js';

/**
 * The authorisation matrix (authorization-matrix.test.ts) through the read API: each kind of person reads with a
 * personal token what they read on the pages with their session, cell by cell, and every list holds exactly what
 * the page lists. Both are also held to a fixed table, so a leak in the pages and the API alike is still caught.
 *
 * Shown to fail without the guards: with the visibility filter taken out of listDecisions (vote.repository.ts,
 * `.$if(!opts.member, ...)`) the visitor's decision list holds the members-only decision and "lists exactly" fails;
 * with canRead's group check taken out of forum-access (a group space readable by every member), the member's
 * cells of "group space" and "group thread" turn from 404 into 200 on both sides and the fixed table fails; with the
 * status check taken out of ApiTokensService.authenticate, the suspended member's token reads as a visitor would
 * and both tests fail.
 */
const ROLES = ['visitor', 'member', 'groupMember', 'moderator', 'coordinator', 'suspended'] as const;
type Role = (typeof ROLES)[number];
const EMAILS: Record<Exclude<Role, 'visitor'>, string> = {
	member: 'member2@demo.test',
	groupMember: 'anila.berisha@demo.test',
	moderator: 'moderator@demo.test',
	coordinator: 'coordinator@demo.test',
	suspended: 'alketa.musai@demo.test'
};

let app: TestApp;
const cookies: Partial<Record<Role, string>> = {};
const tokens: Partial<Record<Role, string>> = {};
const ids = { membersVote: 0, groupVote: 0, publicVote: 0, meeting: 0, draft: 0, groupThread: 0, publicThread: 0 };

beforeAll(async () => {
	app = await startTestApp();
	const people: Partial<Record<Role, Authenticated>> = {};
	for (const role of ROLES) {
		if (role === 'visitor') continue;
		const { cookie, auth } = await signInAs(app, EMAILS[role]);
		cookies[role] = cookie;
		people[role] = auth;
		// Made while the member was active: the suspended member's token is one they held before.
		tokens[role] = (await app.ctx.services.apiTokens.create(auth, 'matrix')).token;
	}
	const coordinator = people.coordinator!;
	const { services, db } = app.ctx;
	await services.coordination.suspend(coordinator, people.suspended!.actor.id, 'matrix test');
	const group = await db.selectFrom('groups').select('id').where('slug', '=', 'klasteri-vlore').executeTakeFirstOrThrow();
	const create = (over: Parameters<typeof voteInput>[0]) => services.votes.create(coordinator, voteInput(over), {}, true);
	ids.membersVote = await create({});
	ids.groupVote = await create({ eligibility: 'group', groupId: group.id });
	ids.publicVote = await create({ visibility: 'public' });
	// A members-only decision: the members vote, closed.
	await services.votes.close(coordinator, ids.membersVote);
	ids.draft = await services.drafts.create(coordinator, { title: 'Matrica e API-së', summary: '', group: '', field: 'music', visibility: 'members' });
	ids.meeting = await services.meetings.create(coordinator, meetingInput({ title: 'Matrica e API-së' }));
	// A space only the group's members read, with a thread by one of them.
	await services.moderation.setSpaceVisibility(coordinator, 'group-klasteri-vlore', 'group');
	ids.groupThread = await services.forumWriting.createThread(people.groupMember!, { category: 'group-klasteri-vlore', title: 'Vetëm për grupin', body: 'Një temë e grupit të Vlorës.', tags: '' });
	const publicSpace = (await services.forum.categories(null)).find((c) => c.visibility === 'public')!;
	ids.publicThread = await services.forumWriting.createThread(people.member!, { category: publicSpace.slug, title: 'Temë publike', body: 'Kjo temë është publike.', tags: '' });
});
afterAll(async () => app?.dispose());

type Outcome = 'ok' | 'login' | '401' | '403' | '404';
const pageOutcome = (res: Response): Outcome => (res.status === 200 ? 'ok' : res.status === 303 && res.headers.get('location')?.startsWith('/login') ? 'login' : (String(res.status) as Outcome));
const apiOutcome = (res: Response): Outcome => (res.status === 200 ? 'ok' : (String(res.status) as Outcome));
/** What the API must answer for a page's outcome: the page's sign-in redirect is the API's 401. A suspended
 * member's token stops working altogether (their session ended with the suspension; the page shows them as a visitor). */
const apiFor = (role: Role, page: Outcome): Outcome => (role === 'suspended' ? '401' : page === 'login' ? '401' : page);

function api(path: string, role: Role): Promise<Response> {
	return fetch(`${app.url}/api/v1${path}`, { headers: { accept: 'application/json', ...(tokens[role] ? { authorization: `Bearer ${tokens[role]}` } : {}) } });
}

//                                 visitor  member  groupMember moderator coordinator suspended
const PUBLIC: Outcome[] = ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'];
const MEMBERS: Outcome[] = ['login', 'ok', 'ok', 'ok', 'ok', 'login'];
const GROUP: Outcome[] = ['login', '404', 'ok', 'ok', 'ok', 'login'];

type Cell = [name: string, page: () => string, api: () => string, pageWants: Outcome[]];
const cells: Cell[] = [
	['vote (members)', () => `/votes/${ids.membersVote}`, () => `/votes/${ids.membersVote}`, MEMBERS],
	['vote (group)', () => `/votes/${ids.groupVote}`, () => `/votes/${ids.groupVote}`, MEMBERS],
	['vote (public)', () => `/votes/${ids.publicVote}`, () => `/votes/${ids.publicVote}`, PUBLIC],
	['meeting (members)', () => `/meetings/${ids.meeting}`, () => `/meetings/${ids.meeting}`, MEMBERS],
	['draft (members)', () => `/drafts/${ids.draft}`, () => `/drafts/${ids.draft}`, MEMBERS],
	['draft versions (members)', () => `/drafts/${ids.draft}/versions`, () => `/drafts/${ids.draft}/versions`, MEMBERS],
	['group space', () => '/forum/group-klasteri-vlore', () => '/spaces/group-klasteri-vlore/threads', GROUP],
	['group thread', () => `/forum/t/${ids.groupThread}`, () => `/threads/${ids.groupThread}`, GROUP],
	['group thread posts', () => `/forum/t/${ids.groupThread}`, () => `/threads/${ids.groupThread}/posts`, GROUP],
	['public thread', () => `/forum/t/${ids.publicThread}`, () => `/threads/${ids.publicThread}`, PUBLIC],
	['organisation', () => '/organisations/vlora-art', () => '/organisations/vlora-art', PUBLIC]
];

describe('the authorisation matrix through the API', () => {
	it('answers every cell as the page does, and as the table says', async () => {
		const pages: Record<string, Record<Role, Outcome>> = {};
		const apis: Record<string, Record<Role, Outcome>> = {};
		const fromPages: Record<string, Record<Role, Outcome>> = {};
		const table: Record<string, Record<Role, Outcome>> = {};
		for (const [name, pagePath, apiPath, wants] of cells) {
			pages[name] = {} as Record<Role, Outcome>;
			apis[name] = {} as Record<Role, Outcome>;
			fromPages[name] = {} as Record<Role, Outcome>;
			table[name] = {} as Record<Role, Outcome>;
			for (const [i, role] of ROLES.entries()) {
				pages[name][role] = pageOutcome(await getPage(app.url, pagePath(), cookies[role]));
				apis[name][role] = apiOutcome(await api(apiPath(), role));
				fromPages[name][role] = apiFor(role, pages[name][role]);
				table[name][role] = wants[i];
			}
		}
		expect(pages).toEqual(table);
		expect(apis).toEqual(fromPages);
		// 66 pages and 66 API answers: on PostgreSQL, on a shared machine, this takes longer than the default 30 s.
	}, 180_000);

	it('lists exactly what the pages list, for every kind of person', async () => {
		const linked = async (path: string, role: Role, pattern: RegExp) => new Set([...(await (await getPage(app.url, path, cookies[role])).text()).matchAll(pattern)].map((m) => m[1]));
		const listed = async (path: string, role: Role, key: string) => {
			const res = await api(`${path}${path.includes('?') ? '&' : '?'}limit=100`, role);
			if (role === 'suspended') {
				expect(res.status).toBe(401);
				return null;
			}
			return new Set(((await res.json()) as { data: Record<string, unknown>[] }).data.map((item) => String(item[key])));
		};
		// The votes and meetings pages show both of the API's lists (current and closed, upcoming and past).
		const lists: [page: string, pattern: RegExp, api: string[], key: string][] = [
			['/votes', /href="\/votes\/(\d+)"/g, ['/votes', '/votes?closed=true'], 'id'],
			['/meetings', /href="\/meetings\/(\d+)"/g, ['/meetings', '/meetings?past=true'], 'id'],
			['/drafts', /href="\/drafts\/(\d+)"/g, ['/drafts'], 'id'],
			['/decisions', /id="decision-(\d+)"/g, ['/decisions'], 'id'],
			['/forum', /href="\/forum\/([\w-]+)"/g, ['/spaces'], 'slug']
		];
		for (const role of ROLES) {
			for (const [pagePath, pattern, apiPaths, key] of lists) {
				const fromApi = new Set<string>();
				for (const apiPath of apiPaths) for (const item of (await listed(apiPath, role, key)) ?? []) fromApi.add(item);
				if (role === 'suspended') continue;
				const fromPage = await linked(pagePath, role, pattern);
				expect([...fromApi].sort(), `${role} ${pagePath}`).toEqual([...fromPage].sort());
			}
			// Held to the table too: the members-only vote and its decision are listed for members only.
			const closed = await listed('/votes?closed=true', role, 'id');
			if (closed) expect(closed.has(String(ids.membersVote)), role).toBe(role !== 'visitor');
			const decided = await listed('/decisions', role, 'voteId');
			if (decided) expect(decided.has(String(ids.membersVote)), `${role} decisions`).toBe(role !== 'visitor');
		}
	}, 180_000);
});
