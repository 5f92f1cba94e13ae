import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { docNameOf } from '../../server/services/drafts.service.js';
import { EXPORT_PAGE_SIZE } from '../../server/services/member-export.service.js';
import { newDeviceToken } from '../../src/lib/shared/votes.js';
import { getPage, startTestApp, type TestApp } from './helpers/app.js';
import { castByForm, makePeople, personByEmail, voteInput, type Person } from './helpers/votes.js';
import { provider, synced, writeParagraphs } from './helpers/yjs.js';
import { logLength } from './helpers/documents.js';
import { translationDocName } from '../../src/lib/shared/translations.js';

let app: TestApp;
beforeAll(async () => {
	app = await startTestApp();
});
afterAll(async () => {
	await app?.dispose();
});

const b64 = (rel: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(rel)).toString('base64');
/** Anchors for characters [from, to) of the first paragraph, as the editor makes them. */
function anchors(doc: Y.Doc, from: number, to: number) {
	const text = (doc.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText;
	return { anchorStart: b64(Y.createRelativePositionFromTypeIndex(text, from)), anchorEnd: b64(Y.createRelativePositionFromTypeIndex(text, to, -1)) };
}

/** Everything one person wrote and chose, each piece marked with `tag` so the other's export can be searched for it. */
async function writeEverything(person: Person, tag: string, coordinator: Person) {
	const s = app.ctx.services;
	const threadId = await s.forumWriting.createThread(person.auth, { category: 'music', title: `Tema ${tag}`, body: `Hapja ${tag}`, tags: '' });
	const replyId = await s.forumWriting.reply(person.auth, threadId, null, `Përgjigja e parë ${tag}`);
	await s.forumWriting.edit(person.auth, replyId, `Përgjigja e ndryshuar ${tag}`);
	await s.forumWriting.react(person.auth, replyId, '👍', true);

	const draftId = await s.drafts.create(person.auth, { title: `Drafti ${tag}`, summary: '', group: '', field: 'music', visibility: 'members' });
	const doc = new Y.Doc();
	const p = provider(app.url, doc, docNameOf(draftId), person.cookie);
	await synced(p);
	writeParagraphs(doc, ['Festivali merr dhjetë mijë euro.']);
	await expect.poll(() => logLength(app, docNameOf(draftId))).toBeGreaterThan(0);
	const at = anchors(doc, 15, 26);
	await s.drafts.comment(person.auth, draftId, { body: `Komenti ${tag}`, ...at });
	await s.drafts.setStatus(person.auth, draftId, 'frozen');
	await s.drafts.propose(person.auth, draftId, { ...at, replacement: `pesëmbëdhjetë mijë ${tag}`, reason: `Arsyeja ${tag}` });
	p.destroy();
	// A comment on the Greek translation of a draft (begun as a copy of its text), anchored in that translation.
	const translated = await s.drafts.create(person.auth, { title: `Drafti i përkthyer ${tag}`, summary: '', group: '', field: 'music', visibility: 'members' });
	await s.documents.change(docNameOf(translated), (d) => writeParagraphs(d, ['Festivali merr dhjetë mijë euro.']));
	await s.drafts.addTranslation(person.auth, translated, 'el');
	const greek = new Y.Doc();
	Y.applyUpdate(greek, await s.documents.state(translationDocName(translated, 'el')));
	await s.drafts.comment(person.auth, translated, { body: `Σχόλιο ${tag}`, ...anchors(greek, 0, 9), lang: 'el' });

	const openVote = await s.votes.create(coordinator.auth, voteInput({ title: `Votim i hapur ${tag}` }), {}, true);
	const secretVote = await s.votes.create(coordinator.auth, voteInput({ title: `Votim i fshehtë ${tag}`, secret: true }), {}, true);
	const open = await castByForm(app.url, openVote, person.cookie, { choice: 'yes', castId: newDeviceToken(), changeKey: newDeviceToken() });
	const secret = await castByForm(app.url, secretVote, person.cookie, { choice: 'no', castId: newDeviceToken(), changeKey: newDeviceToken() });
	if (!open.ok || !secret.ok) throw new Error(`casting failed: ${JSON.stringify([open, secret])}`);
	return { threadId, replyId, draftId, openVote, secretVote, openReceipt: open.receipt, secretReceipt: secret.receipt };
}

describe("a member's data export", () => {
	// The guard: openBallotsPage reads ballots by the member's own unit, in votes that are not secret. Replacing it
	// with a search by participation (vote_eligible.voted, which secret votes keep too) and dropping `v.secret = 0`
	// made the first test fail: the secret vote's title, receipt and choice were in the export.
	it("holds the member's posts, revisions, comments, amendments, reactions and open ballots, nothing of another member, and no secret ballot", async () => {
		const coordinator = await personByEmail(app, 'coordinator@demo.test');
		// New members: the demo network's own members have written before.
		const [me, other] = await makePeople(app, 2);
		const mine = await writeEverything(me, 'IMJA', coordinator);
		const theirs = await writeEverything(other, 'TJETRI', coordinator);

		const res = await getPage(app.url, '/settings/data/export', me.cookie);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-disposition')).toContain('kuvend-export.json');
		const raw = await res.text();
		const data = JSON.parse(raw);
		expect(data.account.id).toBe(me.id);
		expect(raw).not.toContain('argon2');

		expect(data.posts.map((p: { body: string }) => p.body)).toEqual(expect.arrayContaining(['Hapja IMJA', 'Përgjigja e ndryshuar IMJA']));
		expect(data.posts.find((p: { id: number }) => p.id === mine.replyId)).toMatchObject({ threadId: mine.threadId, threadTitle: 'Tema IMJA', editedAt: expect.any(Number) });
		expect(data.postRevisions).toEqual([expect.objectContaining({ postId: mine.replyId, body: 'Përgjigja e parë IMJA', byMe: true })]);
		expect(data.reactions).toEqual([expect.objectContaining({ postId: mine.replyId, emoji: '👍' })]);
		expect(data.draftComments).toEqual([
			expect.objectContaining({ draftId: mine.draftId, body: 'Komenti IMJA', quote: 'dhjetë mijë', language: null }),
			expect.objectContaining({ body: 'Σχόλιο IMJA', quote: 'Festivali', language: 'el' })
		]);
		expect(data.amendments).toEqual([expect.objectContaining({ draftId: mine.draftId, original: 'dhjetë mijë', replacement: 'pesëmbëdhjetë mijë IMJA', reason: 'Arsyeja IMJA', status: 'proposed' })]);
		expect(data.openBallots).toEqual([
			{ voteId: mine.openVote, voteTitle: 'Votim i hapur IMJA', method: 'yes_no', status: 'open', options: [], receipt: mine.openReceipt, ballot: { method: 'yes_no', choice: 'yes' } }
		]);
		// Their ballot in the other open vote is theirs: this export has no ballot in it.
		expect(data.openBallots.some((b: { voteId: number }) => b.voteId === theirs.openVote)).toBe(false);

		// Nothing of the other member, and nothing of any secret vote: not its id, title, or receipt.
		expect(raw).not.toContain('TJETRI');
		expect(raw).not.toContain('Votim i fshehtë');
		expect(raw).not.toContain(mine.secretReceipt);
		expect(JSON.stringify(data.openBallots)).not.toContain(`"voteId":${mine.secretVote}`);

		// The same as a page to read: in the member's language, escaped, no script, one style named by its hash.
		const page = await getPage(app.url, '/settings/data/export?format=html', me.cookie);
		expect(page.headers.get('content-type')).toContain('text/html');
		expect(page.headers.get('content-disposition')).toContain('kuvend-export.html');
		expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'; style-src 'sha256-/);
		const html = await page.text();
		expect(html).toContain('<html lang="sq">');
		expect(html).toContain('Postimet');
		expect(html).toContain('Përgjigja e ndryshuar IMJA');
		expect(html).toContain('Zgjedhja juaj: Po');
		expect(html).toContain('në përkthimin: Ελληνικά');
		expect(html).not.toContain('TJETRI');
		expect(html).not.toContain('Votim i fshehtë');
		expect(html).not.toMatch(/<script/i);
	});

	it('escapes what members wrote in the page, and writes it in the reader’s language', async () => {
		const [me] = await makePeople(app, 1);
		await app.ctx.services.forumWriting.createThread(me.auth, { category: 'music', title: '<img src=x onerror=alert(1)>', body: '<script>alert("x")</script> & "të gjitha"', tags: '' });
		await app.ctx.services.preferences.setLocale(me.auth, 'en');
		const page = await getPage(app.url, '/settings/data/export?format=html', me.cookie);
		const html = await page.text();
		expect(html).toContain('<html lang="en">');
		expect(html).toContain('<h2>Posts</h2>');
		expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;të gjitha&quot;');
		expect(html).toContain('In “&lt;img src=x onerror=alert(1)&gt;”');
		expect(html).not.toMatch(/<script|<img/i);
	});

	it('pages through a member who wrote more than a page holds, each post once and in order', async () => {
		const [me] = await makePeople(app, 1);
		const threadId = await app.ctx.services.forumWriting.createThread(me.auth, { category: 'music', title: 'Shumë postime', body: 'fillimi', tags: '' });
		const now = Date.now();
		const count = EXPORT_PAGE_SIZE * 2 + 7;
		// Volume only: rows as the forum writes them, inserted at once (posting 1,007 times through the rate limits
		// would test the limits, not the export).
		const rows = Array.from({ length: count }, (_, i) => ({ thread_id: threadId, author_id: me.id, body: `Postimi ${i}`, html: `<p>Postimi ${i}</p>`, created_at: now + i }));
		for (let i = 0; i < rows.length; i += 200) await app.ctx.db.insertInto('posts').values(rows.slice(i, i + 200)).execute();
		const data = await (await getPage(app.url, '/settings/data/export', me.cookie)).json();
		const bodies = data.posts.map((p: { body: string }) => p.body).filter((b: string) => b.startsWith('Postimi '));
		expect(bodies).toEqual(rows.map((r) => r.body));
		const ids = data.posts.map((p: { id: number }) => p.id);
		expect(ids).toEqual([...ids].sort((a, b) => a - b));
	});

	it('is refused to visitors', async () => {
		const res = await getPage(app.url, '/settings/data/export?format=html');
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toContain('/login');
	});

	// Last: a second server in this process takes over the bridge to the app context (and stopping it ends it).
	it('is limited per member: a few downloads, not a loop', async () => {
		const strict = await startTestApp({ RATE_LIMITS: 'standard' });
		try {
			const [me, other] = await makePeople(strict, 2);
			for (let i = 0; i < 10; i++) expect((await getPage(strict.url, i % 2 ? '/settings/data/export?format=html' : '/settings/data/export', me.cookie)).status).toBe(200);
			expect((await getPage(strict.url, '/settings/data/export', me.cookie)).status).toBe(429);
			// Another member is not held back by it.
			expect((await getPage(strict.url, '/settings/data/export', other.cookie)).status).toBe(200);
		} finally {
			await strict.dispose();
		}
	});
});
