import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signIn, type TestApp } from './helpers/app.js';
import { DEMO_NETWORK } from '../../server/db/seed/demo.js';
import { INCLUST_NETWORK } from '../../server/db/seed/inclust.js';
import { LOCALES } from '../../src/lib/shared/types.js';

/**
 * Issue #15.6: nothing about a network is hard-wired. `SEED=inclust` starts the InClust clusters as their own network
 * (Greek first, their own profile, fields and groups) and none of the demo network's words appear on its pages.
 */
describe('a second network, seeded from its own data', () => {
	let app: TestApp;
	const page = async (path: string, headers: Record<string, string> = {}) => {
		const res = await fetch(`${app.url}${path}`, { headers: { accept: 'text/html', ...headers } });
		expect(res.status, path).toBe(200);
		return res.text();
	};
	/** What a page shows, without markup: the words a reader sees. */
	const words = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ');

	beforeAll(async () => {
		app = await startTestApp({ SEED: 'inclust' });
	});
	afterAll(() => app?.dispose());

	it('shows its own profile, fields, groups and forum, in its primary language to a browser asking for none of ours', async () => {
		const home = await page('/', { 'accept-language': 'de-DE,de;q=0.9' });
		expect(home).toContain('<html lang="el"');
		expect(home).toContain(INCLUST_NETWORK.profile.texts.name.el!);
		expect(home).toContain(INCLUST_NETWORK.profile.texts.tagline.el!);
		for (const g of INCLUST_NETWORK.groups) expect(home).toContain(g.name);

		const forum = await page('/forum', { 'accept-language': 'de' });
		for (const f of INCLUST_NETWORK.fields) expect(forum, f.slug).toContain(f.name.el!);
		const thread = await page('/forum/entrepreneurship', { 'accept-language': 'de' });
		expect(thread).toContain('Κοινό πρόγραμμα για τους τέσσερις χώρους συνεργασίας');

		const groups = await page('/groups', { 'accept-language': 'de' });
		for (const g of INCLUST_NETWORK.groups) expect(groups).toContain(g.name);
		expect(groups).toContain(INCLUST_NETWORK.groups[0].description.el!);
	});

	it('speaks each language a reader asks for, from its own texts', async () => {
		for (const locale of LOCALES) {
			const home = await page('/', { 'accept-language': locale });
			expect(home).toContain(`<html lang="${locale}"`);
			expect(home).toContain(INCLUST_NETWORK.profile.texts.tagline[locale]!);
			const forum = await page('/forum', { 'accept-language': locale });
			for (const f of INCLUST_NETWORK.fields) expect(forum).toContain(f.name[locale]!);
		}
	});

	it('shows nothing of the demo network, to visitors or to its coordinator', async () => {
		const cookie = await signIn(app.url, 'coordinator@inclust.test');
		const spk = [
			...Object.values(DEMO_NETWORK.profile.texts).flatMap((t) => Object.values(t)),
			...DEMO_NETWORK.fields.flatMap((f) => Object.values(f.name)),
			...DEMO_NETWORK.groups.map((g) => g.name),
			...DEMO_NETWORK.organisations.map((o) => o.name),
			'Skena e Pavarur', 'Independent Cultural Scene', 'SPK',
			// Catalogue texts that once described the demo network only.
			'seventeen', 'shtatëmbëdhjetë', 'δεκαεπτά', 'Arta, Corfu, Vlora and Korça'
		]
			// The two networks share some of the world (the Greek–Albanian meta-cluster is in both): only what is
			// the demo's own counts.
			.filter((t): t is string => !!t && t.length > 2 && !JSON.stringify(INCLUST_NETWORK).includes(t));
		for (const locale of LOCALES) {
			for (const path of ['/', '/forum', '/groups', '/organisations', '/join']) {
				const shown = words(await page(path, { 'accept-language': locale }));
				for (const text of spk) expect(shown, `${path} (${locale}) shows "${text}"`).not.toContain(text);
			}
		}
		for (const path of ['/members', '/coordination/network', '/coordination/fields', '/coordination/groups']) {
			const shown = words(await page(path, { cookie }));
			for (const text of spk) expect(shown, `${path} shows "${text}"`).not.toContain(text);
		}
	});
});
