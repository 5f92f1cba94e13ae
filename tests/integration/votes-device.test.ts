import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { KuvendSocket } from '../../src/lib/realtime/socket.js';
import { castUntilAnswered } from '../../src/lib/votes/cast-sender.js';
import { newDeviceToken } from '../../src/lib/shared/votes.js';
import { getPage, type TestApp } from './helpers/app.js';
import { castByForm, castBySocket, startVoting, storedBallots, voteInput, type Person } from './helpers/votes.js';

let app: TestApp;
let coordinator: Person;
let voters: Person[];
let socketOf: (p: Person) => Promise<Socket>;
let dispose: (() => Promise<void>) | undefined;

beforeAll(async () => ({ app, coordinator, voters, socketOf, dispose } = await startVoting(12)));
afterAll(() => dispose?.());

const openVote = (over: Parameters<typeof voteInput>[0] = {}) => app.ctx.services.votes.create(coordinator.auth, voteInput(over), {}, true);
const choiceOf = async (voteId: number, receipt: string) => (await storedBallots(app, voteId)).find((b) => b.receipt === receipt)?.choice;
const countsOf = async (voteId: number) => ({
	ballots: (await app.ctx.db.selectFrom('vote_ballots').select('receipt').where('vote_id', '=', voteId).execute()).length,
	participants: (await app.ctx.db.selectFrom('vote_eligible').select('unit').where('vote_id', '=', voteId).where('voted', '=', 1).execute()).length
});
const yes = { method: 'yes_no', choice: 'yes' } as const;
const no = { method: 'yes_no', choice: 'no' } as const;

describe('changing a secret ballot', () => {
	// The guard: the change matches the ballot by its receipt AND the hash of the change key (BallotBox's
	// #updateByReceipt, `and change_hash = ?`), and a change without a key is refused before (VoteReceipts.keysFor).
	// With the key taken out of both (the update by receipt alone, as before), this test failed at its first refusal:
	// the receipt alone, sent over the socket by anyone eligible who had seen it, changed the ballot.
	it('needs the change key of the device that cast it: the receipt alone changes nothing', async () => {
		const voteId = await openVote({ title: 'Secret, changeable only from its device', secret: true });
		const s = await socketOf(voters[0]);
		const key = newDeviceToken();
		const cast = await castBySocket(s, { voteId, ballot: yes, castId: newDeviceToken(), changeKey: key });
		if (!cast.ok) throw new Error(`cast refused: ${cast.code}`);
		const receipt = cast.receipt;

		// Someone who saw the receipt (over a shoulder, on the published list) — on the socket or through the form.
		expect(await castBySocket(s, { voteId, ballot: no, replace: true, receipt })).toMatchObject({ ok: false, code: 'forbidden', reason: 'not_this_device' });
		expect(await castByForm(app.url, voteId, voters[0].cookie, { choice: 'no', replace: '1', receipt })).toMatchObject({ ok: false, code: 'forbidden', reason: 'not_this_device' });
		expect(await castBySocket(s, { voteId, ballot: no, replace: true, receipt, changeKey: newDeviceToken() })).toMatchObject({ ok: false, code: 'forbidden', reason: 'not_this_device' });
		expect(await choiceOf(voteId, receipt)).toEqual(yes);

		// The device that cast it: by socket, then by the form (the page's fallback), with its key.
		expect(await castBySocket(s, { voteId, ballot: no, replace: true, receipt, changeKey: key })).toEqual({ ok: true, receipt, changed: true });
		expect(await choiceOf(voteId, receipt)).toEqual(no);
		expect(await castByForm(app.url, voteId, voters[0].cookie, { choice: 'abstain', replace: '1', receipt, changeKey: key })).toEqual({ ok: true, receipt, changed: true });
		expect(await choiceOf(voteId, receipt)).toEqual({ method: 'yes_no', choice: 'abstain' });

		// A secret ballot cast without a key (a page without script) can never be changed, whatever key is sent.
		const keyless = await castByForm(app.url, voteId, voters[1].cookie, { choice: 'yes' });
		if (!keyless.ok) throw new Error(`cast refused: ${keyless.code}`);
		const s1 = await socketOf(voters[1]);
		expect(await castBySocket(s1, { voteId, ballot: no, replace: true, receipt: keyless.receipt, changeKey: newDeviceToken() })).toMatchObject({ ok: false, reason: 'not_this_device' });
		expect(await choiceOf(voteId, keyless.receipt)).toEqual(yes);
		expect(await countsOf(voteId)).toEqual({ ballots: 2, participants: 2 });

		// The page as another device renders it (it holds no key): it explains instead of offering the change, and
		// asks for no receipt.
		for (const path of [`/votes/${voteId}`, `/votes/${voteId}?change=1`]) {
			const html = await (await getPage(app.url, path, voters[1].cookie)).text();
			expect(html).toContain('data-testid="not-this-device"');
			expect(html).toContain('mund të ndryshohet vetëm nga pajisja ku e hodhët');
			expect(html).not.toContain('name="receipt"');
		}
	});
});

describe('a cast retried with its cast id', () => {
	// The guard: BallotBox.cast looks for a ballot with the cast id's hash before it writes, and answers with that
	// ballot's receipt. Without that lookup every retry below was refused conflict/already_voted — for a ballot
	// whose voter never saw it confirmed.
	it.each([
		['secret', true],
		['open', false]
	])('gets the first answer back on a %s vote, also after the acknowledgement was lost; another cast id is "already voted"', async (_, secret) => {
		const voteId = await openVote({ title: `Retries (${secret ? 'secret' : 'open'})`, secret });
		const castId = newDeviceToken();
		const payload = { voteId, ballot: yes, castId, changeKey: newDeviceToken() };

		// The acknowledgement is lost: the ballot is written, then the connection drops before the answer goes out.
		const dropped = await socketOf(voters[2]);
		const service = app.ctx.services.votes;
		const cast = service.cast.bind(service);
		const spy = vi.spyOn(service, 'cast').mockImplementationOnce(async (...args) => {
			const outcome = await cast(...args);
			dropped.disconnect();
			return outcome;
		});
		const lost = await new Promise<Error | null>((resolve) => dropped.timeout(5000).emit('vote:cast', payload, (err: Error | null) => resolve(err)));
		spy.mockRestore();
		expect(lost?.message).toBe('socket has been disconnected');
		expect(await countsOf(voteId)).toEqual({ ballots: 1, participants: 1 });
		const [{ receipt }] = await storedBallots(app, voteId);

		// The page retries after reconnecting, with the same cast id: the first answer, by socket and by the form.
		const again = await socketOf(voters[2]);
		expect(await castBySocket(again, payload)).toEqual({ ok: true, receipt, changed: false });
		expect(await castByForm(app.url, voteId, voters[2].cookie, { choice: 'no', castId })).toEqual({ ok: true, receipt, changed: false });
		// A new press of "vote" (a new cast id) is a second ballot: refused.
		expect(await castBySocket(again, { ...payload, castId: newDeviceToken() })).toMatchObject({ ok: false, code: 'conflict', reason: 'already_voted' });
		// Another member holding this cast id (it never leaves the device: only if stolen) does not vote with it.
		const other = await socketOf(voters[3]);
		expect(await castBySocket(other, payload)).toMatchObject({ ok: false, code: 'conflict', reason: 'cast_id_used' });
		expect(await countsOf(voteId)).toEqual({ ballots: 1, participants: 1 });
		expect(await choiceOf(voteId, receipt)).toEqual(yes);

		// Closed meanwhile: the retry still gets its receipt (the ballot was counted); a new cast is refused.
		await app.ctx.services.votes.close(coordinator.auth, voteId);
		expect(await castBySocket(again, payload)).toEqual({ ok: true, receipt, changed: false });
		expect(await castBySocket(other, { ...payload, castId: newDeviceToken() })).toMatchObject({ ok: false, reason: 'vote_not_open' });
	});

	// The page's sender (castUntilAnswered, which the ballot on the vote page and in the live room use): when the
	// connection drops before the answer, it sends the same cast again once the socket has reconnected. With one send
	// (no resend) the answer was null — the voter saw nothing, though the ballot was counted; with the server's lookup
	// by cast id removed, the resend was answered conflict/already_voted.
	it("is sent again by the page's sender after the connection dropped, and answered with the ballot's receipt", async () => {
		const voteId = await openVote({ title: 'Dropped on a phone', secret: true });
		const socket = io(app.url, { path: '/socket.io/', transports: ['websocket'], forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 100, extraHeaders: { cookie: voters[6].cookie, origin: app.url } });
		onTestFinished(() => void socket.disconnect());
		await new Promise((resolve) => socket.once('connect', resolve as () => void));
		const service = app.ctx.services.votes;
		const cast = service.cast.bind(service);
		const spy = vi.spyOn(service, 'cast').mockImplementationOnce(async (...args) => {
			const outcome = await cast(...args);
			socket.io.engine.close(); // the network drops; socket.io-client reconnects by itself
			return outcome;
		});
		let resent = 0;
		const payload = { voteId, ballot: yes, castId: newDeviceToken(), changeKey: newDeviceToken() };
		const answer = await castUntilAnswered(socket as unknown as KuvendSocket, payload, { sends: 3, ackMs: 5000, reconnectMs: 5000, onResend: () => resent++ });
		spy.mockRestore();
		const [{ receipt }] = await storedBallots(app, voteId);
		expect(answer).toEqual({ ok: true, receipt, changed: false });
		expect(resent).toBe(1);
		expect(await countsOf(voteId)).toEqual({ ballots: 1, participants: 1 });
	});

	it('answers two sends of the same cast in one batch as one ballot with one receipt', async () => {
		const voteId = await openVote({ title: 'Twice at once', secret: true });
		const s = await socketOf(voters[4]);
		const payload = { voteId, ballot: no, castId: newDeviceToken(), changeKey: newDeviceToken() };
		const answers = await Promise.all([castBySocket(s, payload), castBySocket(s, payload), castByForm(app.url, voteId, voters[4].cookie, { choice: 'no', castId: payload.castId })]);
		expect(answers.every((a) => a.ok)).toBe(true);
		expect(new Set(answers.map((a) => a.ok && a.receipt)).size).toBe(1);
		expect(await countsOf(voteId)).toEqual({ ballots: 1, participants: 1 });
	});

	it('refuses cast ids and change keys that are not tokens, on the socket and the form', async () => {
		const voteId = await openVote({ title: 'Bad tokens', secret: true });
		const s = await socketOf(voters[5]);
		for (const bad of ['short', 'x'.repeat(65), 'a'.repeat(40) + ' ', 'é'.repeat(40), 12345678901234567890123456789012, { id: 1 }]) {
			expect(await castBySocket(s, { voteId, ballot: yes, castId: bad })).toMatchObject({ ok: false, code: 'invalid_input' });
			expect(await castBySocket(s, { voteId, ballot: yes, changeKey: bad })).toMatchObject({ ok: false, code: 'invalid_input' });
			if (typeof bad === 'string') expect(await castByForm(app.url, voteId, voters[5].cookie, { choice: 'yes', castId: bad })).toMatchObject({ ok: false, code: 'invalid_input' });
		}
		expect(await countsOf(voteId)).toEqual({ ballots: 0, participants: 0 });
		expect(await castBySocket(s, { voteId, ballot: yes, castId: newDeviceToken() })).toMatchObject({ ok: true });
	});
});
