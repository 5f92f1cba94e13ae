import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../src/lib/shared/api/endpoints.js';
import type { Authenticated } from '../../server/services/auth.service.js';
import { signInAs, startTestApp, type TestApp } from './helpers/app.js';
import { validate } from './helpers/json-schema.js';
import { voteInput } from './helpers/votes.js';

/**
 * The read API on the real server: every endpoint's real answers validated against the OpenAPI document it serves
 * (its JSON Schemas, by tests/integration/helpers/json-schema.ts, not by the zod schemas that produced them), cursor
 * pagination, ETag and 304, CORS, problems as application/problem+json.
 */
type Json = Record<string, unknown>;
interface Doc {
	openapi: string;
	info: Json;
	paths: Record<string, { get: { operationId: string; parameters: Json[]; responses: Record<string, { content?: Record<string, { schema: Json }> }> } }>;
	components: { schemas: Record<string, Json>; securitySchemes: Json };
}

let app: TestApp;
let api: string;
let doc: Doc;
let token: string;
let coordinator: Authenticated;

const get = (path: string, headers: Record<string, string> = {}) => fetch(api + path, { headers: { accept: 'application/json', ...headers } });
const asMember = (path: string, headers: Record<string, string> = {}) => get(path, { authorization: `Bearer ${token}`, ...headers });

/** The path template of the document a concrete path answers to, and its 200 schema. */
function schemaFor(path: string): { template: string; schema: Json } {
	const bare = path.split('?')[0];
	const template = Object.keys(doc.paths).find((t) => new RegExp(`^${t.replace(/\{\w+\}/g, '[^/]+')}$`).test(bare));
	if (!template) throw new Error(`no path of the document answers ${bare}`);
	return { template, schema: doc.paths[template].get.responses['200'].content!['application/json'].schema };
}

const covered = new Set<string>();
/** GETs a path and validates the answer against the document; returns the body. */
async function checked(path: string, as: 'visitor' | 'member' = 'member'): Promise<Json> {
	const res = as === 'member' ? await asMember(path) : await get(path);
	expect(res.status, `${path}: ${res.status}`).toBe(200);
	expect(res.headers.get('content-type')).toMatch(/^application\/json/);
	const body = (await res.json()) as Json;
	const { template, schema } = schemaFor(path);
	expect(validate(body, schema, doc.components.schemas), path).toEqual([]);
	covered.add(template);
	return body;
}

beforeAll(async () => {
	app = await startTestApp();
	api = `${app.url}/api/v1`;
	doc = (await (await get('/openapi.json')).json()) as Doc;
	({ auth: coordinator } = await signInAs(app, 'coordinator@demo.test'));
	({ token } = await app.ctx.services.apiTokens.create(coordinator, 'tests'));
	// A register of several pages: closed votes, some for members only.
	for (let i = 0; i < 5; i++) {
		const id = await app.ctx.services.votes.create(coordinator, voteInput({ title: `Vendimi ${i}`, visibility: i % 2 ? 'members' : 'public' }), {}, true);
		await app.ctx.services.votes.close(coordinator, id);
	}
});
afterAll(async () => app?.dispose());

describe('the OpenAPI document', () => {
	it('is a structurally valid OpenAPI 3.1 document whose every reference resolves', () => {
		expect(doc.openapi).toBe('3.1.0');
		expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
		const ids = new Set<string>();
		for (const [path, item] of Object.entries(doc.paths)) {
			expect(path.startsWith('/')).toBe(true);
			const op = item.get;
			expect(ids.has(op.operationId)).toBe(false);
			ids.add(op.operationId);
			const declared = new Set(op.parameters.filter((p) => p.in === 'path').map((p) => p.name));
			// Every {name} in the path is a required path parameter, and no other path parameter is declared.
			expect(declared).toEqual(new Set([...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])));
			for (const p of op.parameters) {
				expect(['path', 'query']).toContain(p.in);
				expect(typeof p.schema).toBe('object');
				if (p.in === 'path') expect(p.required).toBe(true);
			}
			expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '404', '406', '429']));
			for (const [status, response] of Object.entries(op.responses)) {
				if (status === '200') expect(Object.keys(response.content!)).toEqual(['application/json']);
				else if (status !== '304') expect(Object.keys(response.content!)).toEqual(['application/problem+json']);
			}
		}
		expect(ids.size).toBe(ENDPOINTS.length);
		const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
		for (const ref of refs) expect(doc.components.schemas[ref.slice(8, -1).replace('#/components/schemas/', '')], ref).toBeDefined();
	});

	it('its schemas refuse what the API must not answer (the validator can fail)', async () => {
		const body = await checked('/decisions?limit=1');
		const decision = (body.data as Json[])[0];
		const { schema } = schemaFor('/decisions/1');
		expect(validate({ ...decision, title: undefined }, schema, doc.components.schemas)).not.toEqual([]);
		expect(validate({ ...decision, ballots: [] }, schema, doc.components.schemas)).toEqual(['$: unexpected property ballots']);
		expect(validate({ ...decision, decidedAt: 1765126800000 }, schema, doc.components.schemas)).not.toEqual([]);
	});
});

describe('every endpoint', () => {
	it('answers as the document says, for a visitor and for a member with a token', async () => {
		for (const as of ['visitor', 'member'] as const) {
			const decisions = (await checked('/decisions', as)).data as Json[];
			expect(decisions.length).toBeGreaterThan(0);
			await checked(`/decisions/${decisions[0].id}`, as);
			await checked('/meetings?past=true', as);
			const meetings = (await checked('/meetings', as)).data as Json[];
			expect(meetings.length).toBeGreaterThan(0);
			await checked(`/meetings/${meetings[0].id}`, as);
			await checked('/votes', as);
			const closed = (await checked('/votes?closed=true', as)).data as Json[];
			expect(closed.length).toBeGreaterThan(0);
			const vote = await checked(`/votes/${closed[0].id}`, as);
			expect(vote.result).not.toBeNull();
			const spaces = (await checked('/spaces', as)).data as Json[];
			const space = spaces.find((s) => (s.threadCount as number) > 0)!;
			const threads = (await checked(`/spaces/${space.slug}/threads`, as)).data as Json[];
			await checked(`/threads/${threads[0].id}`, as);
			await checked(`/threads/${threads[0].id}/posts`, as);
			const drafts = (await checked('/drafts', as)).data as Json[];
			await checked('/drafts?archived=true', as);
			let versioned: { draft: Json; versions: Json[] } | null = null;
			for (const draft of drafts) {
				await checked(`/drafts/${draft.id}`, as);
				const versions = (await checked(`/drafts/${draft.id}/versions`, as)).data as Json[];
				if (versions.length) versioned ??= { draft, versions };
			}
			expect(versioned).not.toBeNull();
			const version = await checked(`/drafts/${versioned!.draft.id}/versions/${versioned!.versions[0].number}`, as);
			expect(version.hash).toBe(versioned!.versions[0].hash);
			expect(String(version.html).length).toBeGreaterThan(0);
			const organisations = (await checked('/organisations', as)).data as Json[];
			const organisation = await checked(`/organisations/${organisations[0].slug}`, as);
			// Only members see who represents an organisation.
			expect(organisation.representatives === null).toBe(as === 'visitor');
			await checked('/groups?lang=el', as);
			const fields = (await checked('/fields?lang=en', as)).data as Json[];
			expect(fields.length).toBeGreaterThan(0);
		}
		expect(covered).toEqual(new Set(Object.keys(doc.paths)));
	});

	it('never answers a ballot, nor the result of a vote that is not closed', async () => {
		const open = ((await checked('/votes')).data as Json[]).filter((v) => v.status !== 'closed');
		expect(open.length).toBeGreaterThan(0);
		for (const v of open) {
			const body = await checked(`/votes/${v.id}`);
			// The seeded open secret vote shows its results after closing; an open vote with live results too is null here.
			expect(body.result).toBeNull();
			expect(JSON.stringify(body)).not.toMatch(/ballot|receipt/i);
		}
	});
});

describe('pagination', () => {
	it('walks a list page by page with the opaque cursor, each item once', async () => {
		for (const list of ['/decisions', '/organisations', '/fields']) {
			const all = ((await checked(`${list}?limit=100`)).data as Json[]).map((d) => JSON.stringify(d));
			const seen: string[] = [];
			let next: string | null = null;
			let pages = 0;
			do {
				const body: Json = await checked(`${list}?limit=2${next ? `&cursor=${encodeURIComponent(next)}` : ''}`);
				expect((body.data as Json[]).length).toBeLessThanOrEqual(2);
				seen.push(...(body.data as Json[]).map((d) => JSON.stringify(d)));
				next = body.next as string | null;
				pages++;
			} while (next && pages < 100);
			expect(seen, list).toEqual(all);
			expect(pages).toBe(Math.max(1, Math.ceil(all.length / 2)));
		}
	});

	it('pages the posts of a thread and the threads of a space', async () => {
		const space = ((await checked('/spaces')).data as Json[]).find((s) => (s.threadCount as number) > 2)!;
		const first = await checked(`/spaces/${space.slug}/threads?limit=1`);
		const second = await checked(`/spaces/${space.slug}/threads?limit=1&cursor=${first.next}`);
		const both = await checked(`/spaces/${space.slug}/threads?limit=2`);
		expect([...(first.data as Json[]), ...(second.data as Json[])]).toEqual(both.data);
		const thread = (both.data as Json[]).find((t) => (t.postCount as number) > 1) ?? (both.data as Json[])[0];
		const posts = await checked(`/threads/${thread.id}/posts?limit=1`);
		expect((posts.data as Json[]).length).toBe(1);
	});

	it('pages a space by where its last thread stands: a thread bumped between two pages repeats nothing and skips nothing', async () => {
		// An offset cursor fails this: the bumped thread moves to the top, the rest one place down, and the second page
		// starts with the first page's last thread again.
		const space = ((await checked('/spaces')).data as Json[]).find((s) => (s.threadCount as number) >= 4)!;
		const all = async () => {
			const ids: unknown[] = [];
			for (let next: string | null = null, pages = 0; pages === 0 || (next && pages < 100); pages++) {
				const body = await checked(`/spaces/${space.slug}/threads?limit=2${next ? `&cursor=${next}` : ''}`);
				ids.push(...(body.data as Json[]).map((t) => t.id));
				next = body.next as string | null;
			}
			return ids;
		};
		const before = (await checked(`/spaces/${space.slug}/threads?limit=100`)).data as Json[];
		expect(await all()).toEqual(before.map((t) => t.id));
		const first = await checked(`/spaces/${space.slug}/threads?limit=2`);
		const bumped = before.filter((t) => !t.pinned && !t.locked && !t.archived).at(-1)!;
		await app.ctx.services.forumWriting.reply(coordinator, bumped.id as number, null, 'Një përgjigje që e sjell lart.');
		const rest: unknown[] = [];
		for (let next = first.next as string | null, pages = 0; next && pages < 100; pages++) {
			const body = await checked(`/spaces/${space.slug}/threads?limit=2&cursor=${next}`);
			rest.push(...(body.data as Json[]).map((t) => t.id));
			next = body.next as string | null;
		}
		const seen = [...(first.data as Json[]).map((t) => t.id), ...rest];
		expect(new Set(seen).size).toBe(seen.length);
		expect(seen.filter((id) => id !== bumped.id)).toEqual(before.map((t) => t.id).filter((id) => id !== bumped.id));
	});

	it('bounds the page size and refuses a cursor that is not one of ours', async () => {
		for (const query of ['limit=0', 'limit=101', 'limit=abc', 'cursor=not-ours', `cursor=${Buffer.from('{"x":1}').toString('base64url')}`, 'past=maybe']) {
			const res = await asMember(`/${query.startsWith('past') ? 'meetings' : 'decisions'}?${query}`);
			expect(res.status, query).toBe(400);
			expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
		}
	});
});

describe('HTTP', () => {
	it('answers 304 to If-None-Match with the current ETag, and 200 when it changed', async () => {
		const first = await asMember('/decisions');
		const etag = first.headers.get('etag')!;
		expect(etag).toMatch(/^"[\w-]+"$/);
		const again = await asMember('/decisions', { 'if-none-match': etag });
		expect(again.status).toBe(304);
		expect(await again.text()).toBe('');
		expect((await asMember('/decisions', { 'if-none-match': `W/${etag}, "other"` })).status).toBe(304);
		expect((await asMember('/decisions', { 'if-none-match': '"stale"' })).status).toBe(200);
		// A visitor reads fewer decisions than a member: another body, another ETag.
		expect((await get('/decisions', { 'if-none-match': etag })).status).toBe(200);
	});

	it('lets any site read with GET, without credentials', async () => {
		const res = await get('/decisions', { origin: 'https://example.org' });
		expect(res.headers.get('access-control-allow-origin')).toBe('*');
		expect(res.headers.get('access-control-allow-credentials')).toBeNull();
		const preflight = await fetch(`${api}/decisions`, { method: 'OPTIONS', headers: { origin: 'https://example.org', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS');
		expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
		// Writing is refused before anything else, cross-site or not.
		const post = await fetch(`${api}/decisions`, { method: 'POST', headers: { origin: 'https://example.org' } });
		expect(post.status).toBe(405);
	});

	it('answers problems as application/problem+json in the reader’s language', async () => {
		const problem = doc.components.schemas.Problem;
		const cases: [string, Record<string, string>, number][] = [
			['/decisions/999999', {}, 404],
			['/meetings/999999', { authorization: `Bearer ${token}` }, 404],
			['/nothing-here', {}, 404],
			['/decisions', { authorization: 'Bearer kuvend_not-a-token' }, 401],
			['/decisions', { authorization: 'Basic abc' }, 401],
			['/decisions', { accept: 'text/html' }, 406],
			['/decisions?limit=-1', {}, 400],
			// A path parameter that is not percent-encoding (Express answered its own HTML page here).
			['/spaces/%ZZ/threads', {}, 400]
		];
		for (const [path, headers, status] of cases) {
			const res = await get(path, headers);
			expect(res.status, path).toBe(status);
			expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
			const body = (await res.json()) as Json;
			expect(validate(body, problem, doc.components.schemas)).toEqual([]);
			expect(body.status).toBe(status);
		}
		const greek = (await (await get('/decisions/999999', { 'accept-language': 'el' })).json()) as Json;
		expect(greek.title).toBe('Δεν βρέθηκε');
		const unauthorised = await get('/decisions', { authorization: 'Bearer kuvend_nope' });
		expect(unauthorised.headers.get('www-authenticate')).toMatch(/^Bearer/);
	});
});
