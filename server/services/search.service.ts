import type { Db } from '../db/client.js';
import { categoriesByIds, userGroupIds } from '../db/repositories/forum.repository.js';
import { bodiesOf, countMatches, rankedIds, visibleAmong, type SearchRow, type SearchScope } from '../db/repositories/search.repository.js';
import { ftsQuery, highlighter, isModerator, queryTerms, seesMembersOnlyThreads, tagsOf } from '../domain/forum.js';
import { authorView } from '../domain/people.js';
import { isActiveMember } from '../domain/permissions.js';
import type { SearchHit } from '../../src/lib/shared/forum.js';
import { spaceViews } from './space-views.js';
import type { Authenticated } from './auth.service.js';
import { excerpt } from './markdown.js';

export const SEARCH_PAGE = 20;
/** Words matching more posts than this are ranked among the newest this many matches (recent and relevant). */
export const RANKED_CANDIDATES = 2_000;

export interface SearchInput {
	q: string;
	category?: string;
	author?: number;
	from?: number;
	to?: number;
	page?: number;
}

/** Full-text search over threads and posts, insensitive to case and to Albanian and Greek diacritics. */
export class SearchService {
	/** Queries known to match more than RANKED_CANDIDATES posts, or fewer, and when that was checked. */
	readonly #common = new Map<string, { common: boolean; at: number }>();
	/** Plain text of recently found posts (Markdown parsed once, not on every search that shows them). */
	readonly #plain = new Map<number, { body: string; text: string }>();

	constructor(
		private readonly db: Db,
		private readonly candidates = RANKED_CANDIDATES
	) {}

	/**
	 * Whether a query matches more than RANKED_CANDIDATES posts, remembered for a minute per query (a word does not
	 * become common between two pages of its results, and ranking all matches of an uncommon one is exact).
	 */
	async #isCommon(match: string): Promise<boolean> {
		const now = Date.now();
		const known = this.#common.get(match);
		if (known && now - known.at < 60_000) return known.common;
		const common = (await countMatches(this.db, match, this.candidates + 1)) > this.candidates;
		if (this.#common.size >= 10_000) this.#common.clear();
		this.#common.set(match, { common, at: now });
		return common;
	}

	#plainText(postId: number, body: string): string {
		const known = this.#plain.get(postId);
		if (known && known.body === body) return known.text;
		const text = excerpt(body, 5000);
		if (this.#plain.size >= 5_000) this.#plain.delete(this.#plain.keys().next().value!);
		this.#plain.set(postId, { body, text });
		return text;
	}

	async search(auth: Authenticated | null, input: SearchInput): Promise<{ hits: SearchHit[]; page: number; more: boolean; terms: string[] }> {
		const terms = queryTerms(input.q ?? '');
		const page = Math.max(1, Math.floor(input.page ?? 1) || 1);
		if (!terms.length) return { hits: [], page, more: false, terms };
		const actor = auth?.actor ?? null;
		const member = isActiveMember(actor);
		const groupIds = auth && member ? [...(await userGroupIds(this.db, auth.actor.id))] : [];
		const scope = { member, membersOnlyThreads: seesMembersOnlyThreads(actor), allGroups: isModerator(actor), groupIds, category: input.category || undefined, authorId: input.author, from: input.from, to: input.to };
		const rows = await this.#ranked(ftsQuery(terms), scope, (page - 1) * SEARCH_PAGE);
		const page_ = rows.slice(0, SEARCH_PAGE);
		const [all, bodies] = await Promise.all([categoriesByIds(this.db, [...new Set(page_.map((r) => r.category_id))]), bodiesOf(this.db, page_.map((r) => r.post_id))]);
		const categories = new Map((await spaceViews(this.db, all, actor)).map((c) => [c.id, c]));
		const marked = highlighter(terms);
		const hits = page_.map((r): SearchHit => {
			const category = categories.get(r.category_id)!;
			return {
				postId: r.post_id,
				threadId: r.thread_id,
				title: r.title,
				category,
				author: authorView(r.author_id, r.author_name, r.author_status),
				createdAt: r.created_at,
				snippet: marked(this.#plainText(r.post_id, bodies.get(r.post_id) ?? ''), 200),
				titleSegments: marked(r.title, 200),
				tags: tagsOf(r.tags)
			};
		});
		return { hits, page, more: rows.length > SEARCH_PAGE, terms };
	}

	/**
	 * One page of hits (and one more row, to know if there is a next page), best first, only what the reader may
	 * see. Ranking by bm25 costs per matching post, so a very common word is ranked among its newest
	 * RANKED_CANDIDATES matches. Ranked ids come from the index alone; a slice of them at a time goes through the
	 * visibility (and filter) joins, widened until the page is full or the matches run out. Measured in
	 * tests/bench/forum.bench.ts.
	 */
	async #ranked(match: string, scope: SearchScope, offset: number): Promise<SearchRow[]> {
		const want = offset + SEARCH_PAGE + 1;
		const common = await this.#isCommon(match);
		for (let slice = want + 10; ; slice *= 4) {
			const ids = await rankedIds(this.db, match, common ? this.candidates : null, slice);
			const order = new Map(ids.map((id, i) => [id, i]));
			const visible = (await visibleAmong(this.db, ids, scope)).sort((a, b) => order.get(a.post_id)! - order.get(b.post_id)!);
			if (visible.length >= want || ids.length < slice) return visible.slice(offset, want);
		}
	}
}
