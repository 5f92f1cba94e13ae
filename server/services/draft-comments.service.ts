import * as repo from '../db/repositories/draft.repository.js';
import { canCommentDraft, canEditDraft, canManageDraft } from '../domain/drafts.js';
import { authorView } from '../domain/people.js';
import { checkText } from '../domain/validation.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { CommentView } from '../../src/lib/shared/drafts.js';
import type { Authenticated } from './auth.service.js';
import { docNameOf, type DraftParts } from './drafts.service.js';
import { passageOf, validAnchor } from './yjs-passages.js';

/** The one mapper from a comment's row (with its author) to what pages show. */
export function commentRowToView(row: repo.CommentWithAuthor): CommentView {
	return {
		id: row.id,
		parentId: row.parent_id,
		author: authorView(row.author_id, row.author_name, row.author_status),
		anchorStart: row.anchor_start,
		anchorEnd: row.anchor_end,
		quote: row.quote,
		body: row.body,
		createdAt: row.created_at,
		resolved: row.resolved_at !== null
	};
}

/** Comments anchored to a passage of a draft's text (Yjs relative positions, so they survive edits), with one level of replies. */
export class DraftComments {
	constructor(private readonly p: DraftParts) {}

	async list(auth: Authenticated | null, id: number): Promise<CommentView[]> {
		const { draft } = await this.p.readable(auth, id);
		return (await repo.listComments(this.p.db, draft.id)).map(commentRowToView);
	}

	/** A comment on a passage (anchors = Yjs relative positions from the editor) or a reply to one. */
	async add(
		auth: Authenticated | null,
		id: number,
		input: { body: string; parentId?: number | null; anchorStart?: string | null; anchorEnd?: string | null; quote?: string }
	): Promise<number> {
		const { draft, facts } = await this.p.readable(auth, id);
		if (!canCommentDraft(auth?.actor ?? null, facts)) throw new DomainError('forbidden');
		const problem = checkText(input.body, { min: 1, max: 5000 });
		if (problem) throw new DomainError('invalid_input', 'comment', { body: problem });
		let parentId: number | null = null;
		if (input.parentId) {
			const parent = await repo.findComment(this.p.db, input.parentId);
			if (!parent || parent.draft_id !== draft.id) throw new DomainError('not_found', 'no such comment');
			parentId = parent.parent_id ?? parent.id; // one level of replies
		} else if (!validAnchor(input.anchorStart) || !validAnchor(input.anchorEnd)) {
			throw new DomainError('invalid_input', 'a comment needs a passage', { passage: 'required' });
		}
		// The quoted words come from the text itself when the passage lies in one block; otherwise (a passage across
		// paragraphs) from what the editor says was selected, shown as plain text.
		const quote = parentId
			? ''
			: (passageOf(await this.p.documents.state(docNameOf(draft.id)), input.anchorStart!, input.anchorEnd!) ?? (input.quote ?? '')).slice(0, 500);
		const commentId = await repo.insertComment(this.p.db, {
			draft_id: draft.id,
			parent_id: parentId,
			author_id: auth!.actor.id,
			anchor_start: parentId ? null : input.anchorStart!,
			anchor_end: parentId ? null : input.anchorEnd!,
			quote,
			body: input.body.trim(),
			created_at: this.p.clock()
		});
		this.p.bus.emit('draft.changed', { draftId: draft.id });
		return commentId;
	}

	/** Resolves or reopens a comment thread (its author, editors and stewards). */
	async resolve(auth: Authenticated | null, id: number, commentId: number, resolved: boolean): Promise<void> {
		const { draft, facts } = await this.p.readable(auth, id);
		const comment = await repo.findComment(this.p.db, commentId);
		if (!comment || comment.draft_id !== draft.id || comment.parent_id !== null) throw new DomainError('not_found');
		const actor = auth?.actor ?? null;
		const allowed = canCommentDraft(actor, facts) && (comment.author_id === actor!.id || canEditDraft(actor, facts) || canManageDraft(actor, facts));
		if (!allowed) throw new DomainError('forbidden');
		await repo.setCommentResolved(this.p.db, comment.id, resolved ? actor!.id : null, resolved ? this.p.clock() : null);
		this.p.bus.emit('draft.changed', { draftId: draft.id });
	}
}
