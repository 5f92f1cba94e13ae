import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Migrator } from 'kysely';
import { openDatabase } from '../../server/db/client.js';
import { MigrationFolder, knownMigrations } from '../../server/db/migrate.js';
import { DEMO_PROFILE } from '../../server/db/seed/profile.js';
import { findUserByEmail } from '../../server/db/repositories/user.repository.js';
import { getPage, postForm, signIn, startTestApp, tempDir, type TestApp } from './helpers/app.js';
import { serveWithSmtp } from './helpers/smtp.js';
import { LOCALE_COOKIE, SESSION_COOKIE } from '../../src/lib/shared/session.js';
import type { ProfileInput } from '../../server/domain/network-profile.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 2)]);

/** A whole profile form as the page posts it; `over` replaces fields. */
function profileForm(over: Record<string, string> = {}): Record<string, string> {
	return {
		name_sq: 'Rrjeti i Provës',
		name_en: 'Test Network',
		name_el: 'Δίκτυο Δοκιμής',
		short_name_sq: 'RP',
		short_name_en: 'TN',
		short_name_el: '',
		tagline_sq: 'Një rrjet për prova.',
		tagline_en: 'A network for trials.',
		tagline_el: '',
		about_sq: 'Rreth rrjetit.',
		about_en: 'About the network.',
		about_el: 'Σχετικά με το δίκτυο.',
		goals_sq: 'Synimi i parë\nSynimi i dytë',
		goals_en: 'First goal\nSecond goal',
		goals_el: 'Πρώτος στόχος\nΔεύτερος στόχος',
		founded_sq: 'U krijua në 2026.',
		founded_en: 'Founded in 2026.',
		founded_el: 'Ιδρύθηκε το 2026.',
		contact_email: 'info@test-network.example',
		website: 'https://test-network.example',
		primary_locale: 'en',
		...over
	};
}

/** Posts the profile form as multipart, the way the browser sends it with a file input. */
function postProfile(baseUrl: string, fields: Record<string, string>, cookie?: string, logo?: { bytes: Buffer; name: string; type: string }): Promise<Response> {
	const form = new FormData();
	for (const [k, v] of Object.entries(fields)) form.append(k, v);
	if (logo) form.append('logo', new Blob([new Uint8Array(logo.bytes)], { type: logo.type }), logo.name);
	return fetch(`${baseUrl}/coordination/network`, {
		method: 'POST',
		redirect: 'manual',
		headers: { accept: 'text/html', origin: baseUrl, ...(cookie ? { cookie } : {}) },
		body: form
	});
}

const inLanguage = (locale: string, cookie?: string) => [cookie, `${LOCALE_COOKIE}=${locale}`].filter(Boolean).join('; ');
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];
const footerOf = (html: string) => /<footer[\s\S]*?<\/footer>/.exec(html)?.[0] ?? '';

describe('the network profile', () => {
	let app: TestApp;
	let coordinator: string;
	let member: string;

	beforeAll(async () => {
		app = await startTestApp();
		coordinator = await signIn(app.url, 'coordinator@demo.test');
		member = await signIn(app.url, 'member1@demo.test');
	});
	afterAll(() => app?.dispose());

	it('shows the demo network from the seed, not from the catalogue', async () => {
		const html = await (await getPage(app.url, '/', inLanguage('en'))).text();
		expect(titleOf(html)).toBe('Independent Cultural Scene · Kuvend');
		expect(html).toContain('An open, non-formal network of independent cultural organisations and individuals.');
		expect(html).toContain('Better cultural policies for faster cultural development.');
		expect(footerOf(html)).toContain('Independent Cultural Scene debates, drafts and decides together on Kuvend.');
		const sq = await (await getPage(app.url, '/', inLanguage('sq'))).text();
		expect(titleOf(sq)).toBe('Skena e Pavarur Kulturore · Kuvend');
		// Every other page's title names the network by its short name, between the page and the product.
		expect(titleOf(await (await getPage(app.url, '/forum', inLanguage('sq'))).text())).toBe('Forumi · SPK · Kuvend');
		expect(sq).toContain('U krijua më 4 maj 2013');
	});

	it('is saved by a coordinator in three languages and read per language, an empty one falling back to the primary', async () => {
		const res = await postProfile(app.url, profileForm(), coordinator);
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('Profili u ruajt.');

		const en = await (await getPage(app.url, '/', inLanguage('en'))).text();
		expect(titleOf(en)).toBe('Test Network · Kuvend');
		expect(en).toContain('A network for trials.');
		expect(en).toContain('<li>Second goal</li>');
		expect(footerOf(en)).toContain('Test Network debates, drafts and decides together on Kuvend.');
		expect(footerOf(en)).toContain('href="mailto:info@test-network.example"');
		expect(footerOf(en)).toContain('href="https://test-network.example/"');
		expect(en).not.toContain('Independent Cultural Scene');

		expect(titleOf(await (await getPage(app.url, '/groups', inLanguage('en'))).text())).toBe('Groups · TN · Kuvend');
		const el = await (await getPage(app.url, '/', inLanguage('el'))).text();
		expect(titleOf(el)).toBe('Δίκτυο Δοκιμής · Kuvend');
		expect(el).toContain('Σχετικά με το δίκτυο.');
		// No Greek tagline: the primary language's (English) stands in.
		expect(el).toContain('A network for trials.');
		expect(footerOf(el)).toContain('Δίκτυο Δοκιμής');

		const sq = await (await getPage(app.url, '/forum', inLanguage('sq'))).text();
		expect(footerOf(sq)).toContain('Rrjeti i Provës diskuton, harton dhe vendos së bashku në Kuvend.');

		// The projector and the calendar carry the short name; the calendar names the network as organiser.
		const ics = await (await getPage(app.url, '/meetings/calendar.ics', inLanguage('el'))).text();
		expect(ics).toContain('X-WR-CALNAME:TN · Συνελεύσεις');
		const audit = await app.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'network.profile_saved').execute();
		expect(audit).toHaveLength(1);
	});

	it('names the network as the organiser in calendar files', async () => {
		const ics = await (await getPage(app.url, '/meetings/calendar.ics', member)).text();
		// In the reader's language (this member reads Albanian).
		if (ics.includes('BEGIN:VEVENT')) expect(ics.replace(/\r\n[ \t]/g, '')).toMatch(/ORGANIZER;CN="?Rrjeti i Provës"?:mailto:info@test-network\.example/);
		else expect.unreachable('the demo seed has meetings');
	});

	it('refuses members and visitors, through the form and through the service', async () => {
		const before = await app.ctx.db.selectFrom('network_profile').selectAll().executeTakeFirstOrThrow();
		expect((await postProfile(app.url, profileForm({ name_en: 'Taken over' }), member)).status).toBe(403);
		const visitor = await postProfile(app.url, profileForm({ name_en: 'Taken over' }));
		expect(visitor.status).toBe(303);
		expect(visitor.headers.get('location')).toMatch(/^\/login/);

		const token = member.slice(`${SESSION_COOKIE}=`.length);
		const memberAuth = await app.ctx.services.auth.authenticate(token);
		const input: ProfileInput = {
			texts: { name: { en: 'Taken over' }, short_name: {}, tagline: {}, about: {}, goals: {}, founded: {} },
			contactEmail: '',
			website: '',
			primaryLocale: 'en'
		};
		await expect(app.ctx.services.profile.save(memberAuth, input)).rejects.toMatchObject({ code: 'forbidden' });
		await expect(app.ctx.services.profile.save(null, input)).rejects.toMatchObject({ code: 'unauthenticated' });
		expect(() => app.ctx.services.profile.draft(memberAuth)).toThrow(expect.objectContaining({ code: 'forbidden' }));
		expect((await getPage(app.url, '/coordination/network', member)).status).toBe(403);

		expect(await app.ctx.db.selectFrom('network_profile').selectAll().executeTakeFirstOrThrow()).toEqual(before);
	});

	it('refuses bad input with the message in the coordinator’s language, keeping what was typed', async () => {
		const bad = profileForm({ name_en: 'N'.repeat(121), website: 'javascript:alert(1)', contact_email: 'nobody-at-all', about_sq: 'Teksti i ri i mbajtur' });
		const res = await postProfile(app.url, bad, coordinator);
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain('Disa përgjigje kanë nevojë për vëmendje.');
		expect(html).toContain('Është shumë i gjatë.');
		expect(html).toContain('Shkruani një adresë interneti që fillon me https://');
		expect(html).toContain('Shkruani një adresë email-i si emri@shembull.org.');
		expect(html).toContain('Teksti i ri i mbajtur');
		expect(html).toContain('value="nobody-at-all"');
		expect(html).toContain('value="javascript:alert(1)"');

		// A coordinator who reads Greek gets the same refusal in Greek.
		const nikos = (await findUserByEmail(app.ctx.db, 'moderator@demo.test'))!;
		const coordAuth = await app.ctx.services.auth.authenticate(coordinator.slice(`${SESSION_COOKIE}=`.length));
		await app.ctx.services.coordination.setRole(coordAuth, nikos.id, 'coordinator');
		const greek = await signIn(app.url, 'moderator@demo.test');
		const el = await (await postProfile(app.url, bad, greek)).text();
		expect(el).toContain('Είναι πολύ μεγάλο.');
		expect(el).toContain('Γράψτε διεύθυνση ιστού που αρχίζει με https://');
		expect(el).toContain('Γράψτε διεύθυνση email όπως onoma@example.org.');

		const stored = await app.ctx.db.selectFrom('network_profile').select(['name', 'website']).executeTakeFirstOrThrow();
		expect(JSON.parse(stored.name).en).toBe('Test Network');
		expect(stored.website).toBe('https://test-network.example/');
	});

	it('takes a PNG or a JPEG logo and serves it with its type, an ETag and caching', async () => {
		expect((await postProfile(app.url, profileForm(), coordinator, { bytes: PNG, name: 'logo.png', type: 'image/png' })).status).toBe(200);
		const home = await (await getPage(app.url, '/')).text();
		const src = /<img class="logo[^"]*" src="([^"]+)"/.exec(home)?.[1];
		expect(src).toMatch(/^\/network\/logo\?v=[0-9a-f]{32}$/);
		const versioned = await fetch(app.url + src!.replace(/&amp;/g, '&'));
		expect(versioned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
		expect(Buffer.from(await versioned.arrayBuffer())).toEqual(PNG);

		const logo = await fetch(`${app.url}/network/logo`);
		expect(logo.status).toBe(200);
		expect(logo.headers.get('content-type')).toBe('image/png');
		expect(logo.headers.get('x-content-type-options')).toBe('nosniff');
		expect(logo.headers.get('cache-control')).toBe('public, no-cache');
		const etag = logo.headers.get('etag')!;
		expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
		expect((await fetch(`${app.url}/network/logo`, { headers: { 'if-none-match': etag } })).status).toBe(304);

		expect((await postProfile(app.url, profileForm(), coordinator, { bytes: JPEG, name: 'logo.jpg', type: 'image/jpeg' })).status).toBe(200);
		const jpeg = await fetch(`${app.url}/network/logo`, { headers: { 'if-none-match': etag } });
		expect(jpeg.status).toBe(200);
		expect(jpeg.headers.get('content-type')).toBe('image/jpeg');
		expect(Buffer.from(await jpeg.arrayBuffer())).toEqual(JPEG);

		// Saving without a file keeps the logo; ticking "remove" takes it away.
		expect((await postProfile(app.url, profileForm(), coordinator)).status).toBe(200);
		expect((await fetch(`${app.url}/network/logo`)).status).toBe(200);
		expect((await postProfile(app.url, profileForm({ remove_logo: 'on' }), coordinator)).status).toBe(200);
		expect((await fetch(`${app.url}/network/logo`)).status).toBe(404);
	});

	it('refuses a logo over 1 MB and an HTML file named .png, keeping the old logo', async () => {
		expect((await postProfile(app.url, profileForm(), coordinator, { bytes: PNG, name: 'logo.png', type: 'image/png' })).status).toBe(200);
		const big = Buffer.concat([PNG, Buffer.alloc(1_100_000)]);
		const tooBig = await postProfile(app.url, profileForm(), coordinator, { bytes: big, name: 'big.png', type: 'image/png' });
		expect(tooBig.status).toBe(400);
		expect(await tooBig.text()).toContain('Logoja është më e madhe se 1 MB.');
		const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
		const disguised = await postProfile(app.url, profileForm(), coordinator, { bytes: html, name: 'logo.png', type: 'image/png' });
		expect(disguised.status).toBe(400);
		expect(await disguised.text()).toContain('Logoja duhet të jetë figurë PNG, JPEG ose SVG.');
		const logo = await fetch(`${app.url}/network/logo`);
		expect(Buffer.from(await logo.arrayBuffer())).toEqual(PNG);
	});

	// Shown to fail without the sanitiser: with checkLogo storing the SVG as uploaded, the served body held the
	// script, onload, the javascript: link and the foreignObject, and this test failed.
	it('serves an SVG logo sanitised, with its type, nosniff and a sandboxing CSP', async () => {
		const svg = `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20" onload="alert(1)">
			<script>alert(2)</script><a href="javascript:alert(3)"><circle cx="10" cy="10" r="8" fill="#c33"/></a>
			<foreignObject width="20" height="20"><body xmlns="http://www.w3.org/1999/xhtml"><script>alert(4)</script></body></foreignObject></svg>`;
		expect((await postProfile(app.url, profileForm(), coordinator, { bytes: Buffer.from(svg), name: 'logo.svg', type: 'image/svg+xml' })).status).toBe(200);
		const res = await fetch(`${app.url}/network/logo`);
		expect(res.headers.get('content-type')).toBe('image/svg+xml');
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
		const body = await res.text();
		expect(body).toContain('<circle cx="10" cy="10" r="8" fill="#c33">');
		expect(body).not.toMatch(/script|onload|alert|javascript:|foreignObject/i);
	});
});

describe('a network with no profile (SEED=none)', () => {
	let app: TestApp;
	beforeAll(async () => {
		app = await startTestApp({ SEED: 'none' });
	});
	afterAll(() => app?.dispose());

	it('renders neutral pages named after Kuvend, with no about text', async () => {
		for (const locale of ['sq', 'en', 'el']) {
			const res = await getPage(app.url, '/', inLanguage(locale));
			expect(res.status).toBe(200);
			const html = await res.text();
			expect(titleOf(html)).toBe('Kuvend');
			expect(titleOf(await (await getPage(app.url, '/forum', inLanguage(locale))).text())).toMatch(/^[^·]+ · Kuvend$/);
			expect(html).not.toContain('id="why"');
			expect(html).not.toContain('id="aims"');
			expect(html).not.toMatch(/Skena|Independent Cultural|Πολιτιστική Σκηνή/);
		}
		const en = await (await getPage(app.url, '/forum', inLanguage('en'))).text();
		expect(footerOf(en)).toContain('Kuvend — where the network debates, drafts and decides together.');
		expect((await fetch(`${app.url}/network/logo`)).status).toBe(404);
	});
});

describe('mail from the network', () => {
	const running = serveWithSmtp();

	it('is sent under the network’s name and signed with it', async () => {
		const { app, smtp } = running;
		const res = await postForm(app.url, '/forgot', { email: 'member1@demo.test' });
		expect(res.status).toBeLessThan(400);
		const [mail] = await smtp.waitFor('member1@demo.test');
		expect(mail.from).toBe('Skena e Pavarur Kulturore <no-reply@kuvend.localhost>');
		expect(mail.text).toMatch(/— Skena e Pavarur Kulturore\n?$/);
	});
});

describe('the migration for a database made before the profile', () => {
	const MIGRATION = '2026-12-07T0100_network_profile';

	/** A database migrated up to just before the profile, holding one user, then migrated to the latest. */
	async function migratedWith(email: string) {
		const dir = tempDir();
		const { db } = openDatabase(path.join(dir, 'kuvend.db'));
		try {
			const migrator = new Migrator({ db, provider: new MigrationFolder() });
			const known = await knownMigrations();
			const before = known[known.indexOf(MIGRATION) - 1];
			expect((await migrator.migrateTo(before)).error).toBeUndefined();
			const now = Date.now();
			await db.insertInto('users').values({ email, password_hash: null, display_name: 'Elira', role: 'coordinator', status: 'active', locale: 'sq', city: null, bio: null, created_at: now, updated_at: now }).execute();
			expect((await migrator.migrateToLatest()).error).toBeUndefined();
			return await db.selectFrom('network_profile').selectAll().execute();
		} finally {
			await db.destroy();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	}

	it('gives the demo network the texts it showed before, in three languages', async () => {
		const [row] = await migratedWith('coordinator@demo.test');
		expect(JSON.parse(row.name)).toEqual({ sq: 'Skena e Pavarur Kulturore', en: 'Independent Cultural Scene', el: 'Ανεξάρτητη Πολιτιστική Σκηνή' });
		expect(JSON.parse(row.goals).en.split('\n')).toHaveLength(4);
		expect(row.primary_locale).toBe('sq');
		// The migration's frozen copy says what the demo seed writes for a new database.
		for (const [column, texts] of Object.entries(DEMO_PROFILE)) expect(JSON.parse(row[column as keyof typeof DEMO_PROFILE]), column).toEqual(texts);
	});

	it('writes no profile for another network', async () => {
		expect(await migratedWith('someone@elsewhere.example')).toEqual([]);
	});
});
