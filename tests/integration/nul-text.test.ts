import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { getPage, postForm, startTestApp, type TestApp } from './helpers/app.js';
import { personByEmail, voteInput, type Person } from './helpers/votes.js';
import { dialectOf } from '../../server/db/dialect/index.js';

// PostgreSQL's text cannot hold U+0000: a thread title with a NUL failed the statement there (a 500), while SQLite kept
// it. Every string a statement carries is made storable by the database drivers (server/db/storable.ts, from
// withoutNul in server/domain/validation.ts), so the same input gives the same stored text on both databases, and
// checkText measures text as it will be stored. Run on SQLite, and on PostgreSQL with KUVEND_TEST_POSTGRES.
// Shown to fail without storableParameters in the drivers: on PostgreSQL the forms answered 500 and the services threw
// "invalid byte sequence for encoding UTF8: 0x00"; on SQLite the stored texts kept their NULs.

const NUL = '\u0000';
let app: TestApp;
let member: Person, coordinator: Person;

beforeAll(async () => {
	app = await startTestApp();
	member = await personByEmail(app, 'member3@demo.test');
	coordinator = await personByEmail(app, 'coordinator@demo.test');
});
afterAll(async () => app?.dispose());

/** How many rows of the table hold a NUL in these columns, as stored. */
async function storedNuls(table: string, columns: string[]): Promise<number> {
	// PostgreSQL's text cannot hold one (not even chr(0) in a query): there, that the writes succeeded is the test.
	if (dialectOf(app.ctx.db) === 'postgres') return 0;
	const where = columns.map((c) => `coalesce(instr(${c}, char(0)), 0) > 0`).join(' or ');
	const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where ${sql.raw(where)}`.execute(app.ctx.db);
	return Number(rows[0].n);
}

describe('text with NUL characters', () => {
	it('is stored without them on every path, by form and by service, and a title of NULs alone is refused as empty', async () => {
		const { services } = app.ctx;
		const form = await postForm(app.url, '/forum/cultural-policy', { title: `Titulli${NUL} me NUL`, body: `Trupi${NUL} i postimit`, tags: `nul${NUL}` }, member.cookie);
		expect(form.status).toBe(303);
		const threadId = Number(form.headers.get('location')!.split('/').pop());
		const page = await (await getPage(app.url, `/forum/t/${threadId}`, member.cookie)).text();
		expect(page).toContain('Titulli me NUL');
		await services.forumWriting.reply(member.auth, threadId, null, `Përgjigje${NUL}`);
		const draftId = await services.drafts.create(member.auth, { title: `Drafti${NUL} i ri`, summary: `Përmbledhje${NUL}`, group: '', field: 'cultural-policy', visibility: 'members' });
		// A reply to a comment of the seeded draft (a new comment needs a passage of the text).
		const first = await app.ctx.db.selectFrom('draft_comments').select(['id', 'draft_id']).where('parent_id', 'is', null).orderBy('id').executeTakeFirstOrThrow();
		await services.drafts.comment(member.auth, first.draft_id, { body: `Koment${NUL}`, parentId: first.id });
		await services.votes.create(coordinator.auth, voteInput({ title: `Vota${NUL} e re`, description: `Përshkrim${NUL}` }), {}, true);
		await services.account.updateProfile(member.auth, { displayName: `Anëtari${NUL} i tretë`, city: `Vlorë${NUL}`, bio: '', fields: [], showEmail: false });
		const search = await getPage(app.url, `/search?q=${encodeURIComponent(`titulli${NUL}`)}`, member.cookie);
		expect(search.status).toBe(200);
		expect(await search.text()).toContain('Titulli me NUL');

		expect(await storedNuls('threads', ['title', 'tags'])).toBe(0);
		expect(await storedNuls('posts', ['body', 'html'])).toBe(0);
		expect(await storedNuls('drafts', ['title', 'summary'])).toBe(0);
		expect(await storedNuls('draft_comments', ['body'])).toBe(0);
		expect(await storedNuls('votes', ['title', 'description'])).toBe(0);
		expect(await storedNuls('users', ['display_name', 'city'])).toBe(0);
		const { rows } = await sql<{ title: string }>`select title from drafts where id = ${draftId}`.execute(app.ctx.db);
		expect(rows[0].title).toBe('Drafti i ri');
		expect((await services.account.settings(member.auth)).displayName).toBe('Anëtari i tretë');

		// Nothing but NULs is nothing: the form says the title is required and keeps what was typed.
		const empty = await postForm(app.url, '/forum/cultural-policy', { title: NUL.repeat(5), body: 'Trupi' }, member.cookie);
		expect(empty.status).toBe(400);
		expect(await empty.text()).toContain('Trupi');
	});
});
