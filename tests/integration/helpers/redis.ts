import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * `npm run test:pg` runs the integration tests on PostgreSQL and Redis: KUVEND_TEST_REDIS is then the Redis every
 * server a test starts shares with the others, each data folder under a key prefix of its own (so parallel test
 * files never see each other's limits, presence or lease), removed when its app is disposed. Without the variable
 * nothing here does anything and every server keeps its state in memory.
 */
const REDIS_URL = process.env.KUVEND_TEST_REDIS || null;

const prefixOf = (dataDir: string) => `kuvend-t-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}:`;

/**
 * A ballot key for servers that share PostgreSQL through Redis (they refuse to start without one): the tests' own,
 * fixed so that two nodes of one test, and the test reading their sealed ballots, hold the same.
 */
export const TEST_BALLOT_KEY = Buffer.alloc(32, 7).toString('base64');

/** The environment that gives a server on `dataDir` its own part of the test Redis; {} without one. */
export function redisEnv(dataDir: string): Record<string, string> {
	return REDIS_URL ? { REDIS_URL, REDIS_PREFIX: prefixOf(dataDir), BALLOT_KEY: TEST_BALLOT_KEY } : {};
}

/** Removes what the server on `dataDir` left in Redis (the adapter's stream, counts still running). */
export async function clearRedisOf(dataDir: string): Promise<void> {
	if (!REDIS_URL) return;
	const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
	try {
		await redis.connect();
		const keys: string[] = [];
		for await (const batch of redis.scanStream({ match: `${prefixOf(dataDir)}*`, count: 500 }) as AsyncIterable<string[]>) keys.push(...batch);
		if (keys.length) await redis.del(...keys);
	} finally {
		redis.disconnect();
	}
}
