import { SlidingWindow, type RateRule } from '../domain/rate-limit.js';
import { DomainError } from '../../src/lib/shared/errors.js';

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
	suggestionsPerMember: { limit: 120, windowMs: MINUTE }
} satisfies Record<string, RateRule>;

export type RateLimitName = keyof typeof RULES;

/** In-process limits (one Node process serves Kuvend; a scaled-out deployment would share them in Redis). */
export class RateLimits {
	readonly #windows: Record<RateLimitName, SlidingWindow>;
	readonly #sweeper: NodeJS.Timeout;

	constructor(
		mode: 'standard' | 'relaxed',
		private readonly clock: () => number = Date.now
	) {
		const factor = mode === 'relaxed' ? 100 : 1;
		this.#windows = Object.fromEntries(
			Object.entries(RULES).map(([name, rule]) => [name, new SlidingWindow({ ...rule, limit: rule.limit * factor })])
		) as Record<RateLimitName, SlidingWindow>;
		this.#sweeper = setInterval(() => {
			for (const w of Object.values(this.#windows)) w.sweep(this.clock());
		}, 5 * MINUTE);
		this.#sweeper.unref();
	}

	/** Throws rate_limited (with the seconds to wait) when any of the keyed limits is used up. */
	check(...checks: [RateLimitName, string][]): void {
		const now = this.clock();
		const wait = Math.max(0, ...checks.map(([name, key]) => this.#windows[name].waitFor(key, now)));
		if (wait > 0) throw new DomainError('rate_limited', 'too many attempts', { retryAfter: String(Math.ceil(wait / 1000)) });
	}

	hit(...hits: [RateLimitName, string][]): void {
		const now = this.clock();
		for (const [name, key] of hits) this.#windows[name].hit(key, now);
	}

	/** Checks and counts in one step. */
	take(...checks: [RateLimitName, string][]): void {
		this.check(...checks);
		this.hit(...checks);
	}

	/** Counts one and answers whether it was within the limit, for transports that refuse without a message. */
	allow(name: RateLimitName, key: string): boolean {
		const now = this.clock();
		if (this.#windows[name].waitFor(key, now) > 0) return false;
		this.#windows[name].hit(key, now);
		return true;
	}

	reset(name: RateLimitName, key: string): void {
		this.#windows[name].reset(key);
	}

	/** Forgets every count: what the demo seed posted on its members' behalf does not count against them. */
	clear(): void {
		for (const window of Object.values(this.#windows)) window.clear();
	}

	close(): void {
		clearInterval(this.#sweeper);
	}
}
