import * as repo from '../db/repositories/draft.repository.js';
import { canAmendDraft } from '../domain/drafts.js';
import { authorView } from '../domain/people.js';
import { checkText, collect } from '../domain/validation.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { AmendmentView } from '../../src/lib/shared/drafts.js';
import type { Authenticated } from './auth.service.js';
import type { DraftVersions } from './draft-versions.service.js';
import { docNameOf, type DraftParts } from './drafts.service.js';
import { passageOf, replacePassage } from './yjs-passages.js';

/** The one mapper from an amendment's row (with its author and version) to what pages show. */
export function amendmentRowToView(row: repo.AmendmentWithAuthor): AmendmentView {
	return {
		id: row.id,
		versionNumber: row.version_number,
		versionHash: row.version_hash,
		author: authorView(row.author_id, row.author_name, row.author_status),
		anchorStart: row.anchor_start,
		anchorEnd: row.anchor_end,
		original: row.original,
		replacement: row.replacement,
		reason: row.reason,
		status: row.status,
		createdAt: row.created_at
	};
}

/** Amendments: a passage of the frozen text with the words proposed instead; votable, and applied when adopted. */
export class DraftAmendments {
	constructor(
		private readonly p: DraftParts,
		private readonly versions: DraftVersions
	) {}

	async list(auth: Authenticated | null, id: number): Promise<AmendmentView[]> {
		const { draft } = await this.p.readable(auth, id);
		return (await repo.listAmendments(this.p.db, draft.id)).map(amendmentRowToView);
	}

	/**
	 * Proposes replacing a passage of the frozen text. The passage must lie within one block of the text as it is
	 * (checked against the document); the amendment records the version it was made on and the passage's anchors.
	 */
	async propose(
		auth: Authenticated | null,
		id: number,
		input: { anchorStart: string; anchorEnd: string; replacement: string; reason: string }
	): Promise<number> {
		const { draft, facts } = await this.p.readable(auth, id);
		if (!canAmendDraft(auth?.actor ?? null, facts)) throw new DomainError('forbidden');
		const problems = collect({ replacement: checkText(input.replacement, { required: false, max: 5000 }), reason: checkText(input.reason, { min: 3, max: 2000 }) });
		if (Object.keys(problems).length) throw new DomainError('invalid_input', 'amendment has problems', problems);
		const version = await repo.latestVersion(this.p.db, draft.id);
		if (!version) throw new DomainError('conflict', 'no frozen version');
		const original = passageOf(version.state, input.anchorStart, input.anchorEnd);
		if (original === null) throw new DomainError('invalid_input', 'passage', { passage: 'required' });
		const amendmentId = await repo.insertAmendment(this.p.db, {
			draft_id: draft.id,
			version_id: version.id,
			author_id: auth!.actor.id,
			anchor_start: input.anchorStart,
			anchor_end: input.anchorEnd,
			original,
			replacement: input.replacement.trim(),
			reason: input.reason.trim(),
			created_at: this.p.clock()
		});
		this.p.bus.emit('draft.changed', { draftId: draft.id });
		return amendmentId;
	}

	/** Its author withdraws a proposed amendment. */
	async withdraw(auth: Authenticated | null, id: number, amendmentId: number): Promise<void> {
		const { draft } = await this.p.readable(auth, id);
		const amendment = await repo.findAmendment(this.p.db, amendmentId);
		if (!amendment || amendment.draft_id !== draft.id) throw new DomainError('not_found');
		if (amendment.author_id !== auth?.actor.id) throw new DomainError('forbidden');
		if (amendment.status !== 'proposed') throw new DomainError('conflict', 'already decided');
		await repo.setAmendmentStatus(this.p.db, amendment.id, 'withdrawn', this.p.clock());
		this.p.bus.emit('draft.changed', { draftId: draft.id });
	}

	/**
	 * The outcome of a vote on an amendment (called by VotesService when the vote closes). An adopted amendment
	 * replaces its passage in the text as one change, and the text after it is saved as a version.
	 */
	async decide(amendmentId: number, adopted: boolean): Promise<void> {
		const a = await repo.findAmendment(this.p.db, amendmentId);
		if (!a || a.status !== 'proposed') return;
		await repo.setAmendmentStatus(this.p.db, a.id, adopted ? 'adopted' : 'rejected', this.p.clock());
		if (adopted) {
			let applied = false;
			await this.p.documents.change(docNameOf(a.draft_id), (doc) => {
				applied = replacePassage(doc, a.anchor_start, a.anchor_end, a.replacement);
			});
			if (applied) {
				const snapshot = await this.versions.snapshot(a.draft_id);
				await this.p.db
					.transaction()
					.execute((trx) => repo.insertVersion(trx, { draft_id: a.draft_id, name: '', auto: 1, created_by: null, created_at: this.p.clock(), ...snapshot }));
			}
		}
		this.p.bus.emit('draft.changed', { draftId: a.draft_id });
	}
}
