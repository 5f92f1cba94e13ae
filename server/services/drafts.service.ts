import * as Y from 'yjs';
import type { Db } from '../db/client.js';
import * as repo from '../db/repositories/draft.repository.js';
import { findGroupBySlug, groupRole } from '../db/repositories/group.repository.js';
import { listFieldSlugs } from '../db/repositories/network.repository.js';
import { diffStats, wordDiff } from '../domain/diff.js';
import {
	canAmendDraft,
	canCommentDraft,
	canEditDraft,
	canManageDraft,
	canReadDraft,
	TRANSITIONS,
	transitionProblem,
	type DraftFacts,
	type DraftStatus
} from '../domain/drafts.js';
import { hasRole, isActiveMember } from '../domain/permissions.js';
import { checkText, collect, slugify } from '../domain/validation.js';
import type { EventBus } from '../events/bus.js';
import { DomainError, isDomainError } from '../../src/lib/shared/errors.js';
import type { AmendmentView, CommentView, DiffView, DraftSummary, DraftView, ExportFormat, VersionView } from '../../src/lib/shared/drafts.js';
import type { Authenticated } from './auth.service.js';
import type { DocumentAccess } from './document-access.service.js';
import type { DocumentsService } from './documents.service.js';
import { contentHash, docToJson, escapeMd, toHtml, toHtmlFragment, toMarkdown, toPdf, toPlainText, type PmNode } from './draft-render.js';
import type { ForumService } from './forum.service.js';

export const docNameOf = (draftId: number) => `draft:${draftId}`;

const author = (id: number, name: string | null, status: string | null) => ({ id, name: status === 'deleted' ? null : name });

type Draft = NonNullable<Awaited<ReturnType<typeof repo.findDraft>>>;

export interface ExportFile {
	filename: string;
	contentType: string;
	body: Buffer | string;
}

/**
 * Policy drafts: co-edited text (a Yjs document kept by DocumentsService), its lifecycle, named versions with
 * content hashes, word diffs, anchored comments, amendments on a frozen version, and exports. Who may do what is
 * decided by server/domain/drafts.ts for pages, actions and the document connection alike.
 */
export class DraftsService {
	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		private readonly documents: DocumentsService,
		private readonly forum: ForumService,
		private readonly clock: () => number = Date.now
	) {}

	async #facts(auth: Authenticated | null, d: Draft): Promise<DraftFacts> {
		const role = auth && d.group_id !== null ? await groupRole(this.db, d.group_id, auth.actor.id) : null;
		return { status: d.status, visibility: d.visibility, groupId: d.group_id, createdBy: d.created_by, inGroup: role !== null, facilitates: role === 'facilitator' };
	}

	/** The draft and the rules' view of it, if this person may read it (not_found otherwise: no existence leak). */
	async #readable(auth: Authenticated | null, id: number): Promise<{ draft: Draft; facts: DraftFacts }> {
		const draft = Number.isSafeInteger(id) && id > 0 ? await repo.findDraft(this.db, id) : undefined;
		// A visitor is told to sign in whether or not a members-only draft exists: ids are not probed that way.
		if (!draft) throw new DomainError(auth ? 'not_found' : 'unauthenticated');
		const facts = await this.#facts(auth, draft);
		if (!canReadDraft(auth?.actor ?? null, facts)) throw new DomainError(auth ? 'not_found' : 'unauthenticated');
		return { draft, facts };
	}

	#summary(d: Draft): DraftSummary {
		return {
			id: d.id,
			title: d.title,
			summary: d.summary,
			status: d.status,
			visibility: d.visibility,
			group: d.group_slug && d.group_name ? { slug: d.group_slug, name: d.group_name } : null,
			author: author(d.created_by, d.author_name, d.author_status),
			updatedAt: d.updated_at
		};
	}

	/** Access to the draft's Yjs document: write for editors, read for other readers, null for everyone else. */
	async documentAccess(auth: Authenticated | null, id: number): Promise<DocumentAccess | null> {
		try {
			const { facts } = await this.#readable(auth, id);
			return canEditDraft(auth?.actor ?? null, facts) ? 'write' : 'read';
		} catch {
			return null;
		}
	}

	async list(auth: Authenticated | null, opts: { archived?: boolean } = {}): Promise<DraftSummary[]> {
		const rows = await repo.listDrafts(this.db, { member: isActiveMember(auth?.actor ?? null), archived: !!opts.archived });
		return rows.map((d) => this.#summary(d));
	}

	async get(auth: Authenticated | null, id: number): Promise<DraftView> {
		const { draft, facts } = await this.#readable(auth, id);
		const actor = auth?.actor ?? null;
		const manage = canManageDraft(actor, facts);
		return {
			...this.#summary(draft),
			threadId: draft.thread_id,
			createdAt: draft.created_at,
			docName: docNameOf(draft.id),
			can: { edit: canEditDraft(actor, facts), manage, comment: canCommentDraft(actor, facts), amend: canAmendDraft(actor, facts) },
			transitions: manage ? TRANSITIONS[draft.status] : []
		};
	}

	/** What a new draft may belong to: the person's groups, or the whole network under a field of action. */
	async newDraftOptions(auth: Authenticated | null): Promise<{ groups: { slug: string; name: string }[]; fields: string[] }> {
		if (!auth || !isActiveMember(auth.actor)) throw new DomainError(auth ? 'forbidden' : 'unauthenticated');
		const [groups, fields] = await Promise.all([repo.groupsFor(this.db, auth.actor.id, hasRole(auth.actor, 'coordinator')), listFieldSlugs(this.db)]);
		return { groups, fields: fields.map((f) => f.slug) };
	}

	/** Starts a draft, for the whole network (under a field of action) or for a group, with its debate thread. */
	async create(
		auth: Authenticated | null,
		input: { title: string; summary: string; group: string; field: string; visibility: string }
	): Promise<number> {
		if (!auth) throw new DomainError('unauthenticated');
		if (!isActiveMember(auth.actor)) throw new DomainError('forbidden');
		const problems = collect({
			title: checkText(input.title, { min: 3, max: 200 }),
			summary: checkText(input.summary, { required: false, max: 2000 }),
			visibility: input.visibility === 'public' || input.visibility === 'members' ? null : 'required',
			field: input.group || input.field ? null : 'required'
		});
		if (Object.keys(problems).length) throw new DomainError('invalid_input', 'draft has problems', problems);
		let groupId: number | null = null;
		if (input.group) {
			const group = await findGroupBySlug(this.db, input.group);
			if (!group) throw new DomainError('invalid_input', 'no such group', { group: 'required' });
			const role = await groupRole(this.db, group.id, auth.actor.id);
			if (!role && !hasRole(auth.actor, 'coordinator')) throw new DomainError('forbidden', 'not in the group');
			groupId = group.id;
		}
		const now = this.clock();
		const title = input.title.trim();
		const summary = input.summary.trim();
		const id = await repo.insertDraft(this.db, { title, summary, group_id: groupId, visibility: input.visibility as 'public' | 'members', created_by: auth.actor.id, created_at: now });
		// The debate thread, in the group's space or the field's; the draft stands even if this fails.
		try {
			const threadId = await this.forum.createThread(auth, {
				category: input.group ? `group-${input.group}` : input.field,
				title,
				body: `${summary ? `${summary}\n\n` : ''}→ /drafts/${id}`,
				tags: 'draft'
			});
			await repo.setDraftThread(this.db, id, threadId);
		} catch (error) {
			if (!isDomainError(error)) throw error;
		}
		this.bus.emit('draft.changed', { draftId: id });
		return id;
	}

	/** Moves the draft along its lifecycle. Freezing saves a version; every move re-admits open editors. */
	async setStatus(auth: Authenticated | null, id: number, to: string): Promise<void> {
		const { draft, facts } = await this.#readable(auth, id);
		if (!(to in TRANSITIONS)) throw new DomainError('invalid_input', 'no such status');
		const problem = transitionProblem(auth?.actor ?? null, facts, to as DraftStatus);
		if (problem) throw new DomainError(problem, `cannot move from ${draft.status} to ${to}`);
		const now = this.clock();
		const move = async () => {
			// Frozen: the version is the text exactly as it stays (the document is sealed while it is taken and the
			// status changes; writers are then dropped and come back as readers).
			const snapshot = to === 'frozen' ? await this.#snapshot(draft.id) : null;
			await this.db.transaction().execute(async (trx) => {
				// From the status this decision was made on: two stewards moving it at once cannot both succeed.
				if (!(await repo.moveDraftStatus(trx, draft.id, draft.status, to as DraftStatus, now))) throw new DomainError('conflict', 'moved meanwhile');
				if (snapshot) await repo.insertVersion(trx, { draft_id: draft.id, name: '', auto: 1, created_by: auth!.actor.id, created_at: now, ...snapshot });
			});
			// Watchers hear of it first (then leave the room to be re-authorised), then editors are re-admitted.
			this.bus.emit('draft.changed', { draftId: draft.id });
			this.bus.emit('document.access_changed', { name: docNameOf(draft.id) });
		};
		try {
			if (to === 'frozen') await this.documents.sealed(docNameOf(draft.id), move);
			else await move();
		} catch (error) {
			// Writers whose changes the seal dropped reconnect and send them again.
			if (to === 'frozen') this.bus.emit('document.access_changed', { name: docNameOf(draft.id) });
			throw error;
		}
	}

	async #snapshot(id: number): Promise<{ state: Uint8Array; content: string; text: string; hash: string }> {
		const state = await this.documents.state(docNameOf(id));
		const json = jsonOf(state);
		return { state, content: JSON.stringify(json), text: toPlainText(json), hash: contentHash(json) };
	}

	/** Saves the text as it is now under a name (editors and stewards). Returns the version number. */
	async saveVersion(auth: Authenticated | null, id: number, name: string): Promise<number> {
		const { draft, facts } = await this.#readable(auth, id);
		const actor = auth?.actor ?? null;
		if (!canEditDraft(actor, facts) && !canManageDraft(actor, facts)) throw new DomainError('forbidden');
		const problem = checkText(name, { min: 1, max: 120 });
		if (problem) throw new DomainError('invalid_input', 'version name', { name: problem });
		const snapshot = await this.#snapshot(draft.id);
		const number = await this.db
			.transaction()
			.execute((trx) => repo.insertVersion(trx, { draft_id: draft.id, name: name.trim(), auto: 0, created_by: auth!.actor.id, created_at: this.clock(), ...snapshot }));
		this.bus.emit('draft.changed', { draftId: draft.id });
		return number;
	}

	async versions(auth: Authenticated | null, id: number): Promise<VersionView[]> {
		const { draft } = await this.#readable(auth, id);
		return this.#versionViews(draft.id);
	}

	async #versionViews(draftId: number): Promise<VersionView[]> {
		return (await repo.listVersions(this.db, draftId)).map((v) => ({
			number: v.number,
			name: v.name,
			auto: v.auto === 1 ? 'frozen' : null,
			hash: v.hash,
			createdAt: v.created_at,
			author: v.created_by ? author(v.created_by, v.author_name, v.author_status) : null
		}));
	}

	/** One version's content (ProseMirror JSON) and plain text. */
	async version(auth: Authenticated | null, id: number, number: number): Promise<{ version: VersionView; content: PmNode }> {
		const { draft } = await this.#readable(auth, id);
		const row = await repo.findVersion(this.db, draft.id, number);
		if (!row) throw new DomainError('not_found');
		const version = (await this.#versionViews(draft.id)).find((v) => v.number === number)!;
		return { version, content: JSON.parse(row.content) as PmNode };
	}

	/** One version rendered for reading in the page (escaped HTML from its stored content). */
	async versionHtml(auth: Authenticated | null, id: number, number: number): Promise<{ version: VersionView; html: string }> {
		const { version, content } = await this.version(auth, id, number);
		return { version, html: toHtmlFragment(content) };
	}

	/** A word-level diff between two versions. */
	async diff(auth: Authenticated | null, id: number, from: number, to: number): Promise<DiffView> {
		const { draft } = await this.#readable(auth, id);
		const [a, b] = await Promise.all([repo.findVersion(this.db, draft.id, from), repo.findVersion(this.db, draft.id, to)]);
		if (!a || !b) throw new DomainError('not_found');
		const views = await this.#versionViews(draft.id);
		const segments = wordDiff(a.text, b.text);
		return { from: views.find((v) => v.number === from)!, to: views.find((v) => v.number === to)!, segments, ...diffStats(segments) };
	}

	async comments(auth: Authenticated | null, id: number): Promise<CommentView[]> {
		const { draft } = await this.#readable(auth, id);
		return (await repo.listComments(this.db, draft.id)).map((c) => ({
			id: c.id,
			parentId: c.parent_id,
			author: author(c.author_id, c.author_name, c.author_status),
			anchorStart: c.anchor_start,
			anchorEnd: c.anchor_end,
			quote: c.quote,
			body: c.body,
			createdAt: c.created_at,
			resolved: c.resolved_at !== null
		}));
	}

	/** A comment on a passage (anchors = Yjs relative positions from the editor) or a reply to one. */
	async comment(
		auth: Authenticated | null,
		id: number,
		input: { body: string; parentId?: number | null; anchorStart?: string | null; anchorEnd?: string | null; quote?: string }
	): Promise<number> {
		const { draft, facts } = await this.#readable(auth, id);
		if (!canCommentDraft(auth?.actor ?? null, facts)) throw new DomainError('forbidden');
		const problem = checkText(input.body, { min: 1, max: 5000 });
		if (problem) throw new DomainError('invalid_input', 'comment', { body: problem });
		let parentId: number | null = null;
		if (input.parentId) {
			const parent = await repo.findComment(this.db, input.parentId);
			if (!parent || parent.draft_id !== draft.id) throw new DomainError('not_found', 'no such comment');
			parentId = parent.parent_id ?? parent.id; // one level of replies
		} else if (!validAnchor(input.anchorStart) || !validAnchor(input.anchorEnd)) {
			throw new DomainError('invalid_input', 'a comment needs a passage', { passage: 'required' });
		}
		// The quoted words come from the text itself when the passage lies in one block; otherwise (a passage across
		// paragraphs) from what the editor says was selected, shown as plain text.
		const quote = parentId
			? ''
			: (passageOf(await this.documents.state(docNameOf(draft.id)), input.anchorStart!, input.anchorEnd!) ?? (input.quote ?? '')).slice(0, 500);
		const commentId = await repo.insertComment(this.db, {
			draft_id: draft.id,
			parent_id: parentId,
			author_id: auth!.actor.id,
			anchor_start: parentId ? null : input.anchorStart!,
			anchor_end: parentId ? null : input.anchorEnd!,
			quote,
			body: input.body.trim(),
			created_at: this.clock()
		});
		this.bus.emit('draft.changed', { draftId: draft.id });
		return commentId;
	}

	/** Resolves or reopens a comment thread (its author, editors and stewards). */
	async resolveComment(auth: Authenticated | null, id: number, commentId: number, resolved: boolean): Promise<void> {
		const { draft, facts } = await this.#readable(auth, id);
		const comment = await repo.findComment(this.db, commentId);
		if (!comment || comment.draft_id !== draft.id || comment.parent_id !== null) throw new DomainError('not_found');
		const actor = auth?.actor ?? null;
		const allowed = canCommentDraft(actor, facts) && (comment.author_id === actor!.id || canEditDraft(actor, facts) || canManageDraft(actor, facts));
		if (!allowed) throw new DomainError('forbidden');
		await repo.setCommentResolved(this.db, comment.id, resolved ? actor!.id : null, resolved ? this.clock() : null);
		this.bus.emit('draft.changed', { draftId: draft.id });
	}

	async amendments(auth: Authenticated | null, id: number): Promise<AmendmentView[]> {
		const { draft } = await this.#readable(auth, id);
		return (await repo.listAmendments(this.db, draft.id)).map((a) => ({
			id: a.id,
			versionNumber: a.version_number,
			versionHash: a.version_hash,
			author: author(a.author_id, a.author_name, a.author_status),
			anchorStart: a.anchor_start,
			anchorEnd: a.anchor_end,
			original: a.original,
			replacement: a.replacement,
			reason: a.reason,
			status: a.status,
			createdAt: a.created_at
		}));
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
		const { draft, facts } = await this.#readable(auth, id);
		if (!canAmendDraft(auth?.actor ?? null, facts)) throw new DomainError('forbidden');
		const problems = collect({ replacement: checkText(input.replacement, { required: false, max: 5000 }), reason: checkText(input.reason, { min: 3, max: 2000 }) });
		if (Object.keys(problems).length) throw new DomainError('invalid_input', 'amendment has problems', problems);
		const version = await repo.latestVersion(this.db, draft.id);
		if (!version) throw new DomainError('conflict', 'no frozen version');
		const original = passageOf(version.state, input.anchorStart, input.anchorEnd);
		if (original === null) throw new DomainError('invalid_input', 'passage', { passage: 'required' });
		const amendmentId = await repo.insertAmendment(this.db, {
			draft_id: draft.id,
			version_id: version.id,
			author_id: auth!.actor.id,
			anchor_start: input.anchorStart,
			anchor_end: input.anchorEnd,
			original,
			replacement: input.replacement.trim(),
			reason: input.reason.trim(),
			created_at: this.clock()
		});
		this.bus.emit('draft.changed', { draftId: draft.id });
		return amendmentId;
	}

	/** Its author withdraws a proposed amendment. */
	async withdraw(auth: Authenticated | null, id: number, amendmentId: number): Promise<void> {
		const { draft } = await this.#readable(auth, id);
		const amendment = await repo.findAmendment(this.db, amendmentId);
		if (!amendment || amendment.draft_id !== draft.id) throw new DomainError('not_found');
		if (amendment.author_id !== auth?.actor.id) throw new DomainError('forbidden');
		if (amendment.status !== 'proposed') throw new DomainError('conflict', 'already decided');
		await repo.setAmendmentStatus(this.db, amendment.id, 'withdrawn', this.clock());
		this.bus.emit('draft.changed', { draftId: draft.id });
	}

	/**
	 * The outcome of a vote on an amendment (called by VotesService when the vote closes). An adopted amendment
	 * replaces its passage in the text as one change, and the text after it is saved as a version.
	 */
	async decideAmendment(amendmentId: number, adopted: boolean): Promise<void> {
		const a = await repo.findAmendment(this.db, amendmentId);
		if (!a || a.status !== 'proposed') return;
		await repo.setAmendmentStatus(this.db, a.id, adopted ? 'adopted' : 'rejected', this.clock());
		if (adopted) {
			let applied = false;
			await this.documents.change(docNameOf(a.draft_id), (doc) => {
				applied = replacePassage(doc, a.anchor_start, a.anchor_end, a.replacement);
			});
			if (applied) {
				const snapshot = await this.#snapshot(a.draft_id);
				await this.db
					.transaction()
					.execute((trx) => repo.insertVersion(trx, { draft_id: a.draft_id, name: '', auto: 1, created_by: null, created_at: this.clock(), ...snapshot }));
			}
		}
		this.bus.emit('draft.changed', { draftId: a.draft_id });
	}

	/** The draft (a version, or the text as it is now) as Markdown, HTML or PDF. */
	async export(auth: Authenticated | null, id: number, format: ExportFormat, versionNumber: number | null, lang: string): Promise<ExportFile> {
		const { draft } = await this.#readable(auth, id);
		let json: PmNode;
		let subtitle: string;
		if (versionNumber) {
			const row = await repo.findVersion(this.db, draft.id, versionNumber);
			if (!row) throw new DomainError('not_found');
			json = JSON.parse(row.content) as PmNode;
			subtitle = `v${row.number} · ${row.hash.slice(0, 12)}`;
		} else {
			json = jsonOf(await this.documents.state(docNameOf(draft.id)));
			subtitle = new Date(this.clock()).toISOString().slice(0, 10);
		}
		const base = `${slugify(draft.title) || 'draft'}${versionNumber ? `-v${versionNumber}` : ''}`;
		if (format === 'md') return { filename: `${base}.md`, contentType: 'text/markdown; charset=utf-8', body: `# ${escapeMd(draft.title)}\n\n${toMarkdown(json)}` };
		if (format === 'html') return { filename: `${base}.html`, contentType: 'text/html; charset=utf-8', body: toHtml(json, { title: draft.title, lang }) };
		return { filename: `${base}.pdf`, contentType: 'application/pdf', body: await toPdf(json, { title: draft.title, subtitle, lang }) };
	}
}

/** ProseMirror JSON of a document state. */
export function jsonOf(state: Uint8Array): PmNode {
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, state);
		return docToJson(doc);
	} finally {
		doc.destroy();
	}
}

const validAnchor = (a: string | null | undefined): a is string => typeof a === 'string' && a.length > 0 && a.length < 500 && /^[A-Za-z0-9+/=]+$/.test(a);

/** Decodes a base64 Yjs relative position; null when it is not one. */
export function relativePosition(b64: string): Y.RelativePosition | null {
	if (!validAnchor(b64)) return null;
	try {
		return Y.decodeRelativePosition(Buffer.from(b64, 'base64'));
	} catch {
		return null;
	}
}

/** The text between two anchors in a document state, when both lie in the same block of text (null otherwise). */
export function passageOf(state: Uint8Array, startB64: string, endB64: string): string | null {
	const start = relativePosition(startB64);
	const end = relativePosition(endB64);
	if (!start || !end) return null;
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, state);
		doc.getXmlFragment('default');
		const a = Y.createAbsolutePositionFromRelativePosition(start, doc);
		const b = Y.createAbsolutePositionFromRelativePosition(end, doc);
		if (!a || !b || a.type !== b.type || !(a.type instanceof Y.XmlText) || b.index <= a.index) return null;
		return plainOf(a.type).slice(a.index, b.index);
	} catch {
		return null; // decodes as a position, but of nothing this document has
	} finally {
		doc.destroy();
	}
}

/** Replaces the text between two anchors (in one block) by `replacement`, in the caller's transaction. */
export function replacePassage(doc: Y.Doc, startB64: string, endB64: string, replacement: string): boolean {
	const start = relativePosition(startB64);
	const end = relativePosition(endB64);
	if (!start || !end) return false;
	doc.getXmlFragment('default');
	const a = Y.createAbsolutePositionFromRelativePosition(start, doc);
	const b = Y.createAbsolutePositionFromRelativePosition(end, doc);
	if (!a || !b || a.type !== b.type || !(a.type instanceof Y.XmlText) || b.index < a.index) return false;
	a.type.delete(a.index, b.index - a.index);
	if (replacement) a.type.insert(a.index, replacement);
	return true;
}

/** A Y.XmlText's characters without formatting. */
function plainOf(text: Y.XmlText): string {
	return text
		.toDelta()
		.map((op: { insert?: unknown }) => (typeof op.insert === 'string' ? op.insert : ''))
		.join('');
}
