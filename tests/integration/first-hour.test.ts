import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { ThreadSummary } from '../../src/lib/shared/forum.js';
import { getPage, postForm, startTestApp, type TestApp } from './helpers/app.js';
import { makePeople, memberSocket, personByEmail, type Person } from './helpers/votes.js';
import { NetworkService } from '../../server/services/network.service.js';
import { MemoryRateLimits } from '../../server/services/rate-limits.js';

/*
 * A member's first hour, continued (issue #17 points 4, 7 and 9), through the real server: @mention suggestions,
 * mentions kept as `@Name` in forms, tags across spaces, and new threads arriving live in a space's list.
 *
 * Shown to fail without their guards: with `this.#requireMember(auth)` removed from NetworkService.suggest, the
 * applicant's suggestion is answered (ok: true) instead of refused; with the `canRead` filter removed from
 * ForumService.tagged (all categories passed), the visitor's /forum?tag=buxheti lists the members-only thread;
 * with the `forum:watch` room replaced by a broadcast to every socket (`io.emit`) in the thread_created
 * broadcaster, the applicant and the outsider hear the new thread ("expected true to be false").
 */

let app: TestApp;
let base: string;
const sockets: Socket[] = [];

beforeAll(async () => {
	app = await startTestApp();
	base = app.url;
});
afterAll(async () => {
	for (const s of sockets) s.close();
	await app?.dispose();
});

const ack = <T>(s: Socket, event: string, payload?: unknown) =>
	new Promise<T>((resolve) => (payload === undefined ? s.emit(event, resolve) : s.emit(event, payload, resolve)));
async function socketOf(p: Person): Promise<Socket> {
	const s = await memberSocket(base, p.cookie);
	sockets.push(s);
	return s;
}
type Suggested = { ok: true; members: { id: number; name: string }[] } | { ok: false; code: string };
const suggest = (s: Socket, q: string) => ack<Suggested>(s, 'members:suggest', { q });
const names = (res: Suggested) => (res.ok ? res.members.map((p) => p.name) : []);

describe('@mention suggestions', () => {
	let s: Socket;
	beforeAll(async () => {
		s = await socketOf(await personByEmail(app, 'member3@demo.test'));
	});

	it('finds people by the start of their name or of a later word of it, accents and case aside', async () => {
		expect(names(await suggest(s, 'Arben'))[0]).toBe('Arben Krasniqi');
		expect(names(await suggest(s, 'krasn'))).toEqual(['Arben Krasniqi']);
		expect(names(await suggest(s, 'ELIRA'))).toEqual(['Elira Hoxha']);
	});

	it('finds the same person from Greek and Latin letters', async () => {
		expect(names(await suggest(s, 'Αρμπεν'))).toEqual(['Arben Krasniqi']);
		expect(names(await suggest(s, 'Μαρία'))).toContain('Maria Georgiou');
		// And the other way: a Greek member's name typed in Latin letters, with or without the Greek-style "ou".
		expect(names(await suggest(s, 'Papadopulos'))).toEqual(['Nikos Papadopoulos']);
		expect(names(await suggest(s, 'Τσάκαλ'))).toEqual(['Vasilis Tsakalos']);
	});

	it("finds people by their email's local part, and never sends an email back", async () => {
		const res = await suggest(s, 'member1');
		expect(names(res)).toEqual(['Arben Krasniqi']);
		expect(names(await suggest(s, 'sokol.mar'))).toEqual(['Sokol Marku']);
		for (const q of ['member', 'demo', 'Maria', 'coordinator']) {
			const answer = await suggest(s, q);
			expect(JSON.stringify(answer)).not.toMatch(/@|demo\.test/);
			if (answer.ok) for (const person of answer.members) expect(Object.keys(person).sort()).toEqual(['id', 'name']);
		}
		// The domain is no one's name: "demo" finds nobody though every email holds it.
		expect(names(await suggest(s, 'demo'))).toEqual([]);
	});

	it('lists at most eight, names first, and refuses what is too long or not from a member', async () => {
		expect(names(await suggest(s, 'a')).length).toBeLessThanOrEqual(8);
		expect(await suggest(s, 'x'.repeat(61))).toMatchObject({ ok: false, code: 'invalid_input' });
		const [applicant] = await makePeople(app, 1, 'applicant');
		expect(await suggest(await socketOf(applicant), 'Arben')).toMatchObject({ ok: false, code: 'forbidden' });
	});

	it('is rate-limited per member', async () => {
		// The test server's limits are relaxed for automated runs: the standard ones are checked on the service.
		const network = new NetworkService(app.ctx.db, () => 'sq', new MemoryRateLimits('standard'));
		const [one, other] = await makePeople(app, 2);
		for (let i = 0; i < 120; i++) await network.suggest(one.auth, 'ar');
		await expect(network.suggest(one.auth, 'ar')).rejects.toMatchObject({ code: 'rate_limited' });
		expect((await network.suggest(other.auth, 'Arben')).map((p) => p.name)).toEqual(['Arben Krasniqi']);
	});
});

describe('mentions in forms: the box shows @Name, the post keeps who it is', () => {
	it('a reply sent as the text box sends it becomes a mention that links and notifies', async () => {
		const writer = await personByEmail(app, 'member3@demo.test');
		const arben = await personByEmail(app, 'member1@demo.test');
		const thread = await app.ctx.db.selectFrom('threads').select('id').where('title', 'like', 'Propozim:%').executeTakeFirstOrThrow();
		const before = await app.ctx.services.notifications.unreadOf(arben.id);
		const res = await postForm(
			base,
			`/forum/t/${thread.id}?/reply`,
			{ body: 'Pyetje për @Arben Krasniqi: po Vlora?', 'body-mentions': JSON.stringify([[arben.id, 'Arben Krasniqi']]) },
			writer.cookie
		);
		expect(res.status).toBeLessThan(400);
		const post = await app.ctx.db.selectFrom('posts').select(['id', 'body', 'html']).where('thread_id', '=', thread.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
		expect(post.body).toBe(`Pyetje për @[Arben Krasniqi](member:${arben.id}): po Vlora?`);
		expect(post.html).toContain(`<a class="mention" href="/members/${arben.id}">@Arben Krasniqi</a>`);
		expect(await app.ctx.services.notifications.unreadOf(arben.id)).toBe(before + 1);
		// Editing it round-trips: the editor gets the stored form, shows @Name, and sends it back the same way.
		const source = (await (await getPage(base, `/forum/p/${post.id}/source`, writer.cookie)).json()) as { body: string };
		expect(source.body).toBe(post.body);
		await postForm(
			base,
			`/forum/t/${thread.id}?/edit`,
			{ postId: String(post.id), body: 'Pyetje për @Arben Krasniqi: po Vlora, po Saranda?', 'body-mentions': JSON.stringify([[arben.id, 'Arben Krasniqi']]) },
			writer.cookie
		);
		const edited = await app.ctx.db.selectFrom('posts').select('body').where('id', '=', post.id).executeTakeFirstOrThrow();
		expect(edited.body).toBe(`Pyetje për @[Arben Krasniqi](member:${arben.id}): po Vlora, po Saranda?`);
	});
});

describe('tags', () => {
	it('/forum?tag= lists a tag across the spaces the reader may see, and only those', async () => {
		const member = await personByEmail(app, 'member4@demo.test');
		// "buxheti" is the tag of a members-only thread (legislation-advocacy): a visitor does not see it.
		const visitor = await (await getPage(base, '/forum?tag=buxheti')).text();
		expect(visitor).not.toContain('Buxheti 2027');
		const theirs = await (await getPage(base, '/forum?tag=buxheti', member.cookie)).text();
		expect(theirs).toContain('Buxheti 2027');

		// One tag in a public and in a members-only space: the visitor gets the public one, a member both.
		const elira = await personByEmail(app, 'coordinator@demo.test');
		await app.ctx.services.forumWriting.createThread(elira.auth, { category: 'cultural-heritage', title: 'Trashëgimia dhe festivali', body: 'Publike.', tags: 'festivali' });
		await app.ctx.services.forumWriting.createThread(elira.auth, { category: 'music', title: 'Muzika dhe festivali', body: 'Vetëm anëtarët.', tags: 'festivali, muzika' });
		const open = await (await getPage(base, '/forum?tag=festivali')).text();
		expect(open).toContain('Trashëgimia dhe festivali');
		expect(open).not.toContain('Muzika dhe festivali');
		const both = await (await getPage(base, '/forum?tag=%23Festivali', member.cookie)).text();
		expect(both).toContain('Trashëgimia dhe festivali');
		expect(both).toContain('Muzika dhe festivali');

		// A group space's tag is for the group: an outsider of the Korçë cluster does not get its thread.
		const outsider = await personByEmail(app, 'member1@demo.test');
		expect(await (await getPage(base, '/forum?tag=takim', outsider.cookie)).text()).not.toContain('Takimi i klasterit');
		const insider = await personByEmail(app, 'ilir.gjoni@demo.test');
		expect(await (await getPage(base, '/forum?tag=takim', insider.cookie)).text()).toContain('Takimi i klasterit');
	});

	it('a thread page links its tags, and an impossible tag lists nothing', async () => {
		const thread = await app.ctx.db.selectFrom('threads').select('id').where('title', 'like', 'Propozim:%').executeTakeFirstOrThrow();
		expect(await (await getPage(base, `/forum/t/${thread.id}`)).text()).toContain('href="/forum?tag=ligji"');
		const res = await getPage(base, '/forum?tag=%25%22%20or%201');
		expect(res.status).toBe(200);
		expect(await res.text()).not.toContain('/forum/t/');
	});

	it('search finds threads by their tags, as far as the reader may see them', async () => {
		expect(await (await getPage(base, '/search?q=advokim')).text()).toContain('ligjin e ri të kulturës');
		const member = await personByEmail(app, 'member4@demo.test');
		expect(await (await getPage(base, '/search?q=buxheti')).text()).not.toContain('Buxheti 2027');
		expect(await (await getPage(base, '/search?q=buxheti', member.cookie)).text()).toContain('Buxheti 2027');
	});
});

describe('a new thread appears live in its space', () => {
	const hears = (s: Socket, title: string) =>
		new Promise<boolean>((resolve) => {
			const timer = setTimeout(() => resolve(false), 1500);
			s.on('thread:created', (e: { categoryId: number; thread: ThreadSummary }) => {
				if (e.thread.title === title) {
					clearTimeout(timer);
					resolve(true);
				}
			});
		});

	it('reaches the readers of a members-only space and not an applicant', async () => {
		const reader = await personByEmail(app, 'member4@demo.test');
		const [applicant] = await makePeople(app, 1, 'applicant');
		const [r, a] = await Promise.all([socketOf(reader), socketOf(applicant)]);
		expect(await ack(r, 'forum:watch')).toMatchObject({ ok: true });
		expect(await ack(a, 'forum:watch')).toMatchObject({ ok: true });
		const title = 'Ftesë: takimi i muzikantëve';
		const [readerHeard, applicantHeard] = [hears(r, title), hears(a, title)];
		const author = await personByEmail(app, 'member5@demo.test');
		const id = await app.ctx.services.forumWriting.createThread(author.auth, { category: 'music', title, body: 'Vetëm për anëtarët.', tags: 'muzika' });
		expect(await readerHeard).toBe(true);
		expect(await applicantHeard).toBe(false);
		expect((await app.ctx.services.forum.category(reader.auth, 'music')).threads.map((t) => t.id)).toContain(id);
	});

	it("reaches a group's members and not a member outside the group", async () => {
		const insider = await personByEmail(app, 'ilir.gjoni@demo.test');
		const outsider = await personByEmail(app, 'member1@demo.test');
		const [i, o] = await Promise.all([socketOf(insider), socketOf(outsider)]);
		await Promise.all([ack(i, 'forum:watch'), ack(o, 'forum:watch')]);
		const title = 'Klasteri: data e re';
		const [insiderHeard, outsiderHeard] = [hears(i, title), hears(o, title)];
		const blerina = await personByEmail(app, 'member3@demo.test');
		await app.ctx.services.forumWriting.createThread(blerina.auth, { category: 'group-klasteri-korce', title, body: 'Për klasterin.', tags: '' });
		expect(await insiderHeard).toBe(true);
		expect(await outsiderHeard).toBe(false);
	});
});
