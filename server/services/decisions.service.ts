import type { Db } from '../db/client.js';
import * as repo from '../db/repositories/vote.repository.js';
import { translationHashes } from '../db/repositories/draft-translation.repository.js';
import { isActiveMember } from '../domain/permissions.js';
import type { DecisionView, VoteResult } from '../../src/lib/shared/votes.js';
import type { Authenticated } from './auth.service.js';
import type { DraftsService } from './drafts.service.js';

export interface DecisionFilter {
	group?: string;
	meeting?: number;
	from?: number;
	to?: number;
	/** One decision only. */
	id?: number;
	/** The page after this entry of the register (the API's cursor). */
	before?: { decidedAt: number; id: number };
	/** At most this many (and never more than 200). */
	limit?: number;
}

export interface DecisionsPage {
	decisions: DecisionView[];
	/** Groups and meetings that took decisions, for the register's filters. */
	groups: { slug: string; name: string }[];
	meetings: { id: number; title: string; startsAt: number }[];
}

/** The register of decisions: every closed vote's outcome, newest first, as far as the reader may see it. */
export class DecisionsRegister {
	constructor(
		private readonly db: Db,
		private readonly drafts: DraftsService
	) {}

	async list(auth: Authenticated | null, filter: DecisionFilter = {}): Promise<DecisionsPage> {
		const member = isActiveMember(auth?.actor ?? null);
		const [groups, meetings] = await Promise.all([repo.groupsWithDecisions(this.db), repo.meetingsWithDecisions(this.db, member)]);
		return {
			groups: groups.map((g) => ({ slug: g.slug, name: g.name })),
			meetings: meetings.map((mt) => ({ id: mt.id, title: mt.title, startsAt: mt.starts_at })),
			decisions: await this.entries(auth, filter)
		};
	}

	/** The entries alone, as far as the reader may see them (the register's page and the API). */
	async entries(auth: Authenticated | null, filter: DecisionFilter = {}): Promise<DecisionView[]> {
		const member = isActiveMember(auth?.actor ?? null);
		const groupId = filter.group ? ((await repo.groupsWithDecisions(this.db)).find((g) => g.slug === filter.group)?.id ?? -1) : undefined;
		const limit = Math.min(Math.max(1, filter.limit ?? 200), 200);
		const rows = await repo.listDecisions(this.db, { member, groupId, meetingId: filter.meeting, from: filter.from, to: filter.to, id: filter.id, before: filter.before, limit });
		// A decision may be public while the draft it was about is not: its title and hash only for those who may read it.
		const draftIds = [...new Set(rows.flatMap((r) => (r.draft_id !== null ? [r.draft_id] : [])))];
		const readable = new Set((await Promise.all(draftIds.map(async (id) => ((await this.drafts.mayRead(auth, id)) ? id : null)))).filter((id) => id !== null));
		// Each translation's hash, taken with the version decided on (migrations/2026-12-09T0500_draft_languages.ts).
		const hashes = new Map<string, { lang: string; hash: string }[]>();
		for (const h of await translationHashes(this.db, [...readable])) {
			const key = `${h.draft_id}:${h.number}`;
			hashes.set(key, [...(hashes.get(key) ?? []), { lang: h.lang, hash: h.hash }]);
		}
		return rows.map((r) => ({
			id: r.id,
			voteId: r.vote_id,
			title: r.title,
			outcome: r.outcome as VoteResult['outcome'],
			result: r.result ?? ({} as VoteResult),
			options: r.options,
			group: r.group_slug && r.group_name ? { slug: r.group_slug, name: r.group_name } : null,
			visibility: r.visibility,
			threadId: r.thread_id,
			draft: r.draft_id !== null && r.draft_title !== null && readable.has(r.draft_id) ? { id: r.draft_id, title: r.draft_title, number: r.version_number, hash: r.version_hash, translations: hashes.get(`${r.draft_id}:${r.version_number}`) ?? [] } : null,
			amendmentId: r.amendment_id,
			meeting: r.meeting_id !== null && r.meeting_title !== null ? { id: r.meeting_id, title: r.meeting_title } : null,
			decidedAt: r.decided_at
		}));
	}
}
