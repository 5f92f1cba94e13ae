import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPage, postForm, sessionCookieOf, signIn, startTestApp, type TestApp } from './helpers/app.js';
import { startSmtp } from './helpers/smtp.js';

let app: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let base: string;
let coordinator: string;

const application = {
	kind: 'organisation',
	organisationName: 'Teatri Kukullor Elbasan',
	organisationWebsite: 'https://kukulla.example.org',
	name: 'Drita Mema',
	email: 'drita@example.org',
	password: 'kukulla-elbasan-2026',
	city: 'Elbasan',
	fields: ['performing-arts', 'cultural-heritage'],
	motivation: 'Ne bëjmë teatër kukullash për fëmijë dhe duam të bashkëpunojmë me rrjetin.'
};

beforeAll(async () => {
	smtp = await startSmtp();
	app = await startTestApp({ SMTP_URL: smtp.url });
	base = app.url;
	coordinator = await signIn(base, 'coordinator@demo.test');
});
afterAll(async () => {
	await app?.dispose();
	await smtp?.close();
});

const pendingRequests = () => app.ctx.db.selectFrom('join_requests').selectAll().where('status', '=', 'pending').execute();

describe('applying to join', () => {
	it('explains each problem in the visitor language and keeps what was typed (but never the password)', async () => {
		const res = await postForm(base, '/join', { ...application, email: 'not-an-email', password: 'short', motivation: 'Pak.', fields: [] });
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain('Shkruani një adresë email-i si emri@shembull.org.');
		expect(html).toContain('Përdorni të paktën 10 shenja.');
		expect(html).toContain('Zgjidhni të paktën një.');
		expect(html).toContain('Ju lutemi shkruani pak më shumë.');
		expect(html).toContain('value="Teatri Kukullor Elbasan"');
		expect(html).toContain('value="not-an-email"');
		expect(html).not.toContain('value="short"');
	});

	it('refuses an email that already has an account', async () => {
		const res = await postForm(base, '/join', { ...application, email: 'member1@demo.test' });
		expect(res.status).toBe(400);
		expect(await res.text()).toContain('Ekziston tashmë një llogari me këtë email.');
	});

	it('creates an applicant who can sign in and see the application, and nothing else', async () => {
		const res = await postForm(base, '/join', application);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/application');
		const applicant = sessionCookieOf(res)!;
		const page = await (await getPage(base, '/application', applicant)).text();
		expect(page).toContain('Koordinatorët e rrjetit po e shqyrtojnë aplikimin');
		for (const path of ['/members', '/settings', '/coordination', '/notifications']) {
			const r = await getPage(base, path, applicant);
			expect(r.status, path).toBe(303);
			expect(r.headers.get('location'), path).toBe('/application');
		}
		const [received] = await smtp.waitFor('drita@example.org');
		expect(received.subject).toBe('E morëm aplikimin tuaj');
	});

	it('lets a coordinator approve an organisation: the member, the organisation and the email', async () => {
		const [request] = await pendingRequests();
		const queue = await (await getPage(base, '/coordination', coordinator)).text();
		expect(queue).toContain('Teatri Kukullor Elbasan');
		const res = await postForm(base, '/coordination?/approve', { id: String(request.id) }, coordinator);
		expect(res.status).toBe(200);

		const mails = await smtp.waitFor('drita@example.org', 2);
		expect(mails[1].subject).toBe('Mirë se vini në rrjet');
		expect(mails[1].text).toContain(`${base}/login`);

		const member = await signIn(base, 'drita@example.org', application.password);
		const org = await (await getPage(base, '/organisations/teatri-kukullor-elbasan', member)).text();
		expect(org).toContain('Teatri Kukullor Elbasan');
		expect(org).toContain('Drita Mema');
		expect(org).toContain('Arte skenike');
		const audit = await app.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'join.approved').execute();
		expect(audit).toHaveLength(1);
	});

	it('cannot decide the same application twice', async () => {
		const [decided] = await app.ctx.db.selectFrom('join_requests').select('id').execute();
		expect((await postForm(base, '/coordination?/reject', { id: String(decided.id), reason: 'late' }, coordinator)).status).toBe(409);
	});

	it('rejects with a reason, in the applicant language, and the applicant sees it', async () => {
		const res = await fetch(`${base}/join`, {
			method: 'POST',
			redirect: 'manual',
			headers: { accept: 'text/html', origin: base, 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'el' },
			body: new URLSearchParams({
				kind: 'individual',
				name: 'Γιάννης Ράλλης',
				email: 'giannis@example.org',
				password: 'ralles-arta-2026',
				city: 'Άρτα',
				fields: 'music',
				motivation: 'Είμαι μουσικός στην Άρτα και θέλω να συμμετέχω στο δίκτυο.'
			})
		});
		expect(res.status).toBe(303);
		const applicant = sessionCookieOf(res)!;
		const [request] = await pendingRequests();
		expect((await postForm(base, '/coordination?/reject', { id: String(request.id), reason: '' }, coordinator)).status).toBe(400);
		expect((await postForm(base, '/coordination?/reject', { id: String(request.id), reason: 'Ju lutem aplikoni përmes organizatës suaj.' }, coordinator)).status).toBe(200);
		const mails = await smtp.waitFor('giannis@example.org', 2);
		expect(mails[0].subject).toBe('Λάβαμε την αίτησή σας');
		expect(mails[1].subject).toBe('Σχετικά με την αίτησή σας');
		expect(mails[1].text).toContain('Ju lutem aplikoni përmes organizatës suaj.');
		const page = await (await getPage(base, '/application', applicant)).text();
		expect(page).toContain('Οι συντονιστές δεν ενέκριναν αυτή την αίτηση.');
	});

	it('keeps mail in the outbox for coordinators', async () => {
		const outbox = await (await getPage(base, '/coordination/outbox', coordinator)).text();
		expect(outbox).toContain('giannis@example.org');
		expect(outbox).toContain('Dërguar');
	});
});

describe('groups', () => {
	it('lets a member join an open group at once and ask to join a group by request', async () => {
		const member = await signIn(base, 'member4@demo.test'); // writes in Greek
		expect((await postForm(base, '/groups/klasteri-korce?/join', {}, member)).status).toBe(200);
		expect(await (await getPage(base, '/groups/klasteri-korce', member)).text()).toContain('Είστε μέλος αυτής της ομάδας.');
		expect((await postForm(base, '/groups/aleanca-kulturore?/join', {}, member)).status).toBe(200);
		expect(await (await getPage(base, '/groups/aleanca-kulturore', member)).text()).toContain('Το αίτημά σας περιμένει έναν διευκολυντή.');
	});

	it('lets the facilitator, and no other member, approve a request', async () => {
		const userId = (await app.ctx.db.selectFrom('users').select('id').where('email', '=', 'member4@demo.test').executeTakeFirstOrThrow()).id;
		const plainMember = await signIn(base, 'member5@demo.test'); // member of the Alliance, not its facilitator
		expect((await postForm(base, '/groups/aleanca-kulturore?/decide', { userId: String(userId), decision: 'approve' }, plainMember)).status).toBe(403);
		const facilitator = await signIn(base, 'mirela.topi@demo.test');
		const page = await (await getPage(base, '/groups/aleanca-kulturore', facilitator)).text();
		expect(page).toContain('Dimitra Kostopoulou');
		expect((await postForm(base, '/groups/aleanca-kulturore?/decide', { userId: String(userId), decision: 'approve' }, facilitator)).status).toBe(200);
		const row = await app.ctx.db
			.selectFrom('group_members')
			.innerJoin('groups', 'groups.id', 'group_members.group_id')
			.select('group_members.role')
			.where('groups.slug', '=', 'aleanca-kulturore')
			.where('group_members.user_id', '=', userId)
			.executeTakeFirst();
		expect(row?.role).toBe('member');
	});

	it('shows visitors a group without its member list', async () => {
		const html = await (await getPage(base, '/groups/aleanca-kulturore')).text();
		expect(html).toContain('Aleanca Kulturore');
		expect(html).not.toContain('Mirela Topi');
	});
});

describe('organisations', () => {
	it('lets a representative add and remove representatives; others may not', async () => {
		const rep = await signIn(base, 'member1@demo.test'); // represents Vlora Art
		const outsider = await signIn(base, 'member3@demo.test');
		expect((await postForm(base, '/organisations/vlora-art?/addRepresentative', { email: 'member3@demo.test' }, outsider)).status).toBe(403);
		const unknown = await postForm(base, '/organisations/vlora-art?/addRepresentative', { email: 'nobody@demo.test' }, rep);
		expect(unknown.status).toBe(400);
		expect(await unknown.text()).toContain('Asnjë anëtar aktiv nuk ka këtë email.');
		expect((await postForm(base, '/organisations/vlora-art?/addRepresentative', { email: 'member3@demo.test' }, rep)).status).toBe(200);
		expect(await (await getPage(base, '/organisations/vlora-art', outsider)).text()).toContain('Ndrysho profilin');
		const userId = (await app.ctx.db.selectFrom('users').select('id').where('email', '=', 'member3@demo.test').executeTakeFirstOrThrow()).id;
		expect((await postForm(base, '/organisations/vlora-art?/removeRepresentative', { userId: String(userId) }, rep)).status).toBe(200);
		expect(await (await getPage(base, '/organisations/vlora-art', outsider)).text()).not.toContain('Ndrysho profilin');
	});
});

describe('the member directory', () => {
	it('filters by field, city, group and organisation, and searches names literally', async () => {
		const member = await signIn(base, 'member2@demo.test');
		const names = async (query: string) => {
			const html = await (await getPage(base, `/members?${query}`, member)).text();
			return [...html.matchAll(/<h2[^>]*><a href="\/members\/\d+"[^>]*>([^<]+)<\/a>/g)].map((m) => m[1]);
		};
		expect(await names('field=cinema')).toEqual(['Ermal Leka', 'Maria Georgiou']);
		expect(await names('city=Korçë')).toEqual(expect.arrayContaining(['Blerina Shehu', 'Ilir Gjoni', 'Alketa Musai']));
		expect(await names('group=konsorciumi&city=%CE%86%CF%81%CF%84%CE%B1')).toEqual(['Sofia Alexiou']);
		expect(await names('organisation=botime-fleta')).toEqual(['Gentian Dervishi', 'Mirela Topi']);
		expect(await names('q=skena')).toEqual(['Elira Hoxha', 'Ermal Leka']);
		expect(await names('q=%25')).toEqual([]);
	});

	it('shows an email only when its owner chose to', async () => {
		const member = await signIn(base, 'member2@demo.test');
		const id = (await app.ctx.db.selectFrom('users').select('id').where('email', '=', 'sokol.marku@demo.test').executeTakeFirstOrThrow()).id;
		expect(await (await getPage(base, `/members/${id}`, member)).text()).not.toContain('sokol.marku@demo.test');
		const sokol = await signIn(base, 'sokol.marku@demo.test');
		expect((await postForm(base, '/settings', { displayName: 'Sokol Marku', city: 'Shkodër', bio: '', showEmail: 'on', fields: 'digital-culture' }, sokol)).status).toBe(200);
		expect(await (await getPage(base, `/members/${id}`, member)).text()).toContain('sokol.marku@demo.test');
	});
});
