import { createHash } from 'node:crypto';
import { parse } from 'devalue';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiTokensService } from '../../server/services/api-tokens.service.js';
import { MAX_TOKENS_PER_MEMBER } from '../../src/lib/shared/api/limits.js';
import type { Authenticated } from '../../server/services/auth.service.js';
import { getPage, signInAs, startTestApp, type TestApp } from './helpers/app.js';

/**
 * Personal API tokens on the real server: made and revoked at /settings/api, shown once and stored hashed, last use
 * recorded at most once a minute, revoked or suspended → 401 at once (mid-use too), a bound per member, and never a
 * token in the log.
 */
let app: TestApp;
let member: { cookie: string; auth: Authenticated };
let logged = '';
const write = process.stderr.write.bind(process.stderr);

beforeAll(async () => {
	// Everything the server logs while these tests run is kept, to look for tokens in it at the end.
	vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
		logged += String(chunk);
		return write(chunk);
	});
	app = await startTestApp({ LOG_LEVEL: 'debug' });
	member = await signInAs(app, 'member1@demo.test');
});
afterAll(async () => {
	await app?.dispose();
	vi.restoreAllMocks();
});

/** Sends a form action of the tokens page the way use:enhance does; answers its result type and data. */
async function action(name: 'create' | 'revoke', body: Record<string, string>, cookie = member.cookie) {
	const res = await fetch(`${app.url}/settings/api?/${name}`, {
		method: 'POST',
		headers: { accept: 'application/json', 'x-sveltekit-action': 'true', origin: app.url, 'content-type': 'application/x-www-form-urlencoded', cookie },
		body: new URLSearchParams(body)
	});
	const result = (await res.json()) as { type: string; status?: number; data?: string };
	return { type: result.type, status: result.status, data: result.data ? (parse(result.data) as Record<string, unknown>) : {} };
}

const read = (token: string, path = '/decisions') => fetch(`${app.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
const made: string[] = [];

async function create(name: string): Promise<{ id: number; token: string }> {
	const { type, data } = await action('create', { name });
	expect(type).toBe('success');
	const created = data.created as { id: number; token: string };
	made.push(created.token);
	return created;
}

describe('personal API tokens', () => {
	it('are shown once, stored only as a hash, and read the API as their member', async () => {
		const { id, token } = await create('  Faqja   e organizatës ');
		expect(token).toMatch(/^kuvend_[\w-]{43}$/);
		const row = await app.ctx.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ name: 'Faqja e organizatës', token_hash: createHash('sha256').update(token).digest('hex'), last_used_at: null });
		expect(JSON.stringify(row)).not.toContain(token.slice(7));
		const page = await (await getPage(app.url, '/settings/api', member.cookie)).text();
		expect(page).toContain('Faqja e organizatës');
		expect(page).not.toContain(token);
		// As member1: the members-only decisions a visitor does not get.
		const asMember = (await (await read(token)).json()) as { data: unknown[] };
		const asVisitor = (await (await fetch(`${app.url}/api/v1/decisions`)).json()) as { data: unknown[] };
		expect(asMember.data.length).toBeGreaterThanOrEqual(asVisitor.data.length);
		expect((await read(token, '/organisations/vlora-art').then((r) => r.json())).representatives).not.toBeNull();
	});

	it('record their last use, at most once a minute', async () => {
		const { id, token } = await create('last use');
		expect((await read(token)).status).toBe(200);
		const first = (await app.ctx.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()).last_used_at;
		expect(first).not.toBeNull();
		expect((await read(token)).status).toBe(200);
		expect((await app.ctx.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()).last_used_at).toBe(first);
		// The same service on a clock of its own: 59 s later nothing is written, 60 s later the new time is.
		let now = first! + 59_000;
		const tokens = new ApiTokensService(app.ctx.db, () => now);
		await tokens.authenticate(token);
		expect((await app.ctx.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()).last_used_at).toBe(first);
		now = first! + 60_000;
		await tokens.authenticate(token);
		expect((await app.ctx.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()).last_used_at).toBe(now);
		const listed = await (await getPage(app.url, '/settings/api', member.cookie)).text();
		expect(listed).toContain('last use');
	});

	it('stop working the moment they are revoked, while a client is using them', async () => {
		const { id, token } = await create('revoked mid-use');
		// A client reading in a loop, as a site refreshing its list would.
		const statuses: number[] = [];
		let revoked = false;
		const client = (async () => {
			for (let i = 0; i < 200 && !(revoked && statuses.at(-1) === 401); i++) statuses.push((await read(token)).status);
		})();
		while (statuses.length < 3) await new Promise((r) => setTimeout(r, 5));
		expect((await action('revoke', { id: String(id) })).type).toBe('success');
		revoked = true;
		const after = statuses.length;
		await client;
		expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
		// Every request sent after the revocation returned is refused; none is answered from a cache of the token.
		expect(statuses.slice(after + 1).every((s) => s === 401)).toBe(true);
		expect(statuses.at(-1)).toBe(401);
		const res = await read(token);
		expect(res.status).toBe(401);
		expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
		// Revoking it again, or someone else's token, finds nothing.
		expect((await action('revoke', { id: String(id) })).status).toBe(404);
	});

	it('belong to their member only', async () => {
		const { id } = await create('mine');
		const other = await signInAs(app, 'member2@demo.test');
		expect((await action('revoke', { id: String(id) }, other.cookie)).status).toBe(404);
		expect(await app.ctx.db.selectFrom('api_tokens').select('id').where('id', '=', id).executeTakeFirst()).toBeDefined();
	});

	it('stop working when their member is suspended, and work again when reinstated', async () => {
		const { auth: dritan } = await signInAs(app, 'dritan.kola@demo.test');
		const { token } = await app.ctx.services.apiTokens.create(dritan, 'suspension');
		made.push(token);
		expect((await read(token)).status).toBe(200);
		const { auth: coordinator } = await signInAs(app, 'coordinator@demo.test');
		await app.ctx.services.coordination.suspend(coordinator, dritan.actor.id, 'token test');
		expect((await read(token)).status).toBe(401);
		await app.ctx.services.coordination.reinstate(coordinator, dritan.actor.id);
		expect((await read(token)).status).toBe(200);
	});

	it('are bounded per member, and a refused name keeps what was typed', async () => {
		const held = await app.ctx.db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', member.auth.actor.id).executeTakeFirstOrThrow();
		for (let i = Number(held.n); i < MAX_TOKENS_PER_MEMBER; i++) await create(`token ${i}`);
		const refused = await action('create', { name: 'one too many' });
		expect(refused.status).toBe(409);
		expect(refused.data.values).toEqual({ name: 'one too many' });
		const empty = await action('create', { name: '   ' });
		expect(empty.status).toBe(400);
		expect(empty.data.fields).toEqual({ name: 'required' });
		// Applicants, who are not members yet, make none.
		await expect(app.ctx.services.apiTokens.create({ ...member.auth, actor: { ...member.auth.actor, status: 'applicant' } }, 'x')).rejects.toMatchObject({ code: 'forbidden' });
	});

	it('never appear in the log', async () => {
		expect(made.length).toBeGreaterThan(MAX_TOKENS_PER_MEMBER - 1);
		// Anything that would copy a request's header into the log is redacted by the logger itself: without
		// redactSecrets in server/logger.ts these two lines hold the token and this test fails.
		app.ctx.logger.error('a request failed', { headers: { authorization: `Bearer ${made[0]}` } });
		app.ctx.logger.warn(`token ${made[1]} seen`);
		expect(logged).toContain('Bearer [redacted]');
		for (const token of made) expect(logged).not.toContain(token.slice(7));
	});
});
