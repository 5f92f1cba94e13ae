import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Authenticated } from '../../server/services/auth.service.js';
import { signInAs, startTestApp, type TestApp } from './helpers/app.js';
import { voteInput } from './helpers/votes.js';

/**
 * Visitors' answers of the read API are kept until anything changes (server/http/api/answer-cache.ts): a kept answer
 * is not computed again, a change is seen at the next request, and nothing a visitor may no longer read stays.
 * Members' answers (with a token) are never kept. That cached answers still count against the limits is
 * api-limits.test.ts's (its visitor reads one path again and again).
 */
let app: TestApp;
let api: string;
let coordinator: Authenticated;
let token: string;

const get = (path: string, headers: Record<string, string> = {}) => fetch(api + path, { headers: { accept: 'application/json', ...headers } });
const titles = async (res: Response) => ((await res.json()) as { data: { title: string }[] }).data.map((d) => d.title);

beforeAll(async () => {
	app = await startTestApp();
	api = `${app.url}/api/v1`;
	({ auth: coordinator } = await signInAs(app, 'coordinator@demo.test'));
	({ token } = await app.ctx.services.apiTokens.create(coordinator, 'tests'));
});
afterAll(async () => app?.dispose());

describe("the read API's answers to visitors", () => {
	it('are computed once while nothing changes, and again after any change', async () => {
		const register = vi.spyOn(app.ctx.services.votes, 'decisionEntries');
		const first = await get('/decisions');
		const again = await get('/decisions');
		expect(again.status).toBe(200);
		expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
		expect(await titles(again)).toEqual(await titles(first));
		expect(register).toHaveBeenCalledTimes(1);
		// A conditional request is answered 304 from what is kept.
		expect((await get('/decisions', { 'if-none-match': first.headers.get('etag')! })).status).toBe(304);
		expect(register).toHaveBeenCalledTimes(1);
		// Another language or page is another answer.
		await get('/decisions?limit=1');
		expect(register).toHaveBeenCalledTimes(2);

		// A decision made: the next visitor reads it (shown to fail without the cache following the bus: the kept
		// list, without it, was answered).
		const id = await app.ctx.services.votes.create(coordinator, voteInput({ title: 'Vendimi i ri i rrjetit', visibility: 'public' }), {}, true);
		await app.ctx.services.votes.close(coordinator, id);
		expect(await titles(await get('/decisions'))).toContain('Vendimi i ri i rrjetit');
		register.mockRestore();
	});

	// Keyed by the address (req.originalUrl) this made 21 entries, each computed: anything appended to a query string
	// filled the cache (and memory) with copies of one answer.
	it('are one answer however the address is dressed up', async () => {
		const register = vi.spyOn(app.ctx.services.votes, 'decisionEntries');
		const etags = new Set<string | null>();
		for (let i = 0; i < 20; i++) etags.add((await get(`/decisions?limit=20&junk=${'x'.repeat(i * 100)}&n=${i}`)).headers.get('etag'));
		etags.add((await get('/decisions?limit=20')).headers.get('etag'));
		expect(etags.size).toBe(1);
		expect(register).toHaveBeenCalledTimes(1);
		register.mockRestore();
	});

	it("are never kept for a member's token", async () => {
		const register = vi.spyOn(app.ctx.services.votes, 'decisionEntries');
		for (let i = 0; i < 3; i++) expect((await get('/decisions', { authorization: `Bearer ${token}` })).status).toBe(200);
		expect(register).toHaveBeenCalledTimes(3);
		register.mockRestore();
	});

	it('keep nothing a visitor may no longer read', async () => {
		const threads = await get('/spaces/cultural-policy/threads');
		expect(threads.status).toBe(200);
		expect((await get('/spaces/cultural-policy/threads')).status).toBe(200);
		// The space becomes members-only: the kept list must not be answered (shown to fail without the invalidation:
		// the second request above was kept and answered 200 again).
		await app.ctx.services.moderation.setSpaceVisibility(coordinator, 'cultural-policy', 'members');
		try {
			expect((await get('/spaces/cultural-policy/threads')).status).toBe(401);
		} finally {
			await app.ctx.services.moderation.setSpaceVisibility(coordinator, 'cultural-policy', 'public');
		}
		expect((await get('/spaces/cultural-policy/threads')).status).toBe(200);
	});
});
