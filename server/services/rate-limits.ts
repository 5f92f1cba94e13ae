import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { SlidingWindow, type RateRule } from '../domain/rate-limit.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { API_REQUESTS_PER_MINUTE } from '../../src/lib/shared/api/limits.js';

const MINUTE = 60_000;

/** The limits a person meets; `relaxed` multiplies them by 100 for automated test runs. */
const RULES = {
	/** Failed sign-ins are counted three ways (auth.service.ts): per address, per account from one address, and per
	 * account from anywhere. The last is far higher, so a stranger's guesses elsewhere never lock a member out of
	 * their own device, while a botnet spread over many addresses still meets a ceiling. */
	signInFailuresPerIp: { limit: 20, windowMs: 15 * MINUTE },
	signInFailuresPerAccountAddress: { limit: 6, windowMs: 15 * MINUTE },
	signInFailuresPerAccount: { limit: 100, windowMs: 60 * MINUTE },
	/** Applications made (or refused because the email has an account): a workshop of 30 on one venue's Wi-Fi gets
	 * through; a form sent back with field errors does not count (membership.service). */
	joinPerIp: { limit: 40, windowMs: 60 * MINUTE },
	joinPerEmail: { limit: 5, windowMs: 60 * MINUTE },
	resetPerIp: { limit: 10, windowMs: 60 * MINUTE },
	/** Setup links tried from one address that were not valid (setup.service.ts): the rightful holder opens one link
	 * a few times; anyone past this is guessing. */
	setupLinkFailuresPerIp: { limit: 10, windowMs: 15 * MINUTE },
	resetPerEmail: { limit: 3, windowMs: 60 * MINUTE },
	/** New threads and replies: enough for a lively debate, too few for a flood (DESIGN §3). */
	postsPerMember: { limit: 10, windowMs: MINUTE },
	/** Socket.IO handshakes and Yjs connections opened from one address: a room of 30 on one venue's Wi-Fi, each with
	 * a live page and a draft or two, reconnecting after a restart, stays far below; a loop opening connections does not. */
	realtimeConnectsPerIp: { limit: 300, windowMs: MINUTE },
	/** The instance panel's test mail: enough to try a changed SMTP set-up a few times, not to mail-bomb oneself. */
	testMailsPerMember: { limit: 5, windowMs: 10 * MINUTE },
	/** Data exports (each reads everything a member wrote): a few downloads in each format, not a loop. */
	exportsPerMember: { limit: 10, windowMs: 10 * MINUTE },
	/** @mention suggestions while typing (one per pause of 150 ms): plenty for writing, too few to walk the directory. */
	suggestionsPerMember: { limit: 120, windowMs: MINUTE },
	/** Read API requests (server/http/api) from one address, with a token or without: a site refreshing its list of
	 * decisions every few seconds stays far below; a loop walking every page does not. */
	apiPerAddress: { limit: API_REQUESTS_PER_MINUTE, windowMs: MINUTE },
	/** Read API requests with one personal token, from wherever they come. */
	apiPerToken: { limit: API_REQUESTS_PER_MINUTE, windowMs: MINUTE },
	/** Fetches of one member's calendar link (calendar-links.service.ts): calendar apps poll every 15 minutes to a day,
	 * a phone and a laptop both; a link shared far and wide, or a loop, is cut off. */
	calendarFetchesPerLink: { limit: 30, windowMs: 60 * MINUTE }
} satisfies Record<string, RateRule>;

export type RateLimitName = keyof typeof RULES;

/** The rules with `relaxed` applied. */
function rulesFor(mode: 'standard' | 'relaxed'): Record<RateLimitName, RateRule> {
	const factor = mode === 'relaxed' ? 100 : 1;
	return Object.fromEntries(Object.entries(RULES).map(([name, rule]) => [name, { ...rule, limit: rule.limit * factor }])) as Record<RateLimitName, RateRule>;
}

const refusal = (waitMs: number) => new DomainError('rate_limited', 'too many attempts', { retryAfter: String(Math.ceil(waitMs / 1000)) });

/**
 * The limits services and transports apply: in this process (MemoryRateLimits, the default) or shared by every node
 * through Redis (RedisRateLimits, when REDIS_URL is set), with the same RULES either way.
 */
export interface RateLimits {
	/** Throws rate_limited (with the seconds to wait) when any of the keyed limits is used up. */
	check(...checks: [RateLimitName, string][]): Promise<void>;
	hit(...hits: [RateLimitName, string][]): Promise<void>;
	/** Checks and counts in one step. */
	take(...checks: [RateLimitName, string][]): Promise<void>;
	/**
	 * Counts one on every key at once, or refuses (rate_limited) counting nothing when any is used up: two requests
	 * arriving together cannot both pass a check made before either counted. `release()` takes the count back, for
	 * what turned out not to count (a sign-in that succeeded, a post refused for its fields).
	 */
	reserve(...checks: [RateLimitName, string][]): Promise<Reservation>;
	/** Counts one and answers whether it was within the limit, for transports that refuse without a message. */
	allow(name: RateLimitName, key: string): Promise<boolean>;
	reset(name: RateLimitName, key: string): Promise<void>;
	/** Forgets every count: what the demo seed posted on its members' behalf does not count against them. */
	clear(): Promise<void>;
	close(): void;
}

/** A count made by `reserve`, until it is released. */
export interface Reservation {
	release(): Promise<void>;
}

/** Limits in this process: sliding windows (one Node process serves Kuvend). */
export class MemoryRateLimits implements RateLimits {
	readonly #windows: Record<RateLimitName, SlidingWindow>;
	readonly #sweeper: NodeJS.Timeout;

	constructor(
		mode: 'standard' | 'relaxed',
		private readonly clock: () => number = Date.now
	) {
		this.#windows = Object.fromEntries(Object.entries(rulesFor(mode)).map(([name, rule]) => [name, new SlidingWindow(rule)])) as Record<RateLimitName, SlidingWindow>;
		this.#sweeper = setInterval(() => {
			for (const w of Object.values(this.#windows)) w.sweep(this.clock());
		}, 5 * MINUTE);
		this.#sweeper.unref();
	}

	async check(...checks: [RateLimitName, string][]): Promise<void> {
		const now = this.clock();
		const wait = Math.max(0, ...checks.map(([name, key]) => this.#windows[name].waitFor(key, now)));
		if (wait > 0) throw refusal(wait);
	}

	async hit(...hits: [RateLimitName, string][]): Promise<void> {
		const now = this.clock();
		for (const [name, key] of hits) this.#windows[name].hit(key, now);
	}

	async take(...checks: [RateLimitName, string][]): Promise<void> {
		await this.reserve(...checks);
	}

	// Check and count with no await between them: nothing else runs in this process in the meantime.
	async reserve(...checks: [RateLimitName, string][]): Promise<Reservation> {
		const now = this.clock();
		const wait = Math.max(0, ...checks.map(([name, key]) => this.#windows[name].waitFor(key, now)));
		if (wait > 0) throw refusal(wait);
		for (const [name, key] of checks) this.#windows[name].hit(key, now);
		let held = true;
		return {
			release: async () => {
				if (!held) return;
				held = false;
				for (const [name, key] of checks) this.#windows[name].unhit(key, now);
			}
		};
	}

	async allow(name: RateLimitName, key: string): Promise<boolean> {
		const now = this.clock();
		if (this.#windows[name].waitFor(key, now) > 0) return false;
		this.#windows[name].hit(key, now);
		return true;
	}

	async reset(name: RateLimitName, key: string): Promise<void> {
		this.#windows[name].reset(key);
	}

	async clear(): Promise<void> {
		for (const window of Object.values(this.#windows)) window.clear();
	}

	close(): void {
		clearInterval(this.#sweeper);
	}
}

/**
 * Limits every node counts together, in Redis (rate-limiter-flexible): a fixed window per rule of the same length
 * and limit as the sliding one in memory. While Redis is unreachable each node counts in memory on its own (the
 * insurance limiter), so a sign-in is neither refused nor left unlimited because Redis went away.
 */
export class RedisRateLimits implements RateLimits {
	readonly #limiters: Record<RateLimitName, RateLimiterRedis>;

	constructor(
		mode: 'standard' | 'relaxed',
		private readonly redis: Redis,
		private readonly prefix: string
	) {
		this.#limiters = Object.fromEntries(
			Object.entries(rulesFor(mode)).map(([name, rule]) => {
				const options = { points: rule.limit, duration: Math.ceil(rule.windowMs / 1000), keyPrefix: `${prefix}rl:${name}` };
				return [name, new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) })];
			})
		) as Record<RateLimitName, RateLimiterRedis>;
	}

	async check(...checks: [RateLimitName, string][]): Promise<void> {
		const used = await Promise.all(checks.map(([name, key]) => this.#limiters[name].get(key).then((res) => ({ res, limit: this.#limiters[name].points }))));
		const wait = Math.max(0, ...used.map(({ res, limit }) => (res && res.consumedPoints >= limit ? res.msBeforeNext : 0)));
		if (wait > 0) throw refusal(wait);
	}

	async hit(...hits: [RateLimitName, string][]): Promise<void> {
		await Promise.all(hits.map(([name, key]) => this.#limiters[name].penalty(key, 1)));
	}

	async take(...checks: [RateLimitName, string][]): Promise<void> {
		await this.reserve(...checks);
	}

	/**
	 * Each key counted by one atomic increment (rate-limiter-flexible's consume); when any went past its limit, every
	 * key is given its point back and the request refused: the counts stay what the admitted requests made.
	 */
	async reserve(...checks: [RateLimitName, string][]): Promise<Reservation> {
		const answers = await Promise.allSettled(checks.map(([name, key]) => this.#limiters[name].consume(key, 1)));
		const refused = answers.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
		const giveBack = () => Promise.all(checks.map(([name, key]) => this.#limiters[name].reward(key, 1))).then(() => undefined);
		if (refused.length) {
			const other = refused.find((a) => !(a.reason instanceof RateLimiterRes));
			await giveBack();
			if (other) throw other.reason;
			throw refusal(Math.max(...refused.map((a) => (a.reason as RateLimiterRes).msBeforeNext)));
		}
		let held = true;
		return {
			release: async () => {
				if (!held) return;
				held = false;
				await giveBack();
			}
		};
	}

	async allow(name: RateLimitName, key: string): Promise<boolean> {
		try {
			await this.#limiters[name].consume(key, 1);
			return true;
		} catch (error) {
			if (error instanceof RateLimiterRes) return false;
			throw error;
		}
	}

	async reset(name: RateLimitName, key: string): Promise<void> {
		await this.#limiters[name].delete(key);
	}

	async clear(): Promise<void> {
		const keys: string[] = [];
		for await (const batch of this.redis.scanStream({ match: `${this.prefix}rl:*`, count: 500 }) as AsyncIterable<string[]>) keys.push(...batch);
		for (let i = 0; i < keys.length; i += 500) await this.redis.del(...keys.slice(i, i + 500));
	}

	close(): void {}
}
