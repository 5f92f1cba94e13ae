import * as repo from '../db/repositories/draft.repository.js';
import { canCommentDraft, canEditDraft, canManageDraft } from '../domain/drafts.js';
import { authorView } from '../domain/people.js';
import { checkText } from '../domain/validation.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { CommentView } from '../../src/lib/shared/drafts.js';
import { isLocale, type Locale } from '../../src/lib/shared/types.js';
import type { Authenticated } from './auth.service.js';
import type { DraftParts } from './drafts.service.js';
import type { DraftTranslations } from './draft-translations.service.js';
import { passageOf, validAnchor } from './yjs-passages.js';

/** The one mapper from a comment's row (with its author) to what pages show; `source`: the draft's source language. */
export function commentRowToView(row: repo.CommentWithAuthor, source: Locale): CommentView {
	return {
		id: row.id,
		parentId: row.parent_id,
		lang: isLocale(row.lang) ? row.lang : source,
		author: authorView(row.author_id, row.author_name, row.author_status),
		anchorStart: row.anchor_start,
		anchorEnd: row.anchor_end,
		quote: row.quote,
		body: row.body,
		createdAt: row.created_at,
		resolved: row.resolved_at !== null
	};
}

/**
 * Comments anchored to a passage of a draft's text (Yjs relative positions, so they survive edits), with one level of
 * replies. The passage is in the source text or in one of its translations (each its own document); a reply is in
 * its thread's.
 */
export class DraftComments {
	constructor(
		private readonly p: DraftParts,
		private readonly translations: DraftTranslations
	) {}

	/** Every comment on the draft, in every language, each naming the language of the text it is on. */
	async list(auth: Authenticated | null, id: number): Promise<CommentView[]> {
		const { draft } = await this.p.readable(auth, id);
		const [rows, source] = await Promise.all([repo.listComments(this.p.db, draft.id), this.translations.source(draft.id)]);
		return rows.map((row) => commentRowToView(row, source));
	}

	/**
	 * A comment on a passage (anchors = Yjs relative positions from the editor) of the text in `lang` (the source when
	 * none), or a reply to one.
	 */
	async add(
		auth: Authenticated | null,
		id: number,
		input: { body: string; parentId?: number | null; anchorStart?: string | null; anchorEnd?: string | null; quote?: string; lang?: string | null }
	): Promise<number> {
		const { draft, facts } = await this.p.readable(auth, id);
		if (!canCommentDraft(auth?.actor ?? null, facts)) throw new DomainError('forbidden');
		const problem = checkText(input.body, { min: 1, max: 5000 });
		if (problem) throw new DomainError('invalid_input', 'comment', { body: problem });
		let parentId: number | null = null;
		let lang: string | null = null;
		let quote = '';
		if (input.parentId) {
			const parent = await repo.findComment(this.p.db, input.parentId);
			if (!parent || parent.draft_id !== draft.id) throw new DomainError('not_found', 'no such comment');
			parentId = parent.parent_id ?? parent.id; // one level of replies
			lang = parent.lang;
		} else {
			if (!validAnchor(input.anchorStart) || !validAnchor(input.anchorEnd)) {
				throw new DomainError('invalid_input', 'a comment needs a passage', { passage: 'required' });
			}
			const text = await this.translations.text(draft.id, input.lang);
			lang = text.translation;
			// The quoted words come from the text itself when the passage lies in one block; otherwise (a passage across
			// paragraphs) from what the editor says was selected, shown as plain text.
			quote = (passageOf(await this.p.documents.state(text.docName), input.anchorStart, input.anchorEnd) ?? (input.quote ?? '')).slice(0, 500);
		}
		const commentId = await repo.insertComment(this.p.db, {
			draft_id: draft.id,
			parent_id: parentId,
			author_id: auth!.actor.id,
			anchor_start: parentId ? null : input.anchorStart!,
			anchor_end: parentId ? null : input.anchorEnd!,
			quote,
			body: input.body.trim(),
			created_at: this.p.clock(),
			lang
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
