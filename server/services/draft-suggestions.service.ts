import * as Y from 'yjs';
import * as repo from '../db/repositories/draft.repository.js';
import { canAmendFromSuggestion, suggestedPassage, type SuggestedPassage } from '../domain/suggestions.js';
import { canCommentDraft, type DraftFacts } from '../domain/drafts.js';
import { findUserById } from '../db/repositories/user.repository.js';
import { checkText } from '../domain/validation.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { listSuggestions, resolveSuggestions, runsOf } from '../../src/lib/shared/suggestions.js';
import type { Authenticated } from './auth.service.js';
import type { DraftVersions } from './draft-versions.service.js';
import { docNameOf, type DraftParts } from './drafts.service.js';
import type { RateLimits } from './rate-limits.js';

const toB64 = (position: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(position)).toString('base64');

/**
 * Suggestions (track changes) are marks in the draft's text, made, accepted and rejected in the editor (one Yjs
 * change each; see src/lib/shared/suggestions.ts). What needs the server is turning one into an amendment.
 */
export class DraftSuggestions {
	constructor(
		private readonly p: DraftParts,
		private readonly versions: DraftVersions,
		private readonly limits: RateLimits | null = null
	) {}

	/** How many suggestions wait for a steward in these texts (the draft's and its translations'). */
	async pending(names: string[]): Promise<number> {
		let count = 0;
		for (const name of names) {
			const doc = new Y.Doc();
			try {
				Y.applyUpdate(doc, await this.p.documents.state(name));
				count += listSuggestions(doc.getXmlFragment('default')).length;
			} finally {
				doc.destroy();
			}
		}
		return count;
	}

	/**
	 * During review a steward puts a suggestion to the assembly: it leaves the text (as if rejected, one change) and
	 * becomes an amendment of its suggester's, on the text as it is then (saved as a version), with the steward's
	 * reason. Its passage is the suggestion's words widened to whole words. Returns the amendment's id.
	 */
	async toAmendment(auth: Authenticated | null, id: number, input: { suggestionId: string; reason: string }): Promise<number> {
		const { draft, facts } = await this.p.readable(auth, id);
		if (!canAmendFromSuggestion(auth?.actor ?? null, facts)) throw new DomainError('forbidden');
		const reasonProblem = checkText(input.reason, { min: 3, max: 2000 });
		if (reasonProblem) throw new DomainError('invalid_input', 'amendment has problems', { reason: reasonProblem });
		if (typeof input.suggestionId !== 'string' || input.suggestionId.length > 40) throw new DomainError('not_found', 'no such suggestion');
		// The mark names its suggester (as the editor that wrote it said): the amendment is filed under that name only
		// if they could have proposed it, checked before the suggestion leaves the text.
		const suggester = await this.#suggesterOf(draft.id, input.suggestionId);
		if (suggester !== null && !(await this.#mayPropose(suggester, facts))) throw new DomainError('invalid_input', 'suggester', { suggestion: 'suggester_gone' });
		// Counted as a post, as proposing is (DraftAmendments.propose), before it leaves the text: each stores a version.
		await this.limits?.take(['postsPerMember', String(auth!.actor.id)]);
		const result: { found: (SuggestedPassage & { author: number; start: string; end: string }) | string } = { found: 'not_found' };
		await this.p.documents.change(docNameOf(draft.id), (doc) => {
			const fragment = doc.getXmlFragment('default');
			const passage = suggestedPassage(fragment, input.suggestionId);
			if (typeof passage === 'string') return void (result.found = passage);
			let author = 0;
			// Only the suggestion whose suggester was checked (a change in between leaves the text as it is).
			resolveSuggestions(doc, (s) => s.id === input.suggestionId && s.author === suggester && ((author = s.author), true), false);
			if (author === 0) return;
			const end = Y.createRelativePositionFromTypeIndex(passage.text, passage.to, -1);
			result.found = { ...passage, author, start: toB64(Y.createRelativePositionFromTypeIndex(passage.text, passage.from)), end: toB64(end) };
		});
		const made = result.found;
		if (typeof made === 'string') {
			if (made === 'not_found') throw new DomainError('not_found', 'no such suggestion');
			throw new DomainError('invalid_input', made, { suggestion: made });
		}
		const snapshot = await this.versions.snapshot(draft.id);
		const now = this.p.clock();
		const amendmentId = await this.p.db.transaction().execute(async (trx) => {
			const number = await repo.insertVersion(trx, { draft_id: draft.id, name: '', auto: 1, created_by: auth!.actor.id, created_at: now, ...snapshot });
			const version = await repo.findVersion(trx, draft.id, number);
			return repo.insertAmendment(trx, {
				draft_id: draft.id,
				version_id: version!.id,
				author_id: made.author,
				anchor_start: made.start,
				anchor_end: made.end,
				original: made.original.slice(0, 5000),
				replacement: made.replacement.slice(0, 5000),
				reason: input.reason.trim(),
				created_at: now
			});
		});
		this.p.bus.emit('draft.changed', { draftId: draft.id });
		return amendmentId;
	}

	/** The suggester a suggestion's mark names, read from the text as it is now (null: no such suggestion). */
	async #suggesterOf(draftId: number, suggestionId: string): Promise<number | null> {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, await this.p.documents.state(docNameOf(draftId)));
		const run = runsOf(doc.getXmlFragment('default')).find((r) => r.attrs.id === suggestionId);
		doc.destroy();
		return run ? run.attrs.author : null;
	}

	async #mayPropose(userId: number, facts: DraftFacts): Promise<boolean> {
		const user = await findUserById(this.p.db, userId);
		return !!user && canCommentDraft({ id: user.id, role: user.role, status: user.status }, facts);
	}
}
