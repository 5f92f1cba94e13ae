import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../server/config.js';
import { startApp } from '../../server/app.js';
import { tempDir } from './helpers/app.js';
import { databaseEnv, dropTestDatabases, postgresAnswers } from './helpers/postgres.js';
import { castBySocket, makePeople, memberSocket, personByEmail, storedBallots, voteInput, type Answer } from './helpers/votes.js';
import { newDeviceToken } from '../../src/lib/shared/votes.js';

const ADMIN_URL = process.env.KUVEND_TEST_POSTGRES || 'postgres://postgres@127.0.0.1:5432/test';
const PG = postgresAnswers(ADMIN_URL);
if (!PG) console.warn(`PostgreSQL does not answer at ${new URL(ADMIN_URL).host}: the two-node ballot test is skipped`);

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
	for (const c of cleanup.reverse()) await c();
	dropTestDatabases();
});

async function node(dir: string, databaseUrl: string) {
	const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'error', RATE_LIMITS: 'relaxed', DATABASE_URL: databaseUrl });
	const app = await startApp(config);
	cleanup.push(async () => {
		await app.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	});
	return Object.assign(app, { config });
}

describe('two nodes on one PostgreSQL', () => {
	// The guard is the participation flag set with `voted = 0` in its condition, in the transaction that writes the
	// ballot (PostgresBallotBox.#cast): the second node's transaction waits on the row's lock, then finds nothing to
	// set. With that condition taken out, this test failed: each voter's four casts, two per node, were all accepted.
	it.runIf(PG)('take one ballot per voter when each voter casts on both nodes at once, and close with every acknowledged one', { timeout: 120_000 }, async () => {
		const dirA = tempDir();
		const { DATABASE_URL } = databaseEnv(dirA, ADMIN_URL);
		const a = await node(dirA, DATABASE_URL);
		// The second node shares the database and the network's ballot key (docs/secret-ballots-postgresql.md).
		const dirB = tempDir();
		fs.copyFileSync(path.join(dirA, 'ballot.key'), path.join(dirB, 'ballot.key'));
		const b = await node(dirB, DATABASE_URL);

		const coordinator = await personByEmail(a, 'coordinator@demo.test');
		const voters = await makePeople(a, 30);
		// Voters who cast only while the vote is being closed (in the electorate, frozen at opening).
		const late = await makePeople(a, 10);
		const voteId = await a.ctx.services.votes.create(coordinator.auth, voteInput({ title: 'Secret, on two nodes', secret: true }), {}, true);
		const [onA, onB] = await Promise.all([Promise.all(voters.map((v) => memberSocket(a.url, v.cookie))), Promise.all(voters.map((v) => memberSocket(b.url, v.cookie)))]);
		cleanup.push(() => [...onA, ...onB].forEach((s) => s.disconnect()));

		const cast = (s: (typeof onA)[number], i: number) => castBySocket(s, { voteId, ballot: { method: 'yes_no', choice: i % 2 ? 'yes' : 'no' }, castId: newDeviceToken(), changeKey: newDeviceToken() });
		const answers: Answer[][] = await Promise.all(voters.map((_, i) => Promise.all([cast(onA[i], i), cast(onB[i], i), cast(onA[i], i), cast(onB[i], i)])));
		for (const mine of answers) {
			expect(mine.filter((x) => x.ok)).toHaveLength(1);
			expect(mine.filter((x) => !x.ok).every((x) => !x.ok && x.reason === 'already_voted')).toBe(true);
		}
		const receipts = answers.map((mine) => mine.flatMap((x) => (x.ok ? [x.receipt] : []))[0]);
		expect((await storedBallots(a, voteId)).map((s) => s.receipt).sort()).toEqual([...receipts].sort());

		// Closed on B while A still takes casts: what B counts is what was acknowledged before, on either node.
		const lateSockets = await Promise.all(late.map((v) => memberSocket(a.url, v.cookie)));
		cleanup.push(() => lateSockets.forEach((s) => s.disconnect()));
		const [result, lateAnswers] = await Promise.all([b.ctx.services.votes.close(coordinator.auth, voteId), Promise.all(lateSockets.map((s, i) => cast(s, i)))]);
		const accepted = lateAnswers.filter((x) => x.ok).length;
		expect(lateAnswers.filter((x) => !x.ok).every((x) => !x.ok && x.reason === 'vote_not_open')).toBe(true);
		expect(result.participants).toBe(30 + accepted);
		const published = await a.ctx.services.votes.published(voters[0].auth, voteId);
		expect(published).toHaveLength(30 + accepted);
		const all = new Set(published.map((p) => p.receipt));
		for (const r of [...receipts, ...lateAnswers.flatMap((x) => (x.ok ? [x.receipt] : []))]) expect(all.has(r)).toBe(true);
	});
});
