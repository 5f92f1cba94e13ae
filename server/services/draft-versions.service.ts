import * as repo from '../db/repositories/draft.repository.js';
import { diffStats, wordDiff } from '../domain/diff.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import { translationLanguages } from '../db/repositories/draft-translation.repository.js';
import { canEditDraft, canManageDraft, canRestoreDraft } from '../domain/drafts.js';
import { authorView } from '../domain/people.js';
import { checkText } from '../domain/validation.js';
import { contentHash } from '../render/content-hash.js';
import { toEditorHtml, toHtmlFragment } from '../render/html.renderer.js';
import { toPlainText } from '../render/plain-text.renderer.js';
import { jsonOf, withoutSuggestions, type PmNode } from '../render/prosemirror-json.js';
import { restoreText } from './yjs-passages.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { VERSION_AUTO, type DiffView, type VersionView } from '../../src/lib/shared/drafts.js';
import { isLocale, type Locale } from '../../src/lib/shared/types.js';
import type { Authenticated } from './auth.service.js';
import { docNameOf, type DraftParts } from './drafts.service.js';

/** A version's stored form: the Yjs state, its ProseMirror JSON, plain text (for diffs) and content hash. */
export interface Snapshot {
	state: Uint8Array;
	content: string;
	text: string;
	hash: string;
}

/** The one mapper from a version's row (with its author) to what pages show. */
export function versionRowToView(row: repo.VersionWithAuthor): VersionView {
	return {
		number: row.number,
		name: row.name,
		auto: VERSION_AUTO[row.auto as keyof typeof VERSION_AUTO] ?? null,
		hash: row.hash,
		createdAt: row.created_at,
		author: row.created_by ? authorView(row.created_by, row.author_name, row.author_status) : null
	};
}

/** Named versions of a draft's text (by hand, and automatically when it is frozen or amended), and diffs between them. */
export class DraftVersions {
	constructor(private readonly p: DraftParts) {}

	/** The text as it is now, in the form a version stores it. */
	async snapshot(draftId: number): Promise<Snapshot> {
		return this.snapshotOf(docNameOf(draftId));
	}

	/**
	 * A text (the draft's, or one of its translations) as it is now, in the form a version stores it: its content,
	 * words and hash without pending suggestions (what was proposed is not the text until accepted); the Yjs state
	 * with them, as a restore brings them back.
	 */
	async snapshotOf(name: string): Promise<Snapshot> {
		const state = await this.p.documents.state(name);
		const json = withoutSuggestions(jsonOf(state));
		return { state, content: JSON.stringify(json), text: toPlainText(json), hash: contentHash(json) };
	}

	/** Saves the text as it is now under a name (editors and stewards). Returns the version number. */
	async save(auth: Authenticated | null, id: number, name: string): Promise<number> {
		const { draft, facts } = await this.p.readable(auth, id);
		const actor = auth?.actor ?? null;
		if (!canEditDraft(actor, facts) && !canManageDraft(actor, facts)) throw new DomainError('forbidden');
		const problem = checkText(name, { min: 1, max: 120 });
		if (problem) throw new DomainError('invalid_input', 'version name', { name: problem });
		const snapshot = await this.snapshot(draft.id);
		const number = await this.p.db
			.transaction()
			.execute((trx) => repo.insertVersion(trx, { draft_id: draft.id, name: name.trim(), auto: 0, created_by: auth!.actor.id, created_at: this.p.clock(), ...snapshot }));
		this.p.bus.emit('draft.changed', { draftId: draft.id });
		return number;
	}

	/**
	 * Sets the text back to a version (stewards, while it is open to change): one change from the text now to the
	 * version's, made through the documents service, so it is logged before anyone connected receives it. Audited.
	 */
	async restore(auth: Authenticated | null, id: number, number: number): Promise<void> {
		const { draft, facts } = await this.p.readable(auth, id);
		const actor = auth?.actor ?? null;
		if (!canManageDraft(actor, facts)) throw new DomainError('forbidden');
		if (!canRestoreDraft(actor, facts)) throw new DomainError('conflict', 'the text is not open to change');
		const version = await repo.findVersion(this.p.db, draft.id, number);
		if (!version) throw new DomainError('not_found');
		await this.p.documents.change(docNameOf(draft.id), (doc) => restoreText(doc, version.state));
		await insertAudit(this.p.db, { actor_id: actor!.id, action: 'draft.restored', subject_type: 'draft', subject_id: String(draft.id), data: { version: number }, created_at: this.p.clock() });
		this.p.bus.emit('draft.changed', { draftId: draft.id });
	}

	/** The versions of a draft this person may read, newest first: all of them, or a page after a version's number. */
	async list(auth: Authenticated | null, id: number, page: repo.VersionsPage = {}): Promise<VersionView[]> {
		const { draft } = await this.p.readable(auth, id);
		return this.#views(draft.id, page);
	}

	async #views(draftId: number, page: repo.VersionsPage = {}): Promise<VersionView[]> {
		return (await repo.listVersions(this.p.db, draftId, page)).map(versionRowToView);
	}

	/**
	 * The text as it is now, rendered on the server (escaped HTML, headings at the editor's levels): what the draft's
	 * page shows before its live editor has the document, and all that a reader without JavaScript sees.
	 */
	async currentHtml(auth: Authenticated | null, id: number): Promise<string> {
		const { draft } = await this.p.readable(auth, id);
		return toEditorHtml(jsonOf(await this.p.documents.state(docNameOf(draft.id))));
	}

	/**
	 * One version rendered for reading in the page (escaped HTML from its stored content), with the languages of the
	 * translations taken with it.
	 */
	async html(auth: Authenticated | null, id: number, number: number): Promise<{ version: VersionView; html: string; languages: Locale[] }> {
		const { draft } = await this.p.readable(auth, id);
		const row = await repo.findVersion(this.p.db, draft.id, number);
		if (!row) throw new DomainError('not_found');
		const version = (await this.#views(draft.id)).find((v) => v.number === number)!;
		const languages = (await translationLanguages(this.p.db, row.id)).filter(isLocale);
		return { version, html: toHtmlFragment(JSON.parse(row.content) as PmNode), languages };
	}

	/** A word-level diff between two versions. */
	async diff(auth: Authenticated | null, id: number, from: number, to: number): Promise<DiffView> {
		const { draft } = await this.p.readable(auth, id);
		const [a, b] = await Promise.all([repo.findVersion(this.p.db, draft.id, from), repo.findVersion(this.p.db, draft.id, to)]);
		if (!a || !b) throw new DomainError('not_found');
		const views = await this.#views(draft.id);
		const segments = wordDiff(a.text, b.text);
		return { from: views.find((v) => v.number === from)!, to: views.find((v) => v.number === to)!, segments, ...diffStats(segments) };
	}
}
