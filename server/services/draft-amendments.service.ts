import * as repo from '../db/repositories/draft.repository.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import { canAmendDraft } from '../domain/drafts.js';
import { authorView } from '../domain/people.js';
import { checkText, collect } from '../domain/validation.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { AmendmentView } from '../../src/lib/shared/drafts.js';
import { isLocale, type Locale } from '../../src/lib/shared/types.js';
import type { Authenticated } from './auth.service.js';
import type { DraftTranslations } from './draft-translations.service.js';
import type { DraftVersions } from './draft-versions.service.js';
import { docNameOf, type DraftParts } from './drafts.service.js';
import { overlapping, passageOf, passagesNow, replacePassage } from './yjs-passages.js';
import type { RateLimits } from './rate-limits.js';

/**
 * The one mapper from an amendment's row (with its author and version) to what pages show, with its place now;
 * `source`: the draft's source language.
 */
export function amendmentRowToView(row: repo.AmendmentWithAuthor, source: Locale, now: { outdated: boolean; overlaps: number[]; voteId: number | null }): AmendmentView {
	return {
		...now,
		id: row.id,
		lang: isLocale(row.lang) ? row.lang : source,
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

/**
 * Amendments: a passage of the text (in review, or frozen) with the words proposed instead, anchored to the live text
 * by Yjs relative positions as comments are; votable, and applied when adopted. An amendment whose passage was edited
 * since is outdated; proposed amendments changing the same words overlap and are put to one vote between them.
 * Amendments are made on the source text only: it is the authoritative one, and its translations follow an adopted
 * amendment through their paragraphs shown as outdated (DraftTranslations' alignment), until a translator confirms.
 */
export class DraftAmendments {
	constructor(
		private readonly p: DraftParts,
		private readonly versions: DraftVersions,
		private readonly translations: DraftTranslations,
		private readonly limits: RateLimits | null = null
	) {}

	async list(auth: Authenticated | null, id: number): Promise<AmendmentView[]> {
		const { draft } = await this.p.readable(auth, id);
		const [rows, votes, state, source] = await Promise.all([
			repo.listAmendments(this.p.db, draft.id),
			repo.amendmentVotes(this.p.db, draft.id),
			this.p.documents.state(docNameOf(draft.id)),
			this.translations.source(draft.id)
		]);
		const places = passagesNow(state, rows.map((r) => ({ start: r.anchor_start, end: r.anchor_end })));
		const open = (i: number) => rows[i].status === 'proposed' && places[i] !== null && places[i]!.text === rows[i].original;
		return rows.map((row, i) => {
			const place = places[i];
			const overlaps = open(i) ? rows.flatMap((other, j) => (j !== i && open(j) && overlapping(place!, places[j]!) ? [other.id] : [])) : [];
			return amendmentRowToView(row, source, { outdated: row.status === 'proposed' && !open(i), overlaps, voteId: votes.get(row.id) ?? null });
		});
	}

	/**
	 * What a vote on an amendment decides between (for "put to a vote"): the amendment and every other proposed one
	 * changing words of the same passage, oldest first. Refused when it is not proposed, or outdated (the text it would
	 * replace is no longer there: its author proposes it again on the text as it is).
	 */
	async alternatives(auth: Authenticated | null, draftId: number, amendmentId: number): Promise<AmendmentView[]> {
		const all = await this.list(auth, draftId);
		const a = all.find((x) => x.id === amendmentId);
		if (!a) throw new DomainError('not_found');
		if (a.status !== 'proposed') throw new DomainError('conflict', 'amendment already decided');
		if (a.outdated) throw new DomainError('invalid_input', 'amendment outdated', { subject: 'amendment_outdated' });
		return all.filter((x) => x.id === a.id || a.overlaps.includes(x.id));
	}

	/**
	 * Proposes replacing a passage of the text (in review or frozen). The passage must lie within one block of the text
	 * as it is now (checked against the live document); the amendment records the passage's anchors and the version it
	 * was made on: the latest, when it holds the text as it is, or else one saved now (auto: the text proposed on).
	 * A passage of a translation (`lang` naming one) is refused: amendments change the source text.
	 */
	async propose(
		auth: Authenticated | null,
		id: number,
		input: { anchorStart: string; anchorEnd: string; replacement: string; reason: string; lang?: string | null }
	): Promise<number> {
		const { draft, facts } = await this.p.readable(auth, id);
		if (!canAmendDraft(auth?.actor ?? null, facts)) throw new DomainError('forbidden');
		if ((await this.translations.text(draft.id, input.lang)).translation) {
			throw new DomainError('invalid_input', 'amendments are made on the source text', { passage: 'source_only' });
		}
		const problems = collect({ replacement: checkText(input.replacement, { required: false, max: 5000 }), reason: checkText(input.reason, { min: 3, max: 2000 }) });
		if (Object.keys(problems).length) throw new DomainError('invalid_input', 'amendment has problems', problems);
		// Counted as a post: a proposal may store a whole version of the text, so proposals in a loop would fill the disk.
		await this.limits?.take(['postsPerMember', String(auth!.actor.id)]);
		const snapshot = await this.versions.snapshot(draft.id);
		const original = passageOf(snapshot.state, input.anchorStart, input.anchorEnd);
		if (original === null) throw new DomainError('invalid_input', 'passage', { passage: 'required' });
		const now = this.p.clock();
		const amendmentId = await this.p.db.transaction().execute(async (trx) => {
			let version = await repo.latestVersion(trx, draft.id);
			if (version?.hash !== snapshot.hash) {
				await repo.insertVersion(trx, { draft_id: draft.id, name: '', auto: 2, created_by: auth!.actor.id, created_at: now, ...snapshot });
				version = await repo.latestVersion(trx, draft.id);
			}
			return repo.insertAmendment(trx, {
				draft_id: draft.id,
				version_id: version!.id,
				author_id: auth!.actor.id,
				anchor_start: input.anchorStart,
				anchor_end: input.anchorEnd,
				original,
				replacement: input.replacement.trim(),
				reason: input.reason.trim(),
				created_at: now
			});
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
		if (!(await repo.decideAmendment(this.p.db, amendment.id, 'withdrawn', this.p.clock()))) throw new DomainError('conflict', 'already decided');
		this.p.bus.emit('draft.changed', { draftId: draft.id });
	}

	/**
	 * The outcome of vote `voteId` on an amendment (called by VotesService when the vote closes), in the audit trail
	 * with the vote that decided it. An adopted amendment replaces its passage in the text as one change, and the text
	 * after it is saved as a version.
	 */
	async decide(amendmentId: number, adopted: boolean, voteId: number): Promise<void> {
		const a = await repo.findAmendment(this.p.db, amendmentId);
		if (!a) return;
		const now = this.p.clock();
		// Once: of two closes deciding it at once, only the one that moves it from "proposed" applies it.
		const moved = await this.p.db.transaction().execute(async (trx) => {
			if (!(await repo.decideAmendment(trx, a.id, adopted ? 'adopted' : 'rejected', now))) return false;
			const data = { voteId, amendmentId: a.id };
			await insertAudit(trx, { actor_id: null, action: adopted ? 'amendment.adopted' : 'amendment.rejected', subject_type: 'draft', subject_id: String(a.draft_id), data, created_at: now });
			return true;
		});
		if (!moved) return;
		if (adopted) {
			let applied = false;
			await this.p.documents.change(docNameOf(a.draft_id), (doc) => {
				applied = replacePassage(doc, a.anchor_start, a.anchor_end, a.replacement);
			});
			if (applied) {
				const snapshot = await this.versions.snapshot(a.draft_id);
				await this.p.db
					.transaction()
					.execute((trx) => repo.insertVersion(trx, { draft_id: a.draft_id, name: '', auto: 3, created_by: null, created_at: this.p.clock(), ...snapshot }));
			}
		}
		this.p.bus.emit('draft.changed', { draftId: a.draft_id });
	}
}
