import type { Db } from '../db/client.js';
import * as repo from '../db/repositories/member-export.repository.js';
import type { Ballot, VoteOption } from '../../src/lib/shared/votes.js';
import { userUnit } from '../../src/lib/shared/votes.js';
import type { ExportSection, ExportedSections } from '../../src/lib/shared/member-export.js';
import type { AccountService } from './account.service.js';
import type { Authenticated } from './auth.service.js';
import type { RateLimits } from './rate-limits.js';

/** Rows read per query: a member with years of posts is written out a page at a time, never held whole. */
export const EXPORT_PAGE_SIZE = 500;

/** Each section as pages of rows, read only as the file is written. */
export type ExportPages = { [K in ExportSection]: () => AsyncGenerator<ExportedSections[K][]> };

export interface MemberExport {
	/** What the account holds about the member (profile, memberships, sessions, requests, audit trail). */
	about: Record<string, unknown>;
	pages: ExportPages;
}

/** A row of what a repository's page query returns. */
type RowOf<F extends (...args: never[]) => Promise<unknown[]>> = Awaited<ReturnType<F>>[number];

/** Pages of one keyset query until a short page says there is no more. */
async function* paged<Row, Out>(read: (after: Row | null) => Promise<Row[]>, shape: (row: Row) => Out): AsyncGenerator<Out[]> {
	let after: Row | null = null;
	for (;;) {
		const rows = await read(after);
		if (rows.length) yield rows.map(shape);
		if (rows.length < EXPORT_PAGE_SIZE) return;
		after = rows[rows.length - 1];
	}
}

/**
 * "My data is mine": everything a member wrote or chose, besides what their account holds. Only the signed-in
 * member's own rows are read (by their id, or their own voting unit for ballots); secret ballots carry no link to
 * anyone and are never looked for.
 */
export class MemberExportService {
	constructor(
		private readonly db: Db,
		private readonly account: AccountService,
		private readonly limits: RateLimits
	) {}

	async open(auth: Authenticated | null): Promise<MemberExport> {
		// The account's part authorises: only a signed-in person, only their own data.
		const about = await this.account.exportData(auth);
		const id = auth!.actor.id;
		await this.limits.take(['exportsPerMember', String(id)]);
		const db = this.db;
		const size = EXPORT_PAGE_SIZE;
		const pages: ExportPages = {
			posts: () =>
				paged(
					(after: RowOf<typeof repo.postsPage> | null) => repo.postsPage(db, id, after?.id ?? 0, size),
					(r) => ({ id: r.id, threadId: r.thread_id, threadTitle: r.thread_title, replyTo: r.parent_id, body: r.body, createdAt: r.created_at, editedAt: r.edited_at, deletedAt: r.deleted_at, hiddenAt: r.hidden_at })
				),
			postRevisions: () =>
				paged(
					(after: RowOf<typeof repo.postRevisionsPage> | null) => repo.postRevisionsPage(db, id, after?.id ?? 0, size),
					(r) => ({ id: r.id, postId: r.post_id, body: r.body, createdAt: r.created_at, byMe: r.editor_id === id })
				),
			draftComments: () =>
				paged(
					(after: RowOf<typeof repo.draftCommentsPage> | null) => repo.draftCommentsPage(db, id, after?.id ?? 0, size),
					(r) => ({ id: r.id, draftId: r.draft_id, draftTitle: r.draft_title, replyTo: r.parent_id, language: r.lang, quote: r.quote, body: r.body, createdAt: r.created_at, resolvedAt: r.resolved_at })
				),
			amendments: () =>
				paged(
					(after: RowOf<typeof repo.amendmentsPage> | null) => repo.amendmentsPage(db, id, after?.id ?? 0, size),
					(r) => ({ id: r.id, draftId: r.draft_id, draftTitle: r.draft_title, original: r.original, replacement: r.replacement, reason: r.reason, status: r.status, createdAt: r.created_at, decidedAt: r.decided_at })
				),
			reactions: () =>
				paged(
					(after: RowOf<typeof repo.reactionsPage> | null) => repo.reactionsPage(db, id, after && { postId: after.post_id, emoji: after.emoji }, size),
					(r) => ({ postId: r.post_id, threadId: r.thread_id, threadTitle: r.thread_title, emoji: r.emoji, createdAt: r.created_at })
				),
			openBallots: () =>
				paged(
					(after: RowOf<typeof repo.openBallotsPage> | null) => repo.openBallotsPage(db, userUnit(id), after?.vote_id ?? 0, size),
					(r) => ({
						voteId: r.vote_id,
						voteTitle: r.vote_title,
						method: r.method,
						status: r.status,
						options: JSON.parse(r.options) as VoteOption[],
						receipt: r.receipt,
						ballot: JSON.parse(r.choice) as Ballot
					})
				)
		};
		return { about, pages };
	}
}
