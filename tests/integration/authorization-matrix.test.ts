import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VoteInput } from '../../server/domain/votes.js';
import { getPage, postForm, sessionCookieOf, signIn, startTestApp, type TestApp } from './helpers/app.js';
import { meetingInput } from './helpers/meetings.js';
import { voteInput } from './helpers/votes.js';

/**
 * Every page, action and endpoint of the membership work against every kind of person. Each cell is asserted.
 * Shown to fail when a check is removed: deleting the coordinator check from MembershipService.approve turns the
 * member/moderator cells of "approve" from 403 into 404, and deleting the representative check from
 * OrganisationsService turns member1's "org profile" cell from 403 into 400. Votes: with Abilities.mayCall always true,
 * the member and moderator cells of "close a vote" turn from 403 into ok. Without the steward check in
 * DraftsService.setVisibility and the coordinator check in ModerationService.setSpaceVisibility, the member cells of
 * "draft visibility" and "space visibility" turn from 403 into 400.
 */
const ROLES = ['visitor', 'applicant', 'member', 'moderator', 'coordinator', 'suspended'] as const;
type Role = (typeof ROLES)[number];

// ok: 200 · login: sent to sign in · app: sent to /application · away: sent elsewhere (already signed in)
// 400: allowed, input refused · 401 / 403 / 404: refused
type Outcome = 'ok' | 'login' | 'app' | 'away' | '400' | '401' | '403' | '404' | '409';

let app: TestApp;
let base: string;
const cookies: Partial<Record<Role, string>> = {};
let targetId = 0;
const votes = { members: 0, group: 0, public: 0 };
let meetingId = 0;
let draftId = 0;

beforeAll(async () => {
	app = await startTestApp();
	base = app.url;
	const applied = await postForm(base, '/join', {
		kind: 'individual',
		name: 'Arta Aplikuese',
		email: 'aplikuese@example.org',
		password: 'nje-fjalekalim-i-gjate',
		city: 'Berat',
		fields: 'music',
		motivation: 'Dua të marr pjesë në rrjet si muzikante e pavarur.'
	});
	cookies.applicant = sessionCookieOf(applied)!;
	cookies.member = await signIn(base, 'member1@demo.test');
	cookies.moderator = await signIn(base, 'moderator@demo.test');
	cookies.coordinator = await signIn(base, 'coordinator@demo.test');
	cookies.suspended = await signIn(base, 'alketa.musai@demo.test');
	const ids = await app.ctx.db.selectFrom('users').select(['id', 'email']).where('email', 'in', ['alketa.musai@demo.test', 'member2@demo.test']).execute();
	targetId = ids.find((u) => u.email === 'member2@demo.test')!.id;
	const suspendedId = ids.find((u) => u.email === 'alketa.musai@demo.test')!.id;
	const coordinator = await app.ctx.services.auth.authenticate(decodeURIComponent(cookies.coordinator.split('=')[1]));
	await app.ctx.services.coordination.suspend(coordinator, suspendedId, 'matrix test');
	// Votes: one for all members, one of a group member1 facilitates, a public one.
	const group = await app.ctx.db.selectFrom('groups').select('id').where('slug', '=', 'klasteri-vlore').executeTakeFirstOrThrow();
	const create = (over: Partial<VoteInput>) => app.ctx.services.votes.create(coordinator, voteInput(over), {}, true);
	votes.members = await create({});
	votes.group = await create({ eligibility: 'group', groupId: group.id });
	votes.public = await create({ visibility: 'public' });
	draftId = await app.ctx.services.drafts.create(coordinator, { title: 'Matrica e shkrimit', summary: '', group: '', field: 'music', visibility: 'members' });
	meetingId = await app.ctx.services.meetings.create(coordinator, meetingInput({ title: 'Matrica' }));
});
afterAll(async () => app?.dispose());

const redirected = (to: string): Outcome => (to.startsWith('/login') ? 'login' : to === '/application' ? 'app' : 'away');

async function outcome(res: Response): Promise<Outcome | string> {
	if (res.headers.get('content-type')?.includes('application/json') && res.headers.get('content-disposition') === null) {
		// An action answered as to use:enhance: the action's own result, before any page load runs.
		const body = (await res.json()) as { type: string; status?: number; location?: string };
		if (body.type === 'success') return 'ok';
		if (body.type === 'redirect') return redirected(body.location ?? '');
		return String(body.status);
	}
	if (res.status === 303) return redirected(res.headers.get('location') ?? '');
	return res.status === 200 ? 'ok' : String(res.status);
}

type Cell = [name: string, request: (cookie?: string) => Promise<Response>, expected: Outcome[]];
const page = (path: string) => (cookie?: string) => getPage(base, path, cookie);
/** Calls a form action the way use:enhance does, so the answer is the action's (the service's), not a page load's. */
const post = (path: string, body: Record<string, string> = {}) => (cookie?: string) =>
	fetch(base + path, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			accept: 'application/json',
			'x-sveltekit-action': 'true',
			origin: base,
			'content-type': 'application/x-www-form-urlencoded',
			...(cookie ? { cookie } : {})
		},
		body: new URLSearchParams(body)
	});
const target = (suffix = '') => `/members/${targetId}${suffix}`;

//                                 visitor  applicant member  moderator coordinator suspended
const MEMBERS_PAGE: Outcome[] = ['login', 'app', 'ok', 'ok', 'ok', 'login'];
const COORDINATORS_PAGE: Outcome[] = ['login', 'app', '403', '403', 'ok', 'login'];
const PUBLIC: Outcome[] = ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'];

const cells = (): Cell[] => [
	['landing', page('/'), PUBLIC],
	['join form', page('/join'), ['ok', 'app', 'away', 'away', 'away', 'ok']],
	['sign-in form', page('/login'), ['ok', 'app', 'away', 'away', 'away', 'ok']],
	['forgot form', page('/forgot'), PUBLIC],
	['own application', page('/application'), ['login', 'ok', 'away', 'away', 'away', 'login']],
	['directory', page('/members'), MEMBERS_PAGE],
	['profile', page(target()), MEMBERS_PAGE],
	['organisations', page('/organisations'), PUBLIC],
	['organisation', page('/organisations/vlora-art'), PUBLIC],
	['groups', page('/groups'), PUBLIC],
	['group', page('/groups/klasteri-vlore'), PUBLIC],
	['settings: profile', page('/settings'), MEMBERS_PAGE],
	['settings: notifications', page('/settings/notifications'), MEMBERS_PAGE],
	['settings: security', page('/settings/security'), MEMBERS_PAGE],
	['settings: data', page('/settings/data'), MEMBERS_PAGE],
	['settings: API tokens', page('/settings/api'), MEMBERS_PAGE],
	['create an API token', post('/settings/api?/create', { name: '' }), ['401', '403', '400', '400', '400', '401']],
	['revoke an API token', post('/settings/api?/revoke', { id: '999999' }), ['401', '403', '404', '404', '404', '401']],
	['export', page('/settings/data/export'), ['login', 'ok', 'ok', 'ok', 'ok', 'login']],
	['review queue', page('/coordination'), COORDINATORS_PAGE],
	['outbox', page('/coordination/outbox'), COORDINATORS_PAGE],
	['audit log', page('/coordination/audit'), COORDINATORS_PAGE],
	['setup wizard', page('/coordination/setup'), COORDINATORS_PAGE],
	['setup: mail', page('/coordination/setup/mail'), COORDINATORS_PAGE],
	['setup: first members', page('/coordination/setup/members'), COORDINATORS_PAGE],
	['finish the setup', post('/coordination/setup?/finish'), ['401', '403', '403', '403', 'ok', '401']],
	// The network has its coordinator: the setup link's route is gone for everyone.
	['setup link', page('/setup/any-token'), ['404', '404', '404', '404', '404', '404']],
	['approve', post('/coordination?/approve', { id: '999999' }), ['401', '403', '403', '403', '404', '401']],
	['reject', post('/coordination?/reject', { id: '999999', reason: 'x' }), ['401', '403', '403', '403', '400', '401']],
	['change role', post(target('?/role'), { role: 'emperor' }), ['401', '403', '403', '403', '400', '401']],
	['suspend', post(target('?/suspend'), { reason: '' }), ['401', '403', '403', '403', '400', '401']],
	['reinstate', post(target('?/reinstate')), ['401', '403', '403', '403', '404', '401']],
	['decide group request', post('/groups/komuniteti-kerkimor?/decide', { userId: '999999', decision: 'approve' }), ['401', '403', '403', '403', '404', '401']],
	['remove from group', post('/groups/komuniteti-kerkimor?/remove', { userId: '999999' }), ['401', '403', '403', '403', '404', '401']],
	['group role', post('/groups/komuniteti-kerkimor?/role', { userId: '999999', role: 'emperor' }), ['401', '403', '403', '403', '400', '401']],
	['draft visibility', post(`/drafts/${draftId}?/visibility`, { visibility: 'secret' }), ['401', '404', '403', '403', '400', '401']],
	['space visibility', post('/moderation?/visibility', { space: 'group-klasteri-vlore', visibility: 'secret' }), ['401', '403', '403', '403', '400', '401']],
	['join group', post('/groups/komuniteti-kerkimor?/join'), ['401', '403', 'ok', 'ok', 'ok', '401']],
	['org profile', post('/organisations/kerkyra-music-lab?/profile', { name: '' }), ['401', '403', '403', '400', '400', '401']],
	['add representative', post('/organisations/kerkyra-music-lab?/addRepresentative', { email: 'nobody@x.org' }), ['401', '403', '403', '400', '400', '401']],
	['remove representative', post('/organisations/kerkyra-music-lab?/removeRepresentative', { userId: '999999' }), ['401', '403', '403', 'ok', 'ok', '401']],
	['save profile', post('/settings', { displayName: '' }), ['401', '403', '400', '400', '400', '401']],
	['save notifications', post('/settings/notifications', { email: 'weekly' }), ['401', '403', '400', '400', '400', '401']],
	['change password', post('/settings/security?/password', { current: 'wrong', next: 'x', confirm: 'x' }), ['401', '400', '400', '400', '400', '401']],
	['sign out other sessions', post('/settings/security?/signOutOthers'), ['401', 'ok', 'ok', 'ok', 'ok', '401']],
	['delete account', post('/settings/data?/delete', { password: 'wrong' }), ['401', '400', '400', '400', '400', '401']],
	['vote (members)', page(`/votes/${votes.members}`), ['login', '404', 'ok', 'ok', 'ok', 'login']],
	['vote (public)', page(`/votes/${votes.public}`), PUBLIC],
	['cast, bad ballot', post(`/votes/${votes.members}?/cast`, { choice: 'maybe' }), ['401', '404', '400', '400', '400', '401']],
	['cast in a public vote', post(`/votes/${votes.public}?/cast`, { choice: 'yes' }), ['401', '403', 'ok', 'ok', 'ok', '401']],
	['open an open vote', post(`/votes/${votes.members}?/open`), ['401', '404', '403', '403', '409', '401']],
	['cancel an open vote', post(`/votes/${votes.group}?/cancel`), ['401', '404', '409', '403', '409', '401']],
	['close a group vote', post(`/votes/${votes.group}?/close`), ['401', '404', 'ok', '403', 'ok', '401']],
	['close a vote', post(`/votes/${votes.members}?/close`), ['401', '404', '403', '403', 'ok', '401']],
	['decisions', page('/decisions'), PUBLIC],
	['meetings', page('/meetings'), PUBLIC],
	['meeting (members)', page(`/meetings/${meetingId}`), ['login', '404', 'ok', 'ok', 'ok', 'login']],
	['live room', page(`/meetings/${meetingId}/live`), ['login', '404', 'ok', 'ok', 'ok', 'login']],
	['projector', page(`/meetings/${meetingId}/projector`), ['login', '404', 'ok', 'ok', 'ok', 'login']],
	['meeting .ics', page(`/meetings/${meetingId}/meeting.ics`), ['login', '404', 'ok', 'ok', 'ok', 'login']],
	['add an agenda item', post(`/meetings/${meetingId}?/addItem`, { title: '' }), ['401', '404', '403', '403', '400', '401']],
	['open a vote in a meeting', post(`/meetings/${meetingId}/live?/openVote`, { itemId: '1', title: 'x', method: 'yes_no' }), ['401', '404', '403', '403', '409', '401']]
];

describe('authorisation matrix', () => {
	it('answers every cell as specified', async () => {
		const got: Record<string, Record<Role, string>> = {};
		const want: Record<string, Record<Role, string>> = {};
		for (const [name, request, expected] of cells()) {
			got[name] = {} as Record<Role, string>;
			want[name] = {} as Record<Role, string>;
			for (const [i, role] of ROLES.entries()) {
				got[name][role] = await outcome(await request(cookies[role]));
				want[name][role] = expected[i];
			}
		}
		expect(got).toEqual(want);
	});
});
