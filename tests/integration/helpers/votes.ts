import { BallotSeal, ballotKeyOf } from '../../../server/db/ballots/ballot-seal.js';
import { randomBytes } from 'node:crypto';
import { parse } from 'devalue';
import type { Socket } from 'socket.io-client';
import type { RunningApp } from '../../../server/app.js';
import type { Config } from '../../../server/config.js';
import { VOTE_DEFAULTS, type VoteInput } from '../../../server/domain/votes.js';
import { newSessionTimes } from '../../../server/domain/session-policy.js';
import { sessionIdOf, type Authenticated } from '../../../server/services/auth.service.js';
import type { UserStatus } from '../../../src/lib/shared/types.js';
import { connectSocket, connection, startTestApp, type TestApp } from './app.js';

export interface Person {
	id: number;
	cookie: string;
	auth: Authenticated;
}

/** A session for an existing account, made the way signing in makes one (without the password hash's cost). */
export async function sessionOf(app: RunningApp & { config: Config }, userId: number): Promise<Person> {
	const token = randomBytes(32).toString('base64url');
	const times = newSessionTimes(Date.now(), { idleMs: app.config.sessionIdleMs, absoluteMs: app.config.sessionAbsoluteMs });
	await app.ctx.db.insertInto('sessions').values({ id: sessionIdOf(token), user_id: userId, ...times, user_agent: null, ip: null }).execute();
	const auth = await app.ctx.services.auth.authenticate(token);
	if (!auth) throw new Error(`no session for user ${userId}`);
	return { id: userId, cookie: `kuvend_session=${token}`, auth };
}

let made = 0;

/** `n` new accounts with sessions (active members unless told otherwise). */
export async function makePeople(app: RunningApp & { config: Config }, n: number, status: UserStatus = 'active'): Promise<Person[]> {
	const now = Date.now();
	const rows = Array.from({ length: n }, () => {
		made++;
		return { email: `voter${made}-${now}@test.example`, password_hash: null, display_name: `Voter ${made}`, role: 'member' as const, status, locale: 'sq' as const, city: null, bio: null, created_at: now, updated_at: now };
	});
	const ids = await app.ctx.db.insertInto('users').values(rows).returning('id').execute();
	// Sessions are made while active (an applicant may sign in; a suspended account may not), then the status is set.
	return Promise.all(ids.map((r) => sessionOf(app, r.id)));
}

export async function personByEmail(app: RunningApp & { config: Config }, email: string): Promise<Person> {
	const { id } = await app.ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
	return sessionOf(app, id);
}

export const voteInput = (over: Partial<VoteInput> = {}): VoteInput => ({ ...VOTE_DEFAULTS, title: 'Do we adopt the charter?', method: 'yes_no', ...over });

export type Answer = { ok: true; receipt: string; changed: boolean } | { ok: false; code: string; reason?: string };

/** Posts the vote page's ballot form as the page's enhanced form does (JSON answer). */
export async function castByForm(url: string, voteId: number, cookie: string | null, fields: Record<string, string | string[]>): Promise<Answer> {
	const body = new URLSearchParams();
	for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
	const res = await fetch(`${url}/votes/${voteId}?/cast`, {
		method: 'POST',
		redirect: 'manual',
		headers: { accept: 'application/json', 'x-sveltekit-action': 'true', origin: url, 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
		body
	});
	if (res.status >= 300 && res.status < 400) return { ok: false, code: 'unauthenticated' };
	const json = (await res.json()) as { type: string; data?: string; status?: number; location?: string };
	if (json.type === 'redirect') return { ok: false, code: 'unauthenticated' };
	const data = json.data ? (parse(json.data) as Record<string, unknown>) : {};
	if (json.type === 'success') return { ok: true, receipt: data.receipt as string, changed: data.changed as boolean };
	if (json.type === 'failure') return { ok: false, code: data.code as string, reason: (data.fields as Record<string, string> | undefined)?.ballot };
	return { ok: false, code: `unexpected ${json.type} ${res.status}` };
}

/** A member's socket, connected as a browser tab connects. */
export async function memberSocket(url: string, cookie: string): Promise<Socket> {
	const socket = connectSocket(url, { cookie, origin: url });
	const state = await connection(socket);
	if (state !== 'connected') throw new Error(`socket refused: ${state}`);
	return socket;
}

export function castBySocket(
	socket: Socket,
	payload: { voteId: number; ballot: unknown; replace?: boolean; receipt?: string; organisationId?: number; proxyFor?: number; castId?: unknown; changeKey?: unknown }
): Promise<Answer> {
	return new Promise((resolve) =>
		socket.emit('vote:cast', payload, (res: { ok: boolean; code?: string; message?: string; receipt?: string; changed?: boolean }) =>
			resolve(res.ok ? { ok: true, receipt: res.receipt!, changed: !!res.changed } : { ok: false, code: res.code!, reason: res.message })
		)
	);
}

/** A test file's voting floor: the app, the coordinator, `n` voters, their sockets on demand, all closed by `dispose`. */
export async function startVoting(n: number): Promise<{ app: TestApp; coordinator: Person; voters: Person[]; socketOf: (p: Person) => Promise<Socket>; dispose: () => Promise<void> }> {
	const app = await startTestApp();
	const sockets: Socket[] = [];
	const socketOf = async (p: Person) => {
		const s = await memberSocket(app.url, p.cookie);
		sockets.push(s);
		return s;
	};
	const dispose = async () => {
		for (const s of sockets) s.disconnect();
		await app.dispose();
	};
	return { app, coordinator: await personByEmail(app, 'coordinator@demo.test'), voters: await makePeople(app, n), socketOf, dispose };
}

/**
 * The ballots a vote's store holds, as receipt and choice. On PostgreSQL a secret vote's ballots are sealed while it
 * is open (docs/secret-ballots-postgresql.md): they are opened here with the data folder's ballot key, as the ballot
 * box opens them; elsewhere they are read as stored.
 */
export async function storedBallots(app: RunningApp & { config: Config }, voteId: number): Promise<{ receipt: string; choice: unknown }[]> {
	const rows = await app.ctx.db.selectFrom('vote_ballots').select(['receipt', 'choice']).where('vote_id', '=', voteId).execute();
	const seal = app.config.databaseUrl ? new BallotSeal(ballotKeyOf(app.config)) : null;
	return rows.map((r) => {
		const opened = seal?.isSealed(r.choice) ? seal.open(voteId, r.choice) : { receipt: r.receipt, choice: r.choice };
		return { receipt: opened.receipt, choice: JSON.parse(opened.choice) as unknown };
	});
}
