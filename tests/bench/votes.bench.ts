/**
 * Vote benchmarks of issue #6: 1,000 and 5,000 Socket.IO voters, each signed in as a member of their own and
 * watching one open yes/no vote (results shown live), cast once each at a random moment within one second; then
 * the vote is closed through VotesService and every watcher must receive `vote:closed` with the final tally.
 * Figures: cast→ack latency, every ballot persisted, and close→every client holding the final tally.
 *
 * Baselines in the same run, to the same clients from the same client processes: a plain Socket.IO server (no app)
 * that acknowledges an `echo` sent on the same schedule and broadcasts the same final tally to everyone; and, to
 * tell Socket.IO's cost of live tallies from the app's, the plain echo again with Kuvend's tally broadcasts (one every TALLY_EVERY_MS).
 *
 * Kuvend (without its SvelteKit pages) and the plain servers run in this process, one after the other, as
 * forum.bench.ts runs Kuvend; the voters are socket.io-client connections spread over client processes, which run
 * this same file (see the end). Times that cross processes are wall-clock (performance.timeOrigin + now()),
 * comparable on one machine. The machine is small and may be shared: each measured window waits for other processes
 * to quieten, and what they took anyway is reported. VOTES_BENCH=2000,10000 (any sizes, comma-separated) chooses the
 * halls; without it, 2,000 voters. VOTES_SECRET=1 casts secret ballots (WAL truncation after each batch included).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { VOTE_DEFAULTS, type VoteInput } from '../../server/domain/votes.js';
import { TALLY_EVERY_MS } from '../../server/realtime/handlers/vote.handlers.js';
import { SESSION_COOKIE } from '../../src/lib/shared/session.js';
import type { VoteTally, YesNo } from '../../src/lib/shared/votes.js';
import { actAs, ChildMailbox, cpuProfile, failure, note, now, othersMeter, percentile, pool, quieter, rng, sleep, startBenchApp, type BenchApp, type Quiet, type Row } from './lib.js';

/** Sizes run without VOTES_BENCH: one hall of 2,000, a few minutes on the 2-core machine. */
const DEFAULT_SIZES = [2_000];
/**
 * Ack budgets of the issues (#6, #21), by number of voters (absent: reported only). The final tally's budget is
 * relative: p99 no slower than the plain broadcast to the same clients in the same run.
 */
const ACK_BUDGETS: Record<number, number> = { 1_000: 100, 2_000: 100, 10_000: 500 };
/** Client processes: enough that no one event loop holds thousands of sockets, few enough for 2 cores. */
const PROCESSES = 4;
const CAST_WINDOW_MS = 1_000;
/** After the last ack, so the last coalesced tally broadcast is out before closing. */
const SETTLE_MS = 500;
const CONNECT_CONCURRENCY = 50;
/** Before each measured window, other processes must be below this (% of a core), or have been waited for (quieter()). */
const QUIET_PERCENT = 20;
const QUIET_WAIT_MS = 10_000;
const QUIET_TOTAL_MS = 40_000;
const TIMEOUT_MS = 60_000;
const CHOICES: YesNo[] = ['yes', 'yes', 'yes', 'no', 'abstain'];

const VOTE: VoteInput = {
	...VOTE_DEFAULTS,
	title: 'Miratimi i buxhetit vjetor të rrjetit për vitin 2027',
	description: 'Buxheti i propozuar nga këshilli koordinues.',
	method: 'yes_no',
	// Live results: every watcher gets the full tally (every TALLY_EVERY_MS) while ballots arrive (the heaviest setting).
	results: 'live',
	// Secret: participation only while open, ballots sealed apart from their voters, the WAL truncated after each batch.
	secret: process.env.VOTES_SECRET === '1'
};

const cpuMs = (since: NodeJS.CpuUsage) => {
	const d = process.cpuUsage(since);
	return (d.user + d.system) / 1000;
};

// ——— the protocol between this process and the voter processes ———

type ToVoter =
	/** Connects `count` sockets (with a session cookie each when `tokens` is given) and, with `voteId`, watches it. */
	| { kind: 'connect'; url: string; tokens: string[] | null; count: number; voteId: number | null }
	/** Each socket sends `event` once, at `at + offsets[i]` (wall clock), and times its ack. */
	| { kind: 'cast'; event: 'vote:cast' | 'echo'; voteId: number; at: number; offsets: number[] }
	/** Get ready to time `vote:closed`, which must carry `participants`. */
	| { kind: 'arm'; participants: number }
	| { kind: 'disconnect' };

type FromVoter =
	| { kind: 'ready' }
	/** ms: cast→ack per socket; late: how late each send left against its schedule (client load). */
	/** gap: the longest any of its sockets went without a `vote:tally` from the window's start to its last ack (ms). */
	| { kind: 'cast'; ms: number[]; late: number[]; refused: string[]; cpuMs: number; wallMs: number; tallies: number; gap: number }
	| { kind: 'armed' }
	/** at: wall-clock time each socket received `vote:closed`; wrong: how many carried other figures. */
	| { kind: 'final'; at: number[]; wrong: number; cpuMs: number }
	| { kind: 'disconnected' }
	| { kind: 'error'; message: string };

/** One voter process: send it jobs, wait for its answers by kind. */
class Voters extends ChildMailbox<ToVoter, FromVoter> {
	constructor() {
		super(fileURLToPath(import.meta.url), ['voters'], 'voter process');
	}
}

/** Splits `items` into `parts` contiguous slices, as the voters are split over processes. */
const slices = <T>(items: T[], parts: number): T[][] => {
	const size = Math.ceil(items.length / parts);
	return Array.from({ length: parts }, (_, p) => items.slice(p * size, (p + 1) * size));
};

// ——— one round: connect, cast, close ———

interface Round {
	ack: number[];
	final: number[];
	/** Longest the server's event loop was blocked while ballots arrived, and during the fan-out. */
	castStall: number;
	finalStall: number;
	/** Server CPU over the cast window, in % of a core. */
	castCpu: number;
	/** CPU other processes on the machine took while casting, and around the close (% of a core). */
	castOthers: number;
	finalOthers: number;
	/** Client processes: the latest a send left against its schedule, and their CPU in % of a core. */
	clientLate: number;
	clientCastCpu: number[];
	clientFinalCpu: number[];
	refused: string[];
	wrong: number;
	tallies: number;
	/** The longest any watcher went without a live tally while the hall cast (ms). */
	tallyGap: number;
}

interface Target {
	url: string;
	tokens: string[] | null;
	voteId: number | null;
	event: 'vote:cast' | 'echo';
	/** Called before the cast window opens and once every ack is in (Kuvend: the CPU profile of the window, if asked). */
	casting?: { start(): Promise<void>; stop(): Promise<void> };
	/** Waits until the server has written everything the casts cause (Kuvend: the ballots and the last tally). */
	afterCasts(): Promise<void>;
	/** Closes the vote (or sends the plain broadcast), the timer started just before. */
	close(): Promise<void>;
	participants: number;
}

async function round(voters: Voters[], quiet: Quiet, n: number, offsets: number[], target: Target): Promise<Round> {
	const tokens = target.tokens ? slices(target.tokens, voters.length) : null;
	const counts = slices(offsets, voters.length).map((s) => s.length);
	let t0 = performance.now();
	await Promise.all(voters.map((v, p) => v.ask({ kind: 'connect', url: target.url, tokens: tokens?.[p] ?? null, count: counts[p], voteId: target.voteId }, 'ready')));
	note(`${n} sockets connected${target.voteId ? ' and watching' : ''} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
	const pids = voters.map((v) => v.pid);
	// Started before the wait: starting the profiler holds the thread for a while.
	await target.casting?.start();
	// The connection burst leaves garbage and timers behind: let it settle before measuring.
	await quiet(pids, 1_000);
	const castDelay = monitorEventLoopDelay({ resolution: 1 });
	const at = now() + 300;
	const parts = slices(offsets, voters.length);
	// The delay monitor's first tick only starts its clock: it runs before the window so that a stall at once counts.
	castDelay.enable();
	const cast = voters.map((v, p) => v.ask({ kind: 'cast', event: target.event, voteId: target.voteId ?? 0, at, offsets: parts[p] }, 'cast'));
	await sleep(at - now());
	const cpu0 = process.cpuUsage();
	const othersCasting = othersMeter(pids);
	t0 = performance.now();
	const casts = await Promise.all(cast);
	const castCpu = (cpuMs(cpu0) / (performance.now() - t0)) * 100;
	const castOthers = othersCasting();
	castDelay.disable();
	await target.casting?.stop();
	await target.afterCasts();
	await quiet(pids, SETTLE_MS);

	// The fan-out lasts tens of milliseconds, too short for /proc's 10-ms ticks: others are measured from 200 ms before.
	const othersClosing = othersMeter(pids);
	await Promise.all(voters.map((v) => v.ask({ kind: 'arm', participants: target.participants }, 'armed')));
	const finalDelay = monitorEventLoopDelay({ resolution: 1 });
	finalDelay.enable();
	await sleep(200);
	const start = now();
	const finals = voters.map((v) => v.next('final'));
	await target.close();
	const received = await Promise.all(finals);
	finalDelay.disable();
	const finalOthers = othersClosing();
	await Promise.all(voters.map((v) => v.ask({ kind: 'disconnect' }, 'disconnected')));

	return {
		ack: casts.flatMap((c) => c.ms),
		final: received.flatMap((r) => r.at.map((t) => t - start)),
		castStall: castDelay.max / 1e6,
		finalStall: finalDelay.max / 1e6,
		castCpu,
		castOthers,
		finalOthers,
		clientLate: Math.max(...casts.flatMap((c) => c.late)),
		clientCastCpu: casts.map((c) => (c.cpuMs / c.wallMs) * 100),
		clientFinalCpu: received.map((r) => r.cpuMs),
		refused: casts.flatMap((c) => c.refused),
		wrong: received.reduce((sum, r) => sum + r.wrong, 0),
		tallies: casts.reduce((sum, c) => sum + c.tallies, 0) / n,
		tallyGap: Math.max(...casts.map((c) => c.gap))
	};
}

// ——— Kuvend ———

/** The app's modules, loaded by this process only: the voter processes run this file too and need none of them. */
async function appModules() {
	const [users, sessions, policy, auth] = await Promise.all([
		import('../../server/db/repositories/user.repository.js'),
		import('../../server/db/repositories/session.repository.js'),
		import('../../server/domain/session-policy.js'),
		import('../../server/services/auth.service.js')
	]);
	return { insertUser: users.insertUser, insertSession: sessions.insertSession, newSessionTimes: policy.newSessionTimes, sessionIdOf: auth.sessionIdOf };
}
type AppModules = Awaited<ReturnType<typeof appModules>>;

/** `n` active members with a session each, written through the repositories in one transaction; their tokens. */
async function addMembers(m: AppModules, app: BenchApp, n: number): Promise<string[]> {
	const tokens: string[] = [];
	const at = Date.now();
	const policy = { idleMs: app.config.sessionIdleMs, absoluteMs: app.config.sessionAbsoluteMs };
	await app.ctx.db.transaction().execute(async (trx) => {
		for (let i = 0; i < n; i++) {
			const userId = await m.insertUser(trx, {
				email: `votuesi${i + 1}@bench.test`,
				password_hash: null,
				display_name: `Votuesi ${i + 1}`,
				role: 'member',
				status: 'active',
				locale: 'sq',
				city: null,
				bio: null,
				created_at: at,
				updated_at: at,
				last_digest_at: null
			});
			const token = randomBytes(32).toString('base64url');
			await m.insertSession(trx, { id: m.sessionIdOf(token), user_id: userId, ...m.newSessionTimes(at, policy), user_agent: 'votes.bench', ip: null });
			tokens.push(token);
		}
	});
	return tokens;
}

interface Persisted {
	ballots: number;
	participants: number;
	counted: number;
}

async function kuvendRound(voters: Voters[], quiet: Quiet, n: number, offsets: number[]): Promise<{ round: Round; persisted: Persisted; finalTally: VoteTally; closeMs: number }> {
	const m = await appModules();
	// No page is loaded here, so the benchmark needs no web build.
	const app = await startBenchApp({ pages: false });
	try {
		const { votes } = app.ctx.services;
		let t0 = performance.now();
		const tokens = await addMembers(m, app, n);
		note(`${n} members with sessions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
		const coordinator = await actAs(app, 'coordinator@demo.test');
		const voteId = await votes.create(coordinator, VOTE, {}, true);
		const count = async (what: 'ballots' | 'voted') => {
			const n = (q: { executeTakeFirstOrThrow(): Promise<{ n: number | string | bigint }> }) => q.executeTakeFirstOrThrow().then((r) => Number(r.n));
			const db = app.ctx.db;
			return what === 'ballots'
				? n(db.selectFrom('vote_ballots').select((eb) => eb.fn.countAll<number>().as('n')).where('vote_id', '=', voteId))
				: n(db.selectFrom('vote_eligible').select((eb) => eb.fn.countAll<number>().as('n')).where('vote_id', '=', voteId).where('voted', '=', 1));
		};
		let persisted: Persisted | undefined;
		const folder = process.env.BENCH_PROFILE;
		let closeMs = NaN;
		const result = await round(voters, quiet, n, offsets, {
			url: app.url,
			tokens,
			voteId,
			event: 'vote:cast',
			participants: n,
			// BENCH_PROFILE=<folder>: Kuvend's server (this process) over the cast window alone.
			casting: folder ? cpuProfile(folder, `votes-${n}${VOTE.secret ? '-secret' : ''}`) : undefined,
			async afterCasts() {
				// Every ack came after its batch was committed; read what the database holds now.
				const vote = await app.ctx.db.selectFrom('votes').select('participants').where('id', '=', voteId).executeTakeFirstOrThrow();
				persisted = { ballots: await count('ballots'), participants: await count('voted'), counted: vote.participants };
			},
			async close() {
				t0 = performance.now();
				await votes.close(coordinator, voteId);
				closeMs = performance.now() - t0;
			}
		});
		const live = await votes.liveTallies(voteId);
		if (!live?.full) throw new Error('the closed vote has no final tally');
		return { round: result, persisted: persisted!, finalTally: live.full, closeMs };
	} finally {
		await app.dispose();
	}
}

// ——— the plain Socket.IO baseline ———

/**
 * A plain Socket.IO server: `echo` is acknowledged at once, and the close is one broadcast of `payload` to everyone.
 * With `tallyEveryMs`, each echo also schedules a broadcast of `payload` to everyone, coalesced as Kuvend's vote
 * broadcaster does (at most one per interval): Socket.IO's own cost of live tallies, without the app.
 */
async function plainRound(voters: Voters[], quiet: Quiet, n: number, offsets: number[], payload: VoteTally, tallyEveryMs: number | null = null): Promise<Round> {
	const httpServer = http.createServer();
	const plain = new Server(httpServer, { path: '/socket.io/', serveClient: false });
	let pending: NodeJS.Timeout | null = null;
	let lastSent = 0;
	const tally = () => {
		if (tallyEveryMs === null || pending) return;
		pending = setTimeout(
			() => {
				pending = null;
				lastSent = Date.now();
				plain.to('vote').emit('vote:tally', payload);
			},
			Math.max(0, lastSent + tallyEveryMs - Date.now())
		);
	};
	plain.on('connection', (socket) => {
		void socket.join('vote');
		socket.on('echo', (_payload: unknown, ack: (res: object) => void) => {
			ack({ ok: true, receipt: '0000-0000-0000', changed: false });
			tally();
		});
	});
	await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
	const { port } = httpServer.address() as { port: number };
	try {
		return await round(voters, quiet, n, offsets, {
			url: `http://127.0.0.1:${port}`,
			tokens: null,
			voteId: null,
			event: 'echo',
			participants: payload.result?.participants ?? n,
			afterCasts: async () => undefined,
			async close() {
				plain.to('vote').emit('vote:closed', payload);
			}
		});
	} finally {
		await plain.close();
	}
}

// ——— the suite ———

const pct = (xs: number[]) => xs.map((x) => x.toFixed(0)).join('/');

async function size(voters: Voters[], quiet: Quiet, n: number): Promise<Row[]> {
	const random = rng(n);
	const offsets = Array.from({ length: n }, () => random() * CAST_WINDOW_MS);
	note(`${n} voters in ${voters.length} processes, casting ${VOTE.secret ? 'secret' : 'open'} ballots within ${CAST_WINDOW_MS} ms: Kuvend...`);
	const k = await kuvendRound(voters, quiet, n, offsets);
	note(`plain Socket.IO, same ${n} clients and schedule...`);
	const b = await plainRound(voters, quiet, n, offsets, k.finalTally);
	note(`plain Socket.IO again, with a tally broadcast to everyone at most every ${TALLY_EVERY_MS} ms while echoing...`);
	const bt = await plainRound(voters, quiet, n, offsets, k.finalTally, TALLY_EVERY_MS);

	const { round: r, persisted } = k;
	if (r.refused.length) note(`REFUSED casts: ${r.refused.length} (${[...new Set(r.refused)].join(', ')})`);
	if (r.wrong) note(`${r.wrong} clients got a final tally with other figures than ${n} participants`);
	note(`persisted: ${persisted.ballots} ballots, ${persisted.participants} participations, votes.participants = ${persisted.counted}; close() resolved in ${k.closeMs.toFixed(1)} ms`);
	note(`server while casting: ${r.castCpu.toFixed(0)} % of a core (plain ${b.castCpu.toFixed(0)} %), longest event-loop stall ${r.castStall.toFixed(0)} ms (plain ${b.castStall.toFixed(0)} ms); ${r.tallies.toFixed(1)} vote:tally per client, longest a client went without one ${r.tallyGap.toFixed(0)} ms`);
	note(`server during the fan-out: longest event-loop stall ${r.finalStall.toFixed(0)} ms (plain ${b.finalStall.toFixed(0)} ms)`);
	note(`client processes while casting: ${pct(r.clientCastCpu)} % of a core (plain ${pct(b.clientCastCpu)} %), latest send ${r.clientLate.toFixed(0)} ms behind schedule (plain ${b.clientLate.toFixed(0)} ms)`);
	note(`other processes on the machine: ${r.castOthers.toFixed(0)} % of a core while casting, ${r.finalOthers.toFixed(0)} % around the close (plain ${b.castOthers.toFixed(0)} %, ${b.finalOthers.toFixed(0)} %)`);
	note(`plain echo with tallies: server ${bt.castCpu.toFixed(0)} % of a core, longest stall ${bt.castStall.toFixed(0)} ms, ${bt.tallies.toFixed(1)} vote:tally per client, others ${bt.castOthers.toFixed(0)} %`);
	note(`client CPU from arming to the last vote:closed, per process: ${pct(r.clientFinalCpu)} ms (plain ${pct(b.clientFinalCpu)} ms); load average ${os.loadavg()[0].toFixed(1)}`);

	const ackBudget = ACK_BUDGETS[n];
	const name = `${n.toLocaleString('en-US')} voters${VOTE.secret ? ', secret' : ''}`;
	const ok = persisted.ballots === n && persisted.participants === n && persisted.counted === n && !r.refused.length && !r.wrong;
	return [
		{ figure: `${name}: cast→ack p50 (baseline: plain echo)`, unit: 'ms', measured: percentile(r.ack, 50), baseline: percentile(b.ack, 50) },
		{ figure: `${name}: cast→ack p99 (baseline: plain echo)`, unit: 'ms', measured: percentile(r.ack, 99), baseline: percentile(b.ack, 99), budget: ackBudget ? { max: ackBudget } : undefined },
		{ figure: `${name}: cast→ack p99 (baseline: plain echo + tallies every ${TALLY_EVERY_MS} ms)`, unit: 'ms', measured: percentile(r.ack, 99), baseline: percentile(bt.ack, 99) },
		{ figure: `${name}: ballots persisted, every tally right (of ${n})`, unit: '', measured: ok ? n : Math.min(persisted.ballots, persisted.participants, persisted.counted, n - r.refused.length, n - r.wrong), baseline: null, budget: { min: n } },
		{ figure: `${name}: longest a watcher went without a live tally while casting (baseline: plain echo + tallies)`, unit: 'ms', measured: r.tallyGap, baseline: bt.tallyGap, budget: { max: 1_000 } },
		{ figure: `${name}: close→final tally p50 (baseline: plain broadcast)`, unit: 'ms', measured: percentile(r.final, 50), baseline: percentile(b.final, 50) },
		{ figure: `${name}: close→final tally p99 (baseline: plain broadcast)`, unit: 'ms', measured: percentile(r.final, 99), baseline: percentile(b.final, 99), budget: { max: percentile(b.final, 99) } },
		{ figure: `${name}: close→final tally max (baseline: plain broadcast)`, unit: 'ms', measured: Math.max(...r.final), baseline: Math.max(...b.final) },
		// Not a figure of Kuvend: the figures above are only as good as this is low.
		{
			figure: `${name}: CPU other processes took while measuring, % of a core (worst window)`,
			unit: '%',
			measured: Math.max(r.castOthers, r.finalOthers),
			baseline: Math.max(b.castOthers, b.finalOthers, bt.castOthers)
		}
	];
}

export async function run(): Promise<Row[]> {
	const only = process.env.VOTES_BENCH;
	const sizes = only ? only.split(',').map((x) => Number(x.trim().replace(/_/g, ''))) : DEFAULT_SIZES;
	if (!sizes.length || sizes.some((n) => !Number.isSafeInteger(n) || n < 1)) throw new Error(`VOTES_BENCH=${only}: give numbers of voters, comma-separated (e.g. 2000,10000)`);
	const voters = Array.from({ length: PROCESSES }, () => new Voters());
	try {
		const rows: Row[] = [];
		const quiet = quieter({ percent: QUIET_PERCENT, waitMs: QUIET_WAIT_MS, totalMs: QUIET_TOTAL_MS });
		for (const n of sizes) rows.push(...(await size(voters, quiet, n)));
		return rows;
	} finally {
		for (const v of voters) v.kill();
	}
}

// ——— a voter process (this file, forked with the argument "voters") ———

function voterProcess(): void {
	let sockets: Socket[] = [];
	let tallies = 0;
	/** While casting: per socket, when it last had a tally (from the window's start) and its longest gap. */
	let lastTally: number[] = [];
	let longestGap: number[] = [];
	let final: { at: number[]; count: number; wrong: number; participants: number; cpu: NodeJS.CpuUsage } | null = null;
	const send = (m: FromVoter) => process.send!(m);
	const fail = (error: unknown) => send(failure(error));

	const connectOne = async (url: string, token: string | null, voteId: number | null, i: number): Promise<Socket> => {
		const socket = io(url, {
			path: '/socket.io/',
			transports: ['websocket'],
			forceNew: true,
			reconnection: false,
			extraHeaders: token ? { cookie: `${SESSION_COOKIE}=${token}` } : {}
		});
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', resolve);
			socket.once('connect_error', reject);
		});
		socket.on('vote:tally', () => {
			tallies++;
			if (!lastTally.length) return;
			const t = now();
			longestGap[i] = Math.max(longestGap[i], t - lastTally[i]);
			lastTally[i] = t;
		});
		socket.on('vote:closed', (t: VoteTally) => {
			if (!final || final.at[i]) return;
			final.at[i] = now();
			if (t.status !== 'closed' || t.result?.participants !== final.participants) final.wrong++;
			if (++final.count === sockets.length) {
				const d = process.cpuUsage(final.cpu);
				send({ kind: 'final', at: final.at, wrong: final.wrong, cpuMs: (d.user + d.system) / 1000 });
				final = null;
			}
		});
		if (voteId !== null) {
			const res = (await socket.timeout(TIMEOUT_MS).emitWithAck('vote:watch', { voteId })) as { ok: boolean; code?: string };
			if (!res.ok) throw new Error(`vote:watch answered ${res.code}`);
		}
		return socket;
	};

	const connect = async ({ url, tokens, count, voteId }: Extract<ToVoter, { kind: 'connect' }>) => {
		sockets = new Array<Socket>(count);
		await pool([...sockets.keys()], CONNECT_CONCURRENCY, async (i) => {
			sockets[i] = await connectOne(url, tokens?.[i] ?? null, voteId, i);
		});
		for (const s of sockets) s.once('disconnect', (reason) => reason !== 'io client disconnect' && fail(new Error(`a socket was disconnected: ${reason}`)));
		send({ kind: 'ready' });
	};

	const cast = ({ event, voteId, at, offsets }: Extract<ToVoter, { kind: 'cast' }>) => {
		const ms = new Array<number>(offsets.length);
		const late = new Array<number>(offsets.length);
		const refused: string[] = [];
		let done = 0;
		tallies = 0;
		lastTally = new Array<number>(sockets.length).fill(at);
		longestGap = new Array<number>(sockets.length).fill(0);
		const cpu = process.cpuUsage();
		const t0 = now();
		offsets.forEach((offset, i) => {
			setTimeout(() => {
				const sent = now();
				late[i] = sent - (at + offset);
				// A cast id, as the vote page sends with every cast (the plain echo gets the same payload).
				const payload = { voteId, ballot: { method: 'yes_no', choice: CHOICES[i % CHOICES.length] }, castId: randomBytes(32).toString('hex') };
				sockets[i].timeout(TIMEOUT_MS).emit(event, payload, (err: Error | null, res?: { ok: boolean; code?: string }) => {
					ms[i] = now() - sent;
					if (err || !res?.ok) refused.push(err ? 'no ack' : (res?.code ?? 'unknown'));
					if (++done < offsets.length) return;
					const end = now();
					const gap = Math.max(...longestGap.map((g, s) => Math.max(g, end - lastTally[s])));
					lastTally = [];
					send({ kind: 'cast', ms, late, refused, cpuMs: cpuMs(cpu), wallMs: end - t0, tallies, gap });
				});
			}, at + offset - now());
		});
	};

	process.on('message', (m: ToVoter) => {
		switch (m.kind) {
			case 'connect':
				return void connect(m).catch(fail);
			case 'cast':
				return cast(m);
			case 'arm':
				final = { at: new Array<number>(sockets.length).fill(0), count: 0, wrong: 0, participants: m.participants, cpu: process.cpuUsage() };
				return send({ kind: 'armed' });
			case 'disconnect':
				for (const s of sockets) s.disconnect();
				sockets = [];
				return send({ kind: 'disconnected' });
		}
	});
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'voters') voterProcess();
