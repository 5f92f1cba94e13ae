import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import { tally, type Ballot, type Method } from '../../server/domain/votes.js';
import type { VoteResult } from '../../src/lib/shared/votes.js';
import { rng } from '../bench/lib.js';
import { TALLY_EVERY_MS } from '../../server/realtime/handlers/vote.handlers.js';
import type { TestApp } from './helpers/app.js';
import { castByForm, castBySocket, makePeople, startVoting, voteInput, type Answer, type Person } from './helpers/votes.js';

let app: TestApp;
let coordinator: Person;
let voters: Person[];
let socketOf: (p: Person) => Promise<Socket>;
let dispose: (() => Promise<void>) | undefined;

beforeAll(async () => ({ app, coordinator, voters, socketOf, dispose } = await startVoting(50)));
afterAll(() => dispose?.());

const ballotsOf = (voteId: number) => app.ctx.db.selectFrom('vote_ballots').selectAll().where('vote_id', '=', voteId).execute();
const participantsOf = (voteId: number) => app.ctx.db.selectFrom('vote_eligible').selectAll().where('vote_id', '=', voteId).where('voted', '=', 1).execute();

describe('casting on the real server', () => {
	// A secret vote, where the ballots carry no member: the only guard is the electorate's `voted` flag, set from 0 to 1
	// in the transaction that writes the ballot (BallotBox.cast). With that check removed (the
	// ballot inserted whatever `changes` said) this test failed with 1,000 ballots. (On an open vote the unique index
	// on (vote_id, unit) catches what slips past, as an internal error: it failed with 950 errors instead of refusals.)
	it('counts 50 members × 20 simultaneous casts, half by the form and half by socket, as exactly 50 ballots', async () => {
		const voteId = await app.ctx.services.votes.create(coordinator.auth, voteInput({ title: 'Twenty casts each', secret: true }), {}, true);
		const socks = await Promise.all(voters.map(socketOf));
		const answers = await Promise.all(
			voters.flatMap((v, i) =>
				Array.from({ length: 20 }, (_, k): Promise<Answer> => {
					const choice = ['yes', 'no', 'abstain'][(i + k) % 3];
					return k % 2 ? castByForm(app.url, voteId, v.cookie, { choice }) : castBySocket(socks[i], { voteId, ballot: { method: 'yes_no', choice } });
				})
			)
		);
		const accepted = answers.filter((a) => a.ok);
		const refused = answers.filter((a): a is Extract<Answer, { ok: false }> => !a.ok);
		expect(accepted).toHaveLength(50);
		expect(refused).toHaveLength(950);
		expect(new Set(refused.map((r) => `${r.code}/${r.reason}`))).toEqual(new Set(['conflict/already_voted']));
		expect(await ballotsOf(voteId)).toHaveLength(50);
		expect(await participantsOf(voteId)).toHaveLength(50);
		expect(new Set(accepted.map((a) => a.ok && a.receipt)).size).toBe(50);
		const vote = await app.ctx.services.votes.get(coordinator.auth, voteId);
		expect(vote.participants).toBe(50);
	});

	// Casts and closes share one queue, run in arrival order in batch transactions; a cast checks that the vote is
	// open inside the transaction that writes it, and a close tallies inside its own. Without the check in
	// BallotBox.cast every cast was accepted, 25 of them after the close had counted 25 (accepted 50 ≠ 25).
	it('answers 50 casts racing 50 closes with one tally: every close the same, accepted + refused = 50', async () => {
		const voteId = await app.ctx.services.votes.create(coordinator.auth, voteInput({ title: 'Casts racing closes' }), {}, true);
		const socks = await Promise.all(voters.map(socketOf));
		const casts = voters.map((v, i) =>
			i % 2 ? castBySocket(socks[i], { voteId, ballot: { method: 'yes_no', choice: i % 3 ? 'yes' : 'no' } }) : castByForm(app.url, voteId, v.cookie, { choice: i % 3 ? 'yes' : 'no' })
		);
		// The closes go out when the first cast is acknowledged, while the others are still on their way.
		await Promise.race(casts);
		const closes = Array.from({ length: 50 }, (_, k) =>
			k % 2
				? app.ctx.services.votes.close(coordinator.auth, voteId)
				: fetch(`${app.url}/votes/${voteId}?/close`, {
						method: 'POST',
						headers: { accept: 'application/json', 'x-sveltekit-action': 'true', origin: app.url, 'content-type': 'application/x-www-form-urlencoded', cookie: coordinator.cookie },
						body: ''
					}).then(async (r) => ((await r.json()) as { type: string }).type)
		);
		const [castAnswers, closeAnswers] = await Promise.all([Promise.all(casts), Promise.all(closes)]);
		const results = closeAnswers.filter((c): c is VoteResult => typeof c === 'object');
		expect(closeAnswers.filter((c) => typeof c === 'string')).toEqual(Array(25).fill('success'));
		expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
		const accepted = castAnswers.filter((a) => a.ok).length;
		const refused = castAnswers.filter((a) => !a.ok && a.reason === 'vote_not_open').length;
		expect(accepted + refused).toBe(50);
		expect(accepted).toBeGreaterThan(0);
		expect(results[0].participants).toBe(accepted);
		expect(await ballotsOf(voteId)).toHaveLength(accepted);
		const decisions = await app.ctx.db.selectFrom('decisions').select('id').where('vote_id', '=', voteId).execute();
		expect(decisions).toHaveLength(1);
	});
});

describe('who may vote', () => {
	// Each path: the form, the socket, and the service itself. Without the check in BallotBox.cast (active account,
	// in the electorate frozen at opening) the non-member of the group was counted, and so was the suspended account
	// through a session authenticated before the suspension.
	it('takes no ballot from a visitor, an applicant, a suspended account, a non-member of the group or a second representative', async () => {
		const { db, services } = app.ctx;
		const [applicant] = await makePeople(app, 1, 'applicant');
		const [suspended] = await makePeople(app, 1);
		const [outsider, insider] = await makePeople(app, 2);
		const group = await db.selectFrom('groups').select('id').where('slug', '=', 'grupi-politikave').executeTakeFirstOrThrow();
		await db.insertInto('group_members').values({ group_id: group.id, user_id: insider.id, joined_at: Date.now() }).execute();
		// Two representatives of one organisation.
		const org = await db.selectFrom('organisations').select('id').where('slug', '=', 'skena-8').executeTakeFirstOrThrow();
		const [rep1, rep2] = await makePeople(app, 2);
		await db.insertInto('organisation_representatives').values([rep1, rep2].map((r) => ({ organisation_id: org.id, user_id: r.id, created_at: Date.now() }))).execute();

		const groupVote = await services.votes.create(coordinator.auth, voteInput({ title: 'Group only', eligibility: 'group', groupId: group.id }), {}, true);
		const orgVote = await services.votes.create(coordinator.auth, voteInput({ title: 'One per organisation', eligibility: 'organisations' }), {}, true);
		const ballot = { method: 'yes_no', choice: 'yes' } as const;

		const applicantSocket = await socketOf(applicant);
		const suspendedSocket = await socketOf(suspended);
		const suspendedCookie = suspended.cookie;
		await db.updateTable('users').set({ status: 'suspended' }).where('id', '=', suspended.id).execute();
		const outsiderSocket = await socketOf(outsider);

		const tries: Promise<Answer | string>[] = [];
		for (const voteId of [groupVote, orgVote]) {
			tries.push(castByForm(app.url, voteId, null, { choice: 'yes' }));
			tries.push(castByForm(app.url, voteId, applicant.cookie, { choice: 'yes' }), castBySocket(applicantSocket, { voteId, ballot }));
			tries.push(services.votes.cast(applicant.auth, voteId, { ballot }).then(() => 'accepted', (e: Error) => e.message));
			tries.push(castByForm(app.url, voteId, suspendedCookie, { choice: 'yes' }), castBySocket(suspendedSocket, { voteId, ballot }));
			tries.push(services.votes.cast(suspended.auth, voteId, { ballot }).then(() => 'accepted', (e: Error) => e.message));
		}
		tries.push(castByForm(app.url, groupVote, outsider.cookie, { choice: 'yes' }), castBySocket(outsiderSocket, { voteId: groupVote, ballot }));
		tries.push(services.votes.cast(outsider.auth, groupVote, { ballot }).then(() => 'accepted', (e: Error) => e.message));
		const refusals = await Promise.all(tries);
		for (const r of refusals) expect(r === 'accepted' || (typeof r === 'object' && r.ok)).toBe(false);

		// The first representative votes for the organisation; the second is refused on every path.
		expect((await castByForm(app.url, orgVote, rep1.cookie, { choice: 'no' })).ok).toBe(true);
		const rep2Socket = await socketOf(rep2);
		const second = await Promise.all([
			castByForm(app.url, orgVote, rep2.cookie, { choice: 'yes' }),
			castBySocket(rep2Socket, { voteId: orgVote, ballot }),
			services.votes.cast(rep2.auth, orgVote, { ballot }).then(() => ({ ok: true }) as Answer, (e: Error) => ({ ok: false, code: 'conflict', reason: e.message }) as Answer)
		]);
		expect(second.map((a) => (a.ok ? 'accepted' : a.reason))).toEqual(['already_voted', 'already_voted', 'already_voted']);
		// An eligible group member is counted, so the refusals above are about who, not about the vote.
		expect((await castByForm(app.url, groupVote, insider.cookie, { choice: 'yes' })).ok).toBe(true);

		expect(await ballotsOf(groupVote)).toHaveLength(1);
		expect((await ballotsOf(orgVote)).map((b) => b.unit)).toEqual([`o:${org.id}`]);
	});
});

describe('results', () => {
	const methods: Method[] = ['yes_no', 'single', 'approval', 'ranked', 'score', 'consent'];

	function randomBallot(method: Method, n: number, r: () => number): Ballot {
		const pick = () => 1 + Math.floor(r() * n);
		const shuffled = () => Array.from({ length: n }, (_, i) => i + 1).sort(() => r() - 0.5);
		switch (method) {
			case 'yes_no':
				return { method, choice: (['yes', 'no', 'abstain'] as const)[Math.floor(r() * 3)] };
			case 'single':
				return { method, option: pick() };
			case 'approval':
				return { method, options: shuffled().slice(0, 1 + Math.floor(r() * n)) };
			case 'ranked':
				return { method, ranking: shuffled().slice(0, 1 + Math.floor(r() * n)) };
			case 'score':
				return { method, scores: Object.fromEntries(shuffled().map((o) => [o, Math.floor(r() * 6)])) };
			case 'consent': {
				const choice = (['agree', 'agree', 'agree', 'abstain', 'object', 'block'] as const)[Math.floor(r() * 6)];
				return { method, choice, reason: choice === 'object' || choice === 'block' ? 'Not yet' : undefined };
			}
		}
	}

	// The stored result is what the close computed; recomputing from the stored ballots alone must give it again.
	// 100 votes made, cast and closed: on PostgreSQL beside another suite, CI's busy machine took more than the
	// default 30 s.
	it('recomputes 100 random votes from their stored ballots to exactly the stored result', async () => {
		const r = rng(7);
		const { services, db } = app.ctx;
		for (let i = 0; i < 100; i++) {
			const method = methods[i % methods.length];
			const n = 2 + Math.floor(r() * 4);
			const input = voteInput({
				title: `Random vote ${i}`,
				method,
				options: Array.from({ length: n }, (_, k) => `Option ${k + 1}`),
				secret: r() < 0.5,
				quorum: r() < 0.3 ? { kind: 'share', share: 0.5 } : r() < 0.5 ? { kind: 'count', count: 10 } : { kind: 'none' },
				threshold: (['simple', 'two_thirds', 'absolute'] as const)[Math.floor(r() * 3)]
			});
			const voteId = await services.votes.create(coordinator.auth, input, {}, true);
			const who = voters.filter(() => r() < 0.6);
			await Promise.all(who.map((v) => services.votes.cast(v.auth, voteId, { ballot: randomBallot(method, n, r) })));
			const closed = await services.votes.close(coordinator.auth, voteId);
			const row = await db.selectFrom('votes').select(['result', 'eligible_count']).where('id', '=', voteId).executeTakeFirstOrThrow();
			const ballots = (await ballotsOf(voteId)).map((b) => JSON.parse(b.choice) as Ballot);
			const recomputed = tally(
				{
					method,
					options: method === 'yes_no' || method === 'consent' ? [] : Array.from({ length: n }, (_, k) => k + 1),
					minApprovals: method === 'approval' ? 1 : undefined,
					maxApprovals: method === 'approval' ? n : undefined,
					quorum: input.quorum,
					threshold: input.threshold
				},
				ballots,
				row.eligible_count
			);
			expect(JSON.parse(row.result!)).toEqual(recomputed);
			expect(closed).toEqual(recomputed);
			expect(recomputed.participants).toBe(who.length);
		}
	}, 120_000);
});

describe('live figures and the life of a vote', () => {
	const watch = (s: Socket, voteId: number) => new Promise<{ ok: boolean; tally?: { result: VoteResult | null } }>((r) => s.emit('vote:watch', { voteId }, r));

	// Coalescing is the broadcaster's timer (attachVoteBroadcaster): without it each batch of casts sent its own
	// tally, and this test saw them about 10 ms apart (one per cast). The last tally each watcher holds counts every
	// ballot (a fan-out whose figures were renewed while it was written is followed by one more).
	it(`sends tallies at most once per ${TALLY_EVERY_MS} ms while casts pour in, the last with every ballot, and the final result to every watcher on closing`, async () => {
		const voteId = await app.ctx.services.votes.create(coordinator.auth, voteInput({ title: 'Live', results: 'live' }), {}, true);
		const watchers = await Promise.all(voters.slice(0, 5).map(socketOf));
		const seen = watchers.map(() => [] as number[]);
		const lastCount = watchers.map(() => 0);
		const finals: Promise<{ status: string; result: VoteResult | null }>[] = watchers.map((s, i) => {
			s.on('vote:tally', (t: { participants: number }) => {
				seen[i].push(performance.now());
				lastCount[i] = t.participants;
			});
			return new Promise((r) => s.once('vote:closed', r));
		});
		for (const s of watchers) expect((await watch(s, voteId)).ok).toBe(true);
		// 50 casts spread over about 600 ms.
		const started = performance.now();
		for (const [i, v] of voters.entries()) {
			void app.ctx.services.votes.cast(v.auth, voteId, { ballot: { method: 'yes_no', choice: i % 4 ? 'yes' : 'no' } });
			await new Promise((r) => setTimeout(r, 12));
		}
		// Every watcher ends up holding the figures of all 50 ballots (the last fan-out may come an interval later).
		await vi.waitFor(() => expect(lastCount.every((n) => n === 50)).toBe(true), { timeout: 5_000, interval: 20 });
		// Counted, not timed between arrivals: a busy machine can deliver two tallies back to back, but it cannot
		// make more of them than one per interval of the time the casts took (a slow machine only widens the bound).
		const windows = Math.ceil((performance.now() - started) / TALLY_EVERY_MS);
		for (const times of seen) {
			expect(times.length).toBeGreaterThanOrEqual(2);
			expect(times.length).toBeLessThanOrEqual(windows + 1);
		}
		const result = await app.ctx.services.votes.close(coordinator.auth, voteId);
		for (const f of await Promise.all(finals)) expect(f).toMatchObject({ status: 'closed', result });
		expect(result).toMatchObject({ outcome: 'passed', participants: 50, counts: { yes: 37, no: 13 } });
	});

	it('shows results "after voting" to a watcher once they have voted, and lets them change an open ballot', async () => {
		const voteId = await app.ctx.services.votes.create(coordinator.auth, voteInput({ title: 'After voting', results: 'after_voting' }), {}, true);
		const [a, b] = voters;
		const sa = await socketOf(a);
		expect((await watch(sa, voteId)).tally?.result).toBeNull();
		await castByForm(app.url, voteId, b.cookie, { choice: 'no' });
		const full = new Promise<{ result: VoteResult | null }>((r) => sa.on('vote:tally', (t) => t.result && r(t)));
		const first = await castBySocket(sa, { voteId, ballot: { method: 'yes_no', choice: 'yes' } });
		expect(first.ok).toBe(true);
		expect((await full).result).toMatchObject({ counts: { yes: 1, no: 1 } });
		// An open ballot is changed in place (one ballot, same receipt); a cast without `replace` is refused.
		expect(await castBySocket(sa, { voteId, ballot: { method: 'yes_no', choice: 'no' } })).toMatchObject({ ok: false, reason: 'already_voted' });
		expect(await castByForm(app.url, voteId, a.cookie, { choice: 'no', replace: '1' })).toMatchObject({ ok: true, changed: true });
		expect((await app.ctx.services.votes.get(a.auth, voteId)).me).toMatchObject({ voted: true, ballot: { method: 'yes_no', choice: 'no' } });
		expect(await ballotsOf(voteId)).toHaveLength(2);
		// Members may not run votes; the coordinator may.
		await expect(app.ctx.services.votes.close(a.auth, voteId)).rejects.toMatchObject({ code: 'forbidden' });
		const refused = (await fetch(`${app.url}/votes/${voteId}?/close`, { method: 'POST', headers: { accept: 'application/json', 'x-sveltekit-action': 'true', origin: app.url, cookie: a.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: '' }).then((r) => r.json())) as { status: number };
		expect(refused.status).toBe(403);
	});

	it('opens and closes on schedule, freezing who may vote at opening', async () => {
		const now = Date.now();
		const voteId = await app.ctx.services.votes.create(coordinator.auth, voteInput({ title: 'Scheduled', opensAt: now + 300, closesAt: now + 900 }));
		expect((await app.ctx.services.votes.get(coordinator.auth, voteId)).status).toBe('scheduled');
		expect(await castBySocket(await socketOf(voters[0]), { voteId, ballot: { method: 'yes_no', choice: 'yes' } })).toMatchObject({ ok: false, reason: 'vote_not_open' });
		await new Promise((r) => setTimeout(r, 350));
		await app.ctx.services.votes.tick();
		const opened = await app.ctx.services.votes.get(coordinator.auth, voteId);
		expect(opened.status).toBe('open');
		// Someone who joins after opening is not in the frozen electorate.
		const [late] = await makePeople(app, 1);
		expect(await castByForm(app.url, voteId, late.cookie, { choice: 'yes' })).toMatchObject({ ok: false, reason: 'not_eligible' });
		expect(await castByForm(app.url, voteId, voters[0].cookie, { choice: 'yes' })).toMatchObject({ ok: true });
		await new Promise((r) => setTimeout(r, 600));
		await app.ctx.services.votes.tick();
		const closed = await app.ctx.services.votes.get(coordinator.auth, voteId);
		expect(closed).toMatchObject({ status: 'closed', participants: 1, eligible: opened.eligible });
		expect(closed.decisionId).not.toBeNull();
	});
});

describe('announcing what happened', () => {
	it('tells a cancelled vote as cancelled (not as opened), and its watchers load it again', async () => {
		const voteId = await app.ctx.services.votes.create(coordinator.auth, voteInput({ title: 'To cancel', opensAt: Date.now() + 60_000 }));
		const s = await socketOf(voters[0]);
		expect(await new Promise<{ ok: boolean }>((r) => s.emit('vote:watch', { voteId }, r))).toMatchObject({ ok: true });
		const events: string[] = [];
		const offs = (['vote.opened', 'vote.cancelled'] as const).map((e) => app.ctx.bus.on(e, () => events.push(e)));
		const changed = new Promise<{ voteId: number }>((r) => s.once('vote:changed', r));
		await app.ctx.services.votes.cancel(coordinator.auth, voteId);
		expect(await changed).toEqual({ voteId });
		expect(events).toEqual(['vote.cancelled']);
		offs.forEach((off) => off());
	});

	it('logs a failure to decide the amendment a closed vote was on, and still closes it', async () => {
		const onAmendment = await app.ctx.db.selectFrom('votes').select('id').where('amendment_id', 'is not', null).where('status', '=', 'open').executeTakeFirstOrThrow();
		const failing = vi.spyOn(app.ctx.services.drafts, 'decideAmendment').mockRejectedValueOnce(new Error('document store down'));
		const logged = vi.spyOn(app.ctx.logger, 'error').mockImplementation(() => undefined);
		await app.ctx.services.votes.close(coordinator.auth, onAmendment.id);
		await vi.waitFor(() => expect(logged).toHaveBeenCalledWith('applying the outcome of a closed vote failed', expect.objectContaining({ voteId: onAmendment.id })));
		expect((await app.ctx.services.votes.get(coordinator.auth, onAmendment.id)).status).toBe('closed');
		failing.mockRestore();
		logged.mockRestore();
	});
});

describe('malformed input', () => {
	it('refuses garbage on the socket and the form with a clear code, and keeps serving', async () => {
		const voteId = await app.ctx.services.votes.create(coordinator.auth, voteInput({ title: 'Ranked', method: 'ranked', options: ['A', 'B', 'C'] }), {}, true);
		const s = await socketOf(voters[0]);
		const raw = (event: string, payload: unknown) => new Promise<{ ok: boolean; code?: string }>((r) => s.emit(event, payload, r));
		const payloads: unknown[] = [
			null,
			'vote',
			{ voteId: 'x' },
			{ voteId: 1e20 },
			{ voteId: -1, ballot: {} },
			{ voteId, ballot: null },
			{ voteId, ballot: { method: 'ranked', ranking: 'abc' } },
			{ voteId, ballot: { method: 'ranked', ranking: [1, 1] } },
			{ voteId, ballot: { method: 'ranked', ranking: [9] } },
			{ voteId, ballot: { method: 'score', scores: { __proto__: 3 } } },
			{ voteId, ballot: { method: 'yes_no', choice: 'yes' } },
			{ voteId, ballot: { method: 'ranked', ranking: [2, 1] }, replace: true, receipt: 'x'.repeat(5000) },
			{ voteId: 999999, ballot: { method: 'yes_no', choice: 'yes' } }
		];
		const codes = [];
		for (const p of payloads) codes.push((await raw('vote:cast', p)).code);
		expect(codes).toEqual(['invalid_input', 'invalid_input', 'invalid_input', 'invalid_input', 'invalid_input', 'invalid_input', 'invalid_input', 'invalid_input', 'invalid_input', 'invalid_input', 'invalid_input', 'invalid_input', 'not_found']);
		expect((await raw('vote:watch', { voteId: 'x' })).code).toBe('invalid_input');
		// No acknowledgement function at all: nothing to answer, nothing breaks.
		s.emit('vote:cast', { voteId, ballot: { method: 'ranked', ranking: [1] } });
		s.emit('vote:watch', null);
		// The form: ranks that repeat, that are not numbers, or that name no option.
		expect(await castByForm(app.url, voteId, voters[0].cookie, { ranked: ['1', '2'], rank_1: '1', rank_2: '1' })).toMatchObject({ ok: false, code: 'invalid_input' });
		expect(await castByForm(app.url, voteId, voters[0].cookie, { ranked: ['1', 'x'], rank_1: 'one' })).toMatchObject({ ok: false, code: 'invalid_input' });
		expect(await castByForm(app.url, voteId, voters[0].cookie, { ranked: ['7'], rank_7: '1' })).toMatchObject({ ok: false, code: 'invalid_input' });
		// Still serving: a proper ballot from the same socket (the one sent without an acknowledgement was counted).
		expect(await castBySocket(s, { voteId, ballot: { method: 'ranked', ranking: [2, 3] }, replace: true })).toMatchObject({ ok: true, changed: true });
		expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
	});
});
