import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { Method } from '../../src/lib/shared/votes.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { castByForm, castBySocket, makePeople, memberSocket, personByEmail, voteInput, type Person } from './helpers/votes.js';

let app: TestApp;
let coordinator: Person;
let voter: Person;
let socket: Socket;

beforeAll(async () => {
	app = await startTestApp();
	coordinator = await personByEmail(app, 'coordinator@demo.test');
	[voter] = await makePeople(app, 1);
	socket = await memberSocket(app.url, voter.cookie);
});

afterAll(async () => {
	socket?.disconnect();
	await app?.dispose();
});

const openVote = (method: Method) =>
	app.ctx.services.votes.create(coordinator.auth, voteInput({ title: `Keys: ${method}`, method, options: ['A', 'B', 'C'], minApprovals: 1, maxApprovals: 3 }), {}, true);
const stored = async (voteId: number) => (await app.ctx.db.selectFrom('vote_ballots').select('choice').where('vote_id', '=', voteId).execute()).map((b) => JSON.parse(b.choice) as unknown);

/**
 * For every method, ballots naming an option (or a choice) by anything but the key the vote stores: refused, nothing
 * written; then the exact ballot is counted. Options are stored as the numbers 1..n; a score ballot's keys are their
 * decimal text.
 */
const CASES: [Method, unknown[], unknown][] = [
	['yes_no', [{ choice: 'Yes' }, { choice: ' yes' }, { choice: 'yes ' }, { choice: 1 }], { choice: 'yes' }],
	['consent', [{ choice: 'Agree' }, { choice: 'agree\u0000' }, { choice: ['agree'] }], { choice: 'agree' }],
	['single', [{ option: '1' }, { option: '01' }, { option: ' 1' }, { option: 1.5 }, { option: 4 }, { option: 0 }], { option: 1 }],
	['approval', [{ options: ['1'] }, { options: [1, '2'] }, { options: [1, 4] }, { options: [1, 1] }], { options: [1, 3] }],
	['ranked', [{ ranking: ['2', '1'] }, { ranking: [2, '01'] }, { ranking: [2, 9] }], { ranking: [2, 1] }],
	[
		'score',
		[
			// "01" stood for option 1 beside "1": the ballot passed as complete and option 3 was never scored.
			{ scores: { '01': 5, '1': 4, '2': 3 } },
			{ scores: { '1': 5, '2': 3, '03': 0 } },
			{ scores: { ' 1': 5, '2': 3, '3': 0 } },
			{ scores: { '1.0': 5, '2': 3, '3': 0 } },
			{ scores: { '1': 5, '2': 3, '4': 0 } },
			{ scores: { '1': 5, '2': '3', '3': 0 } }
		],
		{ scores: { '1': 5, '2': 3, '3': 0 } }
	]
];

describe('option keys of ballots', () => {
	// The guard: ballotProblem compares a score ballot's keys with the vote's option ids as text, exactly (it read
	// them with Number(), so "01" and "1" both named option 1 and "03" option 3). Without it this test failed on the
	// score vote: { "01": 5, "1": 4, "2": 3 } and { "03": 0, … } were counted.
	it.each(CASES)('are compared exactly on a %s vote over the socket', async (method, wrong, right) => {
		const voteId = await openVote(method);
		for (const ballot of wrong) {
			expect(await castBySocket(socket, { voteId, ballot: { method, ...(ballot as object) } }), JSON.stringify(ballot)).toMatchObject({ ok: false, code: 'invalid_input' });
		}
		expect(await stored(voteId)).toEqual([]);
		expect(await castBySocket(socket, { voteId, ballot: { method, ...(right as object) } })).toMatchObject({ ok: true });
		expect(await stored(voteId)).toEqual([{ method, ...(right as object) }]);
	});

	// The guard: the ballot form's reader takes numbers only as the page writes them (ballotFromForm). It read any
	// run of digits with Number(), and this test failed: option "01" was counted as option 1.
	it('are read exactly from the ballot form', async () => {
		const single = await openVote('single');
		for (const option of ['01', ' 1', '1.0', '+1', '1e0', '0x1']) expect(await castByForm(app.url, single, voter.cookie, { option }), option).toMatchObject({ ok: false, code: 'invalid_input' });
		const score = await openVote('score');
		const scored = (keys: string[], values: string[]) => ({ scored: keys, ...Object.fromEntries(keys.map((k, i) => [`score_${k}`, values[i]])) });
		expect(await castByForm(app.url, score, voter.cookie, scored(['01', '2', '3'], ['5', '3', '0']))).toMatchObject({ ok: false, code: 'invalid_input' });
		expect(await castByForm(app.url, score, voter.cookie, scored(['1', '2', '3'], ['05', '3', '0']))).toMatchObject({ ok: false, code: 'invalid_input' });
		expect(await stored(single)).toEqual([]);
		expect(await stored(score)).toEqual([]);
		expect(await castByForm(app.url, single, voter.cookie, { option: '1' })).toMatchObject({ ok: true });
		expect(await castByForm(app.url, score, voter.cookie, scored(['1', '2', '3'], ['5', '3', '0']))).toMatchObject({ ok: true });
		expect(await stored(score)).toEqual([{ method: 'score', scores: { '1': 5, '2': 3, '3': 0 } }]);
	});
});
