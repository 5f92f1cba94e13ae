import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Chamber } from '../../../src/lib/shared/chambers.js';

/** What a sealed secret ballot holds while its vote is open: only the key opens it. */
export interface SealedBallot {
	receipt: string;
	/** The ballot as cast (JSON). */
	choice: string;
	castHash: string | null;
	/** Two chambers: the chamber it counts in (null for one chamber, and in ballots sealed before chambers existed). */
	chamber: Chamber | null;
}

const PREFIX = 'sealed:';

/**
 * The seal on PostgreSQL's secret ballots while their vote is open (docs/secret-ballots-postgresql.md). PostgreSQL
 * writes every row change to its write-ahead log in the order it happens, keeps the transaction id on each row
 * (xmin) and lays rows out in the order they were written (ctid); none of that can be cleared from inside, and
 * replicas and WAL archives keep it. So a secret ballot is never written, while it is being cast, in a form that
 * could be read beside its voter's participation: its receipt, choice and the hash of its cast id are sealed
 * (AES-256-GCM) and its lookup columns hold keyed hashes (HMAC) of the receipt, the cast id and the change key. At
 * closing the ballots are unsealed and written again as new rows, in receipt order, in one transaction: the only
 * way from a sealed row to a published receipt is the key, and the key is not in the database.
 *
 * One key per vote, derived from the network's ballot key (a file in the data folder, made on first use).
 */
export class BallotSeal {
	constructor(private readonly master: Buffer) {
		if (master.length !== 32) throw new RangeError('a ballot key has 32 bytes');
	}

	#key(voteId: number): Buffer {
		return createHmac('sha256', this.master).update(`kuvend secret ballots of vote ${voteId}`).digest();
	}

	/** A keyed hash of `value` for one purpose of one vote: looked up by, never reversed, never equal across purposes. */
	lookup(voteId: number, purpose: 'receipt' | 'cast' | 'change', value: string): string {
		return createHmac('sha256', this.#key(voteId)).update(`${purpose}\0${value}`).digest('hex');
	}

	isSealed(value: string): boolean {
		return value.startsWith(PREFIX);
	}

	seal(voteId: number, ballot: SealedBallot): string {
		const iv = randomBytes(12);
		const cipher = createCipheriv('aes-256-gcm', this.#key(voteId), iv);
		const body = Buffer.concat([cipher.update(JSON.stringify([ballot.receipt, ballot.choice, ballot.castHash, ballot.chamber]), 'utf8'), cipher.final()]);
		return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
	}

	/** Opens a sealed ballot; throws when it was not sealed with this vote's key (a wrong key file, a tampered row). */
	open(voteId: number, sealed: string): SealedBallot {
		if (!sealed.startsWith(PREFIX)) throw new Error('this ballot is not sealed');
		const bytes = Buffer.from(sealed.slice(PREFIX.length), 'base64');
		const decipher = createDecipheriv('aes-256-gcm', this.#key(voteId), bytes.subarray(0, 12));
		decipher.setAuthTag(bytes.subarray(12, 28));
		const [receipt, choice, castHash, chamber] = JSON.parse(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8')) as [
			string,
			string,
			string | null,
			Chamber | null | undefined
		];
		return { receipt, choice, castHash, chamber: chamber ?? null };
	}
}

/** The network's ballot key: BALLOT_KEY when it is set (several nodes must share one), else the data folder's file. */
export function ballotKeyOf(config: { ballotKey: Buffer | null; dataDir: string }): Buffer {
	return config.ballotKey ?? loadBallotKey(config.dataDir);
}

/**
 * The network's ballot key, `ballot.key` in the data folder: made (32 random bytes, readable by the owner only) the
 * first time, read after. Every node of a network needs the same file; losing it loses the open secret votes' ballots.
 */
export function loadBallotKey(dataDir: string): Buffer {
	const file = path.join(dataDir, 'ballot.key');
	try {
		fs.writeFileSync(file, randomBytes(32).toString('base64') + '\n', { flag: 'wx', mode: 0o600 });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
	}
	const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
	if (key.length !== 32) throw new Error(`${file} does not hold a ballot key (32 bytes, base64); restore it from where you keep it`);
	return key;
}
