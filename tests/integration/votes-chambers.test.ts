import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { startVoting, castBySocket, voteInput, storedBallots, type Answer, type Person } from './helpers/votes.js';
import { chamberFloor } from './helpers/chambers.js';
import { expectSecretBallotsUnlinkable } from './helpers/secrecy.js';
import type { TestApp } from './helpers/app.js';
import type { Socket } from 'socket.io-client';
import { newDeviceToken, type VoteResult } from '../../src/lib/shared/votes.js';
import type { ChambersSetting } from '../../src/lib/shared/chambers.js';

let app: TestApp;
let coordinator: Person;
let socketOf: (p: Person) => Promise<Socket>;
let dispose: () => Promise<void>;

beforeAll(async () => {
	({ app, coordinator, socketOf, dispose } = await startVoting(1));
});
afterAll(async () => dispose());

const chambers = (over: Partial<ChambersSetting['organisations']> = {}): ChambersSetting => ({ organisations: { quorum: { kind: 'none' }, threshold: 'simple', ...over } });
const yes = { method: 'yes_no', choice: 'yes' } as const;
const no = { method: 'yes_no', choice: 'no' } as const;
const ok = (a: Answer) => a.ok;

describe('a vote of two chambers', () => {
	it('passes only when both chambers pass it, over sockets, and says so per chamber', async () => {
		const { votes } = app.ctx.services;
		// 6 members; 3 organisations represented by the first three of them.
		const floor = await chamberFloor(app, 6, 3);
		const charter = await votes.create(coordinator.auth, voteInput({ title: 'Statuti i rrjetit', eligibility: 'group', groupId: floor.groupId, chambers: chambers() }), {}, true);
		const view = await votes.get(floor.people[0].auth, charter);
		expect(view.tally).toMatchObject({ eligible: 9, chambers: { organisations: { eligible: 3, participants: 0 }, members: { eligible: 6, participants: 0 } } });
		expect(view.chambers).toMatchObject({ organisations: { threshold: 'simple' }, seats: [{ organisation: { id: floor.orgs[0].id }, eligible: true, voted: false }] });
		expect(view.me).toMatchObject({ eligible: true, organisation: null });

		const sockets = await Promise.all(floor.people.map(socketOf));
		// Members: 4 yes, 2 no. Organisations: 2 yes, 1 no.
		const answers = await Promise.all([
			...sockets.map((s, i) => castBySocket(s, { voteId: charter, ballot: i < 4 ? yes : no })),
			...floor.orgs.map((o, i) => castBySocket(sockets[i], { voteId: charter, ballot: i < 2 ? yes : no, organisationId: o.id }))
		]);
		expect(answers.every(ok)).toBe(true);
		const result = await votes.close(coordinator.auth, charter);
		expect(result).toMatchObject({ outcome: 'passed', reason: 'chambers_both', participants: 9, eligible: 9 });
		expect(result.chambers?.organisations).toMatchObject({ outcome: 'passed', participants: 3, eligible: 3, counts: { yes: 2, no: 1 } });
		expect(result.chambers?.members).toMatchObject({ outcome: 'passed', participants: 6, eligible: 6, counts: { yes: 4, no: 2 } });
		// The decision carries both chambers; each published ballot says its chamber.
		const decisions = await votes.decisions(coordinator.auth, {});
		const decision = decisions.decisions.find((d) => d.voteId === charter);
		expect(decision?.result.chambers?.organisations.outcome).toBe('passed');
		const published = await votes.published(coordinator.auth, charter);
		expect(published.filter((p) => p.chamber === 'organisations')).toHaveLength(3);
		expect(published.filter((p) => p.chamber === 'members')).toHaveLength(6);

		// The same members' majority, but the organisations say no: it fails, naming the organisations' chamber.
		const budget = await votes.create(coordinator.auth, voteInput({ title: 'Buxheti', eligibility: 'group', groupId: floor.groupId, chambers: chambers() }), {}, true);
		await Promise.all([
			...sockets.map((s) => castBySocket(s, { voteId: budget, ballot: yes })),
			...floor.orgs.map((o, i) => castBySocket(sockets[i], { voteId: budget, ballot: i < 1 ? yes : no, organisationId: o.id }))
		]);
		const failed: VoteResult = await votes.close(coordinator.auth, budget);
		expect(failed).toMatchObject({ outcome: 'failed', reason: 'chamber_organisations_not', counts: { yes: 7, no: 2 } });
	});

	it('takes one ballot from a representative in each chamber, and no third', async () => {
		const { votes } = app.ctx.services;
		const floor = await chamberFloor(app, 3, 1);
		const rep = floor.people[0];
		const voteId = await votes.create(coordinator.auth, voteInput({ title: 'Dy fletë', eligibility: 'group', groupId: floor.groupId, chambers: chambers() }), {}, true);
		const s = await socketOf(rep);
		const org = floor.orgs[0].id;
		expect(await castBySocket(s, { voteId, ballot: yes })).toMatchObject({ ok: true });
		expect(await castBySocket(s, { voteId, ballot: no, organisationId: org })).toMatchObject({ ok: true });
		expect(await castBySocket(s, { voteId, ballot: no })).toMatchObject({ ok: false, code: 'conflict', reason: 'already_voted' });
		expect(await castBySocket(s, { voteId, ballot: yes, organisationId: org })).toMatchObject({ ok: false, code: 'conflict', reason: 'already_voted' });
		// A member who represents no organisation cannot cast in the organisations' chamber.
		expect(await castBySocket(await socketOf(floor.people[1]), { voteId, ballot: yes, organisationId: org })).toMatchObject({ ok: false, code: 'forbidden' });
		const view = await votes.get(rep.auth, voteId);
		expect(view.me).toMatchObject({ voted: true, ballot: yes });
		expect(view.chambers?.seats[0]).toMatchObject({ voted: true, ballot: no, organisation: { id: org } });
		expect(view.tally.chambers).toEqual({ organisations: { participants: 1, eligible: 1 }, members: { participants: 1, eligible: 3 } });
	});

	// The guard is the participation flag of the organisation's unit, set with `voted = 0` in its condition in the
	// transaction that writes the ballot (BallotBox.cast). Run with that condition taken out of SqliteBallotBox, this
	// test failed: the second representative's ballot got through to the insert (refused there only by the open
	// ballots' unit index, as an internal error instead of "already voted").
	it('takes one ballot for an organisation when two of its representatives cast at once', async () => {
		const { votes } = app.ctx.services;
		const floor = await chamberFloor(app, 4, 1, 2);
		const [a, b] = floor.orgs[0].reps;
		const org = floor.orgs[0].id;
		for (const secret of [false, true]) {
			const voteId = await votes.create(coordinator.auth, voteInput({ title: `Gara ${secret}`, secret, eligibility: 'group', groupId: floor.groupId, chambers: chambers() }), {}, true);
			const [sa, sb] = await Promise.all([socketOf(a), socketOf(b)]);
			const raced = await Promise.all([
				castBySocket(sa, { voteId, ballot: yes, organisationId: org, castId: newDeviceToken(), changeKey: newDeviceToken() }),
				castBySocket(sb, { voteId, ballot: no, organisationId: org, castId: newDeviceToken(), changeKey: newDeviceToken() })
			]);
			expect(raced.filter(ok)).toHaveLength(1);
			expect(raced.find((r) => !r.ok)).toMatchObject({ code: 'conflict', reason: 'already_voted' });
			expect(await storedBallots(app, voteId)).toHaveLength(1);
			// The other representative is told the organisation voted; on a secret vote nothing says by whom.
			const seen = await votes.get(b.auth, voteId);
			expect(seen.chambers?.seats[0]).toMatchObject({ voted: true, organisation: { id: org } });
			// The seat says only that the organisation voted: on a secret vote no ballot, no receipt, no name.
			if (secret) expect(seen.chambers?.seats[0]).toEqual({ eligible: true, voted: true, ballot: null, receipt: null, organisation: { id: org, name: floor.orgs[0].name } });
			const result = await votes.close(coordinator.auth, voteId);
			expect(result.chambers?.organisations.participants).toBe(1);
		}
	});

	it('is refused where a double majority means nothing', async () => {
		const { votes } = app.ctx.services;
		await expect(votes.create(coordinator.auth, voteInput({ method: 'single', options: ['A', 'B'], chambers: chambers() }), {}, true)).rejects.toMatchObject({
			code: 'invalid_input',
			fields: { chambers: 'chamber_method' }
		});
		await expect(votes.create(coordinator.auth, voteInput({ eligibility: 'organisations', chambers: chambers() }), {}, true)).rejects.toMatchObject({ fields: { chambers: 'chamber_needs_members' } });
	});
});

describe('a vote of two chambers in a meeting', () => {
	it('counts those checked in per chamber: an organisation is present when one of its representatives is', async () => {
		const { votes, meetings } = app.ctx.services;
		// 5 members of the body; organisations A (represented by people 0 and 1) and B (person 2).
		const floor = await chamberFloor(app, 5, 0);
		const now = Date.now();
		const [a, b] = await Promise.all(
			['Teatri A', 'Kinema B'].map((name, i) =>
				app.ctx.db.insertInto('organisations').values({ slug: `mtg-${i}-${now}`, name, city: 'Vlorë', website: null, created_at: now }).returning('id').executeTakeFirstOrThrow()
			)
		);
		await app.ctx.db
			.insertInto('organisation_representatives')
			.values([
				{ organisation_id: a.id, user_id: floor.people[0].id, created_at: now },
				{ organisation_id: a.id, user_id: floor.people[1].id, created_at: now },
				{ organisation_id: b.id, user_id: floor.people[2].id, created_at: now }
			])
			.execute();
		const id = await meetings.create(coordinator.auth, {
			title: 'Asambleja',
			description: '',
			startsAt: now + 3_600_000,
			endsAt: now + 7_200_000,
			place: 'Vlorë',
			onlineUrl: '',
			groupId: floor.groupId,
			visibility: 'members',
			quorum: { kind: 'none' },
			agenda: ['Statuti'],
			chairIds: []
		});
		const chair = await socketOf(coordinator);
		const act = (s: Socket, action: object) => new Promise<{ ok: boolean }>((r) => s.emit('meeting:act', { meetingId: id, action }, r));
		expect(await act(chair, { type: 'start' })).toMatchObject({ ok: true });
		// Person 1 (of A) and person 3 (no organisation) check in: A is present, B is not.
		for (const p of [floor.people[1], floor.people[3]]) expect(await act(await socketOf(p), { type: 'check_in' })).toMatchObject({ ok: true });
		const state = await meetings.state(coordinator.auth, id);
		expect(state.organisations).toEqual({ present: 1, total: 2 });
		expect(state.quorum.present).toBe(2);

		const item = (await meetings.get(coordinator.auth, id)).agenda[0].id;
		const voteId = await meetings.openVote(coordinator.auth, id, item, voteInput({ title: 'Statuti', chambers: chambers() }));
		const view = await votes.get(floor.people[1].auth, voteId);
		expect(view.tally.chambers).toEqual({ organisations: { participants: 0, eligible: 1 }, members: { participants: 0, eligible: 2 } });
		// B has no representative checked in: it is not in the organisations' chamber of this vote.
		expect(await castBySocket(await socketOf(floor.people[2]), { voteId, ballot: yes, organisationId: b.id })).toMatchObject({ ok: false, code: 'forbidden' });
		const s1 = await socketOf(floor.people[1]);
		expect(await castBySocket(s1, { voteId, ballot: yes })).toMatchObject({ ok: true });
		expect(await castBySocket(s1, { voteId, ballot: yes, organisationId: a.id })).toMatchObject({ ok: true });
		expect(await castBySocket(await socketOf(floor.people[3]), { voteId, ballot: no })).toMatchObject({ ok: true });
		const result = await votes.close(coordinator.auth, voteId);
		expect(result).toMatchObject({ chambers: { organisations: { outcome: 'passed', participants: 1 }, members: { outcome: 'failed', reason: 'tie_is_rejection' } } });
	});
});

// What the SQLite file keeps (PostgreSQL seals open ballots; its chamber is sealed with the choice, see below).
describe.skipIf(!!process.env.KUVEND_TEST_POSTGRES)('a secret vote of two chambers', () => {
	it('keeps in each ballot its chamber and nothing that leads to its voter or organisation', async () => {
		const { votes } = app.ctx.services;
		const floor = await chamberFloor(app, 6, 3);
		const voteId = await votes.create(coordinator.auth, voteInput({ title: 'Sekret me dy dhoma', secret: true, eligibility: 'group', groupId: floor.groupId, chambers: chambers() }), {}, true);
		const sockets = await Promise.all(floor.people.map(socketOf));
		const answers = await Promise.all([
			...sockets.map((s, i) => castBySocket(s, { voteId, ballot: i % 2 ? yes : no, castId: newDeviceToken(), changeKey: newDeviceToken() })),
			...floor.orgs.map((o, i) => castBySocket(sockets[i], { voteId, ballot: yes, organisationId: o.id, castId: newDeviceToken(), changeKey: newDeviceToken() }))
		]);
		const receipts = answers.map((a) => (a.ok ? a.receipt : ''));
		await new Promise((r) => setTimeout(r, 250));
		const tables = expectSecretBallotsUnlinkable(app.config.databaseFile, voteId, receipts);
		const ballots = tables.vote_ballots.filter((b) => (b as { vote_id: number }).vote_id === voteId) as { chamber: string; unit: null }[];
		expect(ballots.filter((b) => b.chamber === 'organisations')).toHaveLength(3);
		expect(ballots.filter((b) => b.chamber === 'members')).toHaveLength(6);
		// The WAL holds no ballot (emptied after every batch with a secret ballot).
		const wal = fs.existsSync(`${app.config.databaseFile}-wal`) ? fs.readFileSync(`${app.config.databaseFile}-wal`) : Buffer.alloc(0);
		for (const r of receipts) expect(wal.includes(r)).toBe(false);
		const result = await votes.close(coordinator.auth, voteId);
		expect(result.chambers?.organisations.counts).toMatchObject({ yes: 3 });
		expect(result.chambers?.members.counts).toMatchObject({ yes: 3, no: 3 });
	});
});

describe.runIf(!!process.env.KUVEND_TEST_POSTGRES)('a secret vote of two chambers on PostgreSQL', () => {
	it('seals the chamber with the choice while open, and writes it in the clear at closing', async () => {
		const { votes } = app.ctx.services;
		const floor = await chamberFloor(app, 4, 2);
		const voteId = await votes.create(coordinator.auth, voteInput({ title: 'Sekret PG', secret: true, eligibility: 'group', groupId: floor.groupId, chambers: chambers() }), {}, true);
		const sockets = await Promise.all(floor.people.map(socketOf));
		await Promise.all([
			...sockets.map((s) => castBySocket(s, { voteId, ballot: no, castId: newDeviceToken(), changeKey: newDeviceToken() })),
			...floor.orgs.map((o, i) => castBySocket(sockets[i], { voteId, ballot: yes, organisationId: o.id, castId: newDeviceToken(), changeKey: newDeviceToken() }))
		]);
		const open = await app.ctx.db.selectFrom('vote_ballots').select(['chamber', 'unit', 'choice']).where('vote_id', '=', voteId).execute();
		expect(open.every((b) => b.chamber === null && b.unit === null && b.choice.startsWith('sealed:'))).toBe(true);
		const result = await votes.close(coordinator.auth, voteId);
		expect(result).toMatchObject({ outcome: 'failed', reason: 'chamber_members_not' });
		const closed = await app.ctx.db.selectFrom('vote_ballots').select('chamber').where('vote_id', '=', voteId).execute();
		expect(closed.filter((b) => b.chamber === 'organisations')).toHaveLength(2);
		expect(closed.filter((b) => b.chamber === 'members')).toHaveLength(4);
	});
});
