import { describe, expect, it } from 'vitest';
import type { BallotBox, BallotJob, BallotOutcome, CastEntry } from '../../server/db/repositories/ballot-box.repository.js';
import { BallotWriter } from '../../server/services/vote-ballot-writer.js';

/** A ballot box whose batches are written when the test says so. */
function heldBox() {
	const batches: { jobs: BallotJob[]; commit: () => void }[] = [];
	const box: BallotBox = {
		write: (jobs) =>
			new Promise<BallotOutcome[]>((resolve) => {
				batches.push({ jobs, commit: () => resolve(jobs.map((_, i) => ({ ok: true, value: { receipt: `r${batches.length}-${i}` } }))) });
			}),
		ballots: async () => [],
		stop: () => undefined
	};
	return { box, batches };
}

const entry = (userId: number) => ({ voteId: 1, userId }) as CastEntry;
const turn = () => new Promise((r) => setImmediate(r));

describe('BallotWriter.settled', () => {
	it('resolves at once when nothing is waiting to be written', async () => {
		const { box } = heldBox();
		const writer = new BallotWriter(box, async () => undefined);
		await expect(writer.settled()).resolves.toBeUndefined();
	});

	// The live tallies' fan-out waits for this between slices. Waiting for the writer to be idle instead (what it did
	// first) never resolved here: the second batch is still being written, and on PostgreSQL, where each batch is a
	// round trip and casts keep queueing meanwhile, tallies stopped while a hall cast.
	it('resolves once the casts queued before it are answered, without waiting for those queued after', async () => {
		const { box, batches } = heldBox();
		const writer = new BallotWriter(box, async () => undefined);
		const order: string[] = [];
		const first = [writer.cast(entry(1), false), writer.cast(entry(2), false)].map((p) => p.then(() => order.push('ack')));
		await turn();
		expect(batches).toHaveLength(1);
		const settled = writer.settled().then(() => order.push('settled'));
		const later = writer.cast(entry(3), false).then(() => order.push('later ack'));
		batches[0].commit();
		await Promise.all([...first, settled]);
		// Both acks went out before the fan-out was let go; the next batch is being written, not yet answered.
		expect(order).toEqual(['ack', 'ack', 'settled']);
		await turn();
		expect(batches).toHaveLength(2);
		batches[1].commit();
		await later;
		expect(order.at(-1)).toBe('later ack');
	});
});
