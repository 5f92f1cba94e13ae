import type { Db } from '../db/client.js';
import { listCategories, userGroupIds } from '../db/repositories/forum.repository.js';
import { bodiesOf, searchPosts } from '../db/repositories/search.repository.js';
import { ftsQuery, highlight, isModerator, queryTerms } from '../domain/forum.js';
import { isActiveMember } from '../domain/permissions.js';
import type { SearchHit } from '../../src/lib/shared/forum.js';
import { categoryView } from './forum.service.js';
import type { Authenticated } from './auth.service.js';
import { excerpt } from './markdown.js';

export const SEARCH_PAGE = 20;

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
	constructor(private readonly db: Db) {}

	async search(auth: Authenticated | null, input: SearchInput): Promise<{ hits: SearchHit[]; page: number; more: boolean; terms: string[] }> {
		const terms = queryTerms(input.q ?? '');
		const page = Math.max(1, Math.floor(input.page ?? 1) || 1);
		if (!terms.length) return { hits: [], page, more: false, terms };
		const actor = auth?.actor ?? null;
		const member = isActiveMember(actor);
		const groupIds = auth && member ? [...(await userGroupIds(this.db, auth.actor.id))] : [];
		const rows = await searchPosts(
			this.db,
			ftsQuery(terms),
			{ member, allGroups: isModerator(actor), groupIds, category: input.category || undefined, authorId: input.author, from: input.from, to: input.to },
			SEARCH_PAGE + 1,
			(page - 1) * SEARCH_PAGE
		);
		const page_ = rows.slice(0, SEARCH_PAGE);
		const [all, bodies] = await Promise.all([listCategories(this.db), bodiesOf(this.db, page_.map((r) => r.post_id))]);
		const categories = new Map(all.map((c) => [c.id, c]));
		const hits = page_.map((r): SearchHit => {
			const c = categories.get(r.category_id)!;
			const category = categoryView(c);
			return {
				postId: r.post_id,
				threadId: r.thread_id,
				title: r.title,
				category,
				author: { id: r.author_id, name: r.author_status === 'deleted' ? null : r.author_name },
				createdAt: r.created_at,
				snippet: highlight(excerpt(bodies.get(r.post_id) ?? '', 5000), terms, 200),
				titleSegments: highlight(r.title, terms, 200)
			};
		});
		return { hits, page, more: rows.length > SEARCH_PAGE, terms };
	}
}
