import type { Db } from '../db/client.js';
import * as repo from '../db/repositories/feed.repository.js';
import type { DecisionView } from '../../src/lib/shared/votes.js';
import type { MeetingSummary } from '../../src/lib/shared/meetings.js';
import type { CategoryView, ThreadSummary } from '../../src/lib/shared/forum.js';
import type { DraftSummary } from '../../src/lib/shared/drafts.js';
import type { VotesService } from './votes.service.js';
import type { MeetingsService } from './meetings.service.js';
import type { ForumService } from './forum.service.js';
import type { DraftsService } from './drafts.service.js';

/** The most entries a feed or an embed lists: feed readers keep what they saw; an embed shows the newest. */
export const FEED_LIMIT = 50;

/** What feeds and embeds may narrow a list to: a group's slug, a field of action's slug. */
export interface FeedFilter {
	group?: string;
	field?: string;
}

export type FeedMeeting = MeetingSummary & { changedAt: number };

/**
 * What the network's Atom feeds and embeddable lists show: always what a visitor may read (feed readers and other
 * sites send no session), asked of each feature's own service as a visitor, so its rules decide and nothing here
 * repeats them. Each list is bounded by FEED_LIMIT.
 */
export class FeedsService {
	constructor(
		private readonly db: Db,
		private readonly votes: VotesService,
		private readonly meetings: MeetingsService,
		private readonly forum: ForumService,
		private readonly drafts: DraftsService
	) {}

	/** Public decisions, newest first. */
	async decisions(filter: FeedFilter = {}): Promise<DecisionView[]> {
		let { decisions } = await this.votes.decisions(null, { group: filter.group || undefined });
		if (filter.field) {
			const inField = await repo.threadsInField(this.db, filter.field, decisions.flatMap((d) => (d.threadId !== null ? [d.threadId] : [])));
			decisions = decisions.filter((d) => d.threadId !== null && inField.has(d.threadId));
		}
		return decisions.slice(0, FEED_LIMIT);
	}

	/** Public meetings: the upcoming ones (soonest first), then unless `upcoming` recent ones (latest first). */
	async meetingsList(filter: FeedFilter & { upcoming?: boolean } = {}): Promise<FeedMeeting[]> {
		const [upcoming, past] = await Promise.all([this.meetings.list(null), filter.upcoming ? [] : this.meetings.list(null, { past: true })]);
		let list = [...upcoming, ...past];
		if (filter.group) list = list.filter((mt) => mt.group?.slug === filter.group);
		if (filter.field) {
			const onField = await repo.meetingsOnField(this.db, filter.field, list.map((mt) => mt.id));
			list = list.filter((mt) => onField.has(mt.id));
		}
		list = list.slice(0, FEED_LIMIT);
		const changed = await repo.meetingChanges(this.db, list.map((mt) => mt.id));
		return list.map((mt) => ({ ...mt, changedAt: changed.get(mt.id) ?? mt.startsAt }));
	}

	/** A public forum space and its threads with the latest activity first; not_found (or unauthenticated) otherwise. */
	async space(slug: string): Promise<{ category: CategoryView; threads: ThreadSummary[] }> {
		const { category, threads } = await this.forum.category(null, slug);
		return { category, threads: threads.filter((t) => !t.hidden).sort((a, b) => b.lastPostAt - a.lastPostAt).slice(0, FEED_LIMIT) };
	}

	/** Public drafts, the latest changed first. */
	async draftsList(): Promise<DraftSummary[]> {
		return (await this.drafts.list(null)).sort((a, b) => b.updatedAt - a.updatedAt).slice(0, FEED_LIMIT);
	}
}
