import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPage, startTestApp, type TestApp } from './helpers/app.js';
import { personByEmail, voteInput, type Person } from './helpers/votes.js';
import { parseAtom, type AtomParsed } from './helpers/atom.js';
import { meetingInput } from './helpers/meeting-input.js';

/**
 * Titles with markup and script from the XSS corpus (those a title may hold), each must come back as text. Not those
 * with a NUL character: PostgreSQL refuses to store one (a new thread titled so fails there, before any feed).
 */
const corpus = (JSON.parse(fs.readFileSync(new URL('../fixtures/xss-corpus.json', import.meta.url), 'utf8')) as string[]).filter((t) => t.trim() && t.length <= 200 && !t.includes('\u0000'));
/** XML normalises line ends; a title is compared as a parser reads it. */
const asRead = (s: string) => s.trim().replace(/\r\n?/g, '\n');

let app: TestApp;
let base: string;
let coordinator: Person;
let member: Person;


async function feed(path: string, headers: Record<string, string> = {}): Promise<{ res: Response; atom: AtomParsed }> {
	const res = await fetch(base + path, { headers });
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
	const atom = parseAtom(await res.text());
	expect(atom.problems).toEqual([]);
	return { res, atom };
}

async function decide(title: string, visibility: 'public' | 'members', groupId: number | null = null): Promise<void> {
	const id = await app.ctx.services.votes.create(coordinator.auth, voteInput({ title, visibility, groupId, eligibility: groupId ? 'group' : 'members' }), {}, true);
	await app.ctx.services.votes.close(coordinator.auth, id);
}

beforeAll(async () => {
	app = await startTestApp();
	base = app.url;
	[coordinator, member] = await Promise.all([personByEmail(app, 'coordinator@demo.test'), personByEmail(app, 'member1@demo.test')]);
	const s = app.ctx.services;
	for (const title of corpus.slice(0, 6)) await decide(title, 'public');
	await decide('Members only decision MARK-D', 'members');
	for (const title of corpus.slice(6, 12)) await s.meetings.create(coordinator.auth, meetingInput({ title }));
	await s.meetings.create(coordinator.auth, meetingInput({ title: 'Members only meeting MARK-M', visibility: 'members' }));
	for (const title of corpus.slice(12, 37)) await s.forumWriting.createThread(coordinator.auth, { category: 'cultural-heritage', title, body: 'Trupi.', tags: '' });
	await s.forumWriting.createThread(coordinator.auth, { category: 'music', title: 'Members only thread MARK-T', body: 'Trupi.', tags: '' });
	for (const title of corpus.slice(37, 43)) await s.drafts.create(coordinator.auth, { title, summary: title, group: '', field: 'cultural-policy', visibility: 'public' });
	await s.drafts.create(coordinator.auth, { title: 'Members only draft MARK-R', summary: '', group: '', field: 'cultural-policy', visibility: 'members' });
});
afterAll(async () => app?.dispose());

describe('Atom feeds', () => {
	it('lists the public decisions as the register shows them to a visitor, titles as text, members-only ones absent', async () => {
		const { atom, res } = await feed('/decisions/atom.xml');
		const register = (await app.ctx.services.votes.decisions(null)).decisions;
		expect(atom.entries.map((e) => e.title)).toEqual(register.slice(0, 50).map((d) => asRead(d.title)));
		for (const title of corpus.slice(0, 6)) expect(atom.entries.map((e) => e.title)).toContain(asRead(title));
		expect(atom.entries.some((e) => e.title.includes('MARK-D'))).toBe(false);
		expect(atom.id).toBe(`${base}/decisions/atom.xml`);
		expect(atom.links).toContainEqual({ rel: 'self', href: `${base}/decisions/atom.xml`, type: 'application/atom+xml' });
		expect(atom.entries[0].id).toBe(`${base}/decisions#decision-${register[0].id}`);
		expect(atom.updated).toBe(new Date(register[0].decidedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'));
		expect(res.headers.get('last-modified')).toBe(new Date(Math.floor(register[0].decidedAt / 1000) * 1000).toUTCString());
		// The outcome is in words, in the reader's language.
		expect(atom.lang).toBe('sq');
		// No ballot was cast: said in words, for the whole network.
		expect(atom.entries[0].summary).toMatch(/^Pa vota të vlefshme · Gjithë rrjeti · /);
	});

	it('is the same visitor feed for a signed-in member (their members-only decisions stay on the pages)', async () => {
		const { atom } = await feed('/decisions/atom.xml', { cookie: member.cookie });
		expect(atom.entries.some((e) => e.title.includes('MARK-D'))).toBe(false);
		expect(await (await getPage(base, '/decisions', member.cookie)).text()).toContain('MARK-D');
	});

	it("speaks the reader's language in its labels", async () => {
		const en = (await feed('/decisions/atom.xml', { 'accept-language': 'en' })).atom;
		const el = (await feed('/decisions/atom.xml', { 'accept-language': 'el' })).atom;
		expect([en.lang, el.lang]).toEqual(['en', 'el']);
		expect(en.title).toMatch(/Decisions$/);
		expect(el.title).toMatch(/Αποφάσεις$/);
		expect(en.entries[0].summary).toMatch(/^No valid votes · Whole network · /);
	});

	it('lists public meetings, not members-only ones', async () => {
		const { atom } = await feed('/meetings/atom.xml');
		const titles = atom.entries.map((e) => e.title);
		for (const title of corpus.slice(6, 12)) expect(titles).toContain(asRead(title));
		expect(titles.some((t) => t.includes('MARK-M'))).toBe(false);
		expect(atom.entries.every((e) => /^http:\/\/127\.0\.0\.1:\d+\/meetings\/\d+$/.test(e.id))).toBe(true);
	});

	it('lists a public space threads; a members-only or group space has no feed', async () => {
		const { atom } = await feed('/forum/cultural-heritage/atom.xml');
		const titles = atom.entries.map((e) => e.title);
		for (const title of corpus.slice(12, 37).slice(-20)) expect(titles).toContain(asRead(title));
		expect(atom.entries.length).toBeLessThanOrEqual(50);
		for (const path of ['/forum/music/atom.xml', '/forum/group-klasteri-arta/atom.xml', '/forum/no-such-space/atom.xml']) {
			expect((await fetch(base + path)).status).toBe(404);
			expect((await fetch(base + path, { headers: { cookie: member.cookie } })).status).toBe(404);
		}
	});

	it('lists public drafts, not members-only ones, and at most 50 entries', async () => {
		for (let i = 0; i < 50; i++) await app.ctx.services.drafts.create(coordinator.auth, { title: `Projekt ${i}`, summary: '', group: '', field: 'cultural-policy', visibility: 'public' });
		const { atom } = await feed('/drafts/atom.xml');
		expect(atom.entries).toHaveLength(50);
		expect(atom.entries.some((e) => e.title.includes('MARK-R'))).toBe(false);
		const all = (await feed('/drafts/atom.xml')).atom;
		expect(all.entries[0].title).toBe('Projekt 49');
	});

	it('answers 304 to a reader whose copy is current (ETag, else Last-Modified), and 200 once something changed', async () => {
		const { res } = await feed('/meetings/atom.xml');
		const etag = res.headers.get('etag')!;
		const lastModified = res.headers.get('last-modified')!;
		expect(etag).toMatch(/^"[\w-]+"$/);
		expect((await fetch(`${base}/meetings/atom.xml`, { headers: { 'if-none-match': etag } })).status).toBe(304);
		expect((await fetch(`${base}/meetings/atom.xml`, { headers: { 'if-none-match': `"other", W/${etag}` } })).status).toBe(304);
		expect((await fetch(`${base}/meetings/atom.xml`, { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
		// Another language is another document.
		expect((await fetch(`${base}/meetings/atom.xml`, { headers: { 'if-none-match': etag, 'accept-language': 'el' } })).status).toBe(200);
		await new Promise((r) => setTimeout(r, 1100));
		await app.ctx.services.meetings.create(coordinator.auth, meetingInput({ title: 'Takim i ri' }));
		const changed = await fetch(`${base}/meetings/atom.xml`, { headers: { 'if-none-match': etag } });
		expect(changed.status).toBe(200);
		expect(changed.headers.get('etag')).not.toBe(etag);
		expect((await fetch(`${base}/meetings/atom.xml`, { headers: { 'if-modified-since': lastModified } })).status).toBe(200);
	});

	it('sends /atom.xml to the decisions feed', async () => {
		const res = await fetch(`${base}/atom.xml`, { redirect: 'manual' });
		expect(res.status).toBe(301);
		expect(res.headers.get('location')).toBe('/decisions/atom.xml');
	});

	it('is announced in the head of each page it follows, and linked for people', async () => {
		for (const [page, href] of [
			['/decisions', '/decisions/atom.xml'],
			['/meetings', '/meetings/atom.xml'],
			['/drafts', '/drafts/atom.xml'],
			['/forum/cultural-heritage', '/forum/cultural-heritage/atom.xml']
		]) {
			const html = await (await getPage(base, page)).text();
			const head = html.slice(0, html.indexOf('</head>'));
			expect(head).toMatch(new RegExp(`<link rel="alternate" type="application/atom\\+xml" title="[^"]+" href="${href.replace(/[/.+]/g, '\\$&')}"`));
			expect(html.slice(html.indexOf('<body'))).toContain(`href="${href}"`);
		}
		const members = await (await getPage(base, '/forum/music', member.cookie)).text();
		expect(members).not.toContain('application/atom+xml');
	});
});
