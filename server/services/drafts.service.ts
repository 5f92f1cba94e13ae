import type { Db } from '../db/client.js';
import * as repo from '../db/repositories/draft.repository.js';
import { findGroupBySlug } from '../db/repositories/group.repository.js';
import { setThreadFloor } from '../db/repositories/forum.repository.js';
import { listFieldSlugs } from '../db/repositories/network.repository.js';
import {
	canAmendDraft,
	canCommentDraft,
	canEditDraft,
	canManageDraft,
	canReadDraft,
	canRestoreDraft,
	TRANSITIONS,
	transitionProblem,
	type Draft,
	type DraftFacts
} from '../domain/drafts.js';
import { authorView } from '../domain/people.js';
import { facilitates, hasRole, isActiveMember } from '../domain/permissions.js';
import { canAmendFromSuggestion, canReviewSuggestions, canSuggestDraft } from '../domain/suggestions.js';
import { checkText, collect } from '../domain/validation.js';
import type { EventBus } from '../events/bus.js';
import { DomainError, isDomainError } from '../../src/lib/shared/errors.js';
import type { DraftStatus, DraftSummary, DraftView } from '../../src/lib/shared/drafts.js';
import type { Outcome } from '../../src/lib/shared/votes.js';
import type { Abilities } from './abilities.service.js';
import type { Authenticated } from './auth.service.js';
import type { DocumentAccess } from './document-access.service.js';
import type { DocumentsService } from './documents.service.js';
import { DraftAmendments } from './draft-amendments.service.js';
import { DraftComments } from './draft-comments.service.js';
import { DraftExports } from './draft-exports.service.js';
import { DraftOutcomes } from './draft-outcomes.js';
import { DraftSuggestions } from './draft-suggestions.service.js';
import { DraftTranslations } from './draft-translations.service.js';
import { DraftVersions } from './draft-versions.service.js';
import { insertTranslationVersion } from '../db/repositories/draft-translation.repository.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import { recordWebhookEvent } from '../db/repositories/webhook-event.repository.js';
import { draftMoveEvent } from '../domain/webhooks.js';
import { freezeProblem } from '../domain/translations.js';
import type { Locale } from '../../src/lib/shared/types.js';
import type { ForumWritingService } from './forum-writing.service.js';
import type { RateLimits } from './rate-limits.js';

export const docNameOf = (draftId: number) => `draft:${draftId}`;

/** A draft someone may read, with the rules' view of it for that person. */
export interface ReadableDraft {
	draft: Draft;
	facts: DraftFacts;
}

/** What the parts of the drafts service (versions, comments, amendments, exports) work with. */
export interface DraftParts {
	db: Db;
	bus: EventBus;
	documents: DocumentsService;
	clock: () => number;
	/** The draft if this person may read it; refuses with not_found (unauthenticated for visitors) otherwise. */
	readable(auth: Authenticated | null, id: number): Promise<ReadableDraft>;
}

/** The one mapper from a draft's row (with its group and author) to the draft services work with. */
export function draftRowToDraft(row: repo.DraftWithOwner): Draft {
	return {
		id: row.id,
		title: row.title,
		summary: row.summary,
		status: row.status,
		visibility: row.visibility,
		group: row.group_slug && row.group_name ? { slug: row.group_slug, name: row.group_name } : null,
		author: authorView(row.created_by, row.author_name, row.author_status),
		updatedAt: row.updated_at,
		groupId: row.group_id,
		threadId: row.thread_id,
		createdBy: row.created_by,
		createdAt: row.created_at,
		decidedBy: row.decided_by_vote_id !== null ? { voteId: row.decided_by_vote_id, title: row.decided_by_vote_title ?? '' } : null
	};
}

const summaryOf = ({ id, title, summary, status, visibility, group, author, updatedAt }: Draft): DraftSummary => ({
	id,
	title,
	summary,
	status,
	visibility,
	group,
	author,
	updatedAt
});

/**
 * Policy drafts: co-edited text (a Yjs document kept by DocumentsService) and its lifecycle here; named versions and
 * diffs, anchored comments, amendments on a frozen version and exports in their own parts, reached through this
 * facade. Who may do what is decided by server/domain/drafts.ts for pages, actions and the document connection alike.
 */
export class DraftsService {
	readonly #versions: DraftVersions;
	readonly #comments: DraftComments;
	readonly #amendments: DraftAmendments;
	readonly #exports: DraftExports;
	readonly #suggestions: DraftSuggestions;
	readonly #translations: DraftTranslations;
	readonly #outcomes: DraftOutcomes;

	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		private readonly documents: DocumentsService,
		private readonly forum: ForumWritingService,
		private readonly abilities: Abilities,
		private readonly clock: () => number = Date.now,
		/** The network's primary language: a draft's source language until a translation fixes it. */
		primary: () => Locale = () => 'sq',
		/**
		 * What a member may write in a while (an amendment, proposed or made from a suggestion, counts as a post: each
		 * may store a version of the text).
		 */
		limits: RateLimits | null = null
	) {
		const parts: DraftParts = { db, bus, documents, clock, readable: (auth, id) => this.#readable(auth, id) };
		this.#versions = new DraftVersions(parts);
		this.#translations = new DraftTranslations(parts, primary, (name) => this.#versions.snapshotOf(name));
		this.#outcomes = new DraftOutcomes(db, bus, clock, (id) => this.#translations.docNames(id));
		this.#comments = new DraftComments(parts, this.#translations);
		this.#amendments = new DraftAmendments(parts, this.#versions, this.#translations, limits);
		this.#exports = new DraftExports(parts, this.#translations);
		this.#suggestions = new DraftSuggestions(parts, this.#versions, limits);
	}

	async #facts(auth: Authenticated | null, d: Draft): Promise<DraftFacts> {
		const role = await this.abilities.roleIn(auth, d.groupId);
		return { status: d.status, visibility: d.visibility, groupId: d.groupId, createdBy: d.createdBy, inGroup: role !== null, facilitates: facilitates(auth?.actor ?? null, role) };
	}

	/** The draft and the rules' view of it, if it exists and this person may read it; null otherwise. */
	async #find(auth: Authenticated | null, id: number): Promise<ReadableDraft | null> {
		const row = Number.isSafeInteger(id) && id > 0 ? await repo.findDraft(this.db, id) : undefined;
		if (!row) return null;
		const draft = draftRowToDraft(row);
		const facts = await this.#facts(auth, draft);
		return canReadDraft(auth?.actor ?? null, facts) ? { draft, facts } : null;
	}

	async #readable(auth: Authenticated | null, id: number): Promise<ReadableDraft> {
		const found = await this.#find(auth, id);
		// Not found either way (no existence leak); a visitor is told to sign in whether or not a members-only draft
		// exists, so ids are not probed that way.
		if (!found) throw new DomainError(auth ? 'not_found' : 'unauthenticated');
		return found;
	}

	/** May this person read the draft (and so watch it, see it in a vote or on an agenda)? */
	async mayRead(auth: Authenticated | null, id: number): Promise<boolean> {
		return (await this.#find(auth, id)) !== null;
	}

	/**
	 * Access to the draft's Yjs document: write for editors, suggest for others who may comment while the text is open
	 * to change, read for other readers, null for everyone else.
	 */
	async documentAccess(auth: Authenticated | null, id: number): Promise<DocumentAccess | null> {
		const found = await this.#find(auth, id);
		if (!found) return null;
		const actor = auth?.actor ?? null;
		return canEditDraft(actor, found.facts) ? 'write' : canSuggestDraft(actor, found.facts) ? 'suggest' : 'read';
	}

	/** May this person start a draft (the "new" button)? */
	mayCreate(auth: Authenticated | null): boolean {
		return isActiveMember(auth?.actor ?? null);
	}

	/**
	 * The drafts this person may see, latest change first, read only as far as asked: the drafts page reads up to 200,
	 * the API a page after a draft's key. Who sees what is decided in the query (visitors: public drafts), as
	 * canReadDraft decides it for one draft.
	 */
	async list(auth: Authenticated | null, opts: { archived?: boolean; after?: repo.DraftKey; limit?: number } = {}): Promise<DraftSummary[]> {
		const rows = await repo.listDrafts(this.db, { member: isActiveMember(auth?.actor ?? null), archived: !!opts.archived, after: opts.after, limit: opts.limit });
		return rows.map((row) => summaryOf(draftRowToDraft(row)));
	}

	/** The group a draft belongs to (null: the whole network's), for one who may read it: the body that decides it. */
	async bodyOf(auth: Authenticated | null, id: number): Promise<number | null> {
		return (await this.#readable(auth, id)).draft.groupId;
	}

	async get(auth: Authenticated | null, id: number): Promise<DraftView> {
		const { draft, facts } = await this.#readable(auth, id);
		const actor = auth?.actor ?? null;
		const manage = canManageDraft(actor, facts);
		return {
			...summaryOf(draft),
			threadId: draft.threadId,
			createdAt: draft.createdAt,
			decidedBy: draft.decidedBy,
			docName: docNameOf(draft.id),
			can: {
				edit: canEditDraft(actor, facts),
				manage,
				restore: canRestoreDraft(actor, facts),
				comment: canCommentDraft(actor, facts),
				amend: canAmendDraft(actor, facts),
				// "Put to a vote" leads to the new-vote page, which only those who may call votes can use (a steward who may
				// not was shown the button and met a 403).
				callVote: await this.abilities.mayCall(auth),
				suggest: canSuggestDraft(actor, facts),
				review: canReviewSuggestions(actor, facts),
				amendFromSuggestion: canAmendFromSuggestion(actor, facts)
			},
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
			if (!(await this.abilities.roleIn(auth, group.id)) && !hasRole(auth.actor, 'coordinator')) throw new DomainError('forbidden', 'not in the group');
			await this.abilities.refuseArchivedGroup(group.id);
			groupId = group.id;
		}
		// A draft opens its debate thread: a member out of posts for now is told before anything is made.
		await this.forum.checkPostingLimit(auth);
		const now = this.clock();
		const title = input.title.trim();
		const summary = input.summary.trim();
		const id = await repo.insertDraft(this.db, { title, summary, group_id: groupId, visibility: input.visibility as 'public' | 'members', created_by: auth.actor.id, created_at: now });
		// The debate thread, in the group's space or the field's; the draft stands even if this fails. The space may be
		// public (or be made so later): a members-only draft's thread carries the draft's floor from its first moment.
		try {
			const threadId = await this.forum.createThread(auth, {
				category: input.group ? `group-${input.group}` : input.field,
				title,
				body: `${summary ? `${summary}\n\n` : ''}→ /drafts/${id}`,
				tags: 'draft',
				membersOnly: input.visibility === 'members'
			});
			await this.db.transaction().execute(async (trx) => {
				await repo.setDraftThread(trx, id, threadId);
				// As the draft stands now: its stewards may have changed who sees it while the thread was being opened.
				const row = await repo.findDraft(trx, id);
				if (row && row.visibility !== input.visibility) await setThreadFloor(trx, threadId, row.visibility === 'members');
			});
		} catch (error) {
			if (!isDomainError(error)) throw error;
		}
		this.bus.emit('draft.changed', { draftId: id });
		return id;
	}

	/**
	 * Moves the draft along its lifecycle. Freezing saves a version of the text in every language, without pending
	 * suggestions; it is refused while a translation has paragraphs to update or a suggestion waits for review,
	 * unless the steward confirmed freezing so (`outdatedConfirmed`, `suggestionsConfirmed`: both recorded). Every
	 * move re-admits open editors of every language.
	 */
	async setStatus(auth: Authenticated | null, id: number, to: string, opts: { outdatedConfirmed?: boolean; suggestionsConfirmed?: boolean } = {}): Promise<void> {
		const { draft, facts } = await this.#readable(auth, id);
		if (!(to in TRANSITIONS)) throw new DomainError('invalid_input', 'no such status');
		const problem = transitionProblem(auth?.actor ?? null, facts, to as DraftStatus);
		if (problem) throw new DomainError(problem, `cannot move from ${draft.status} to ${to}`);
		const now = this.clock();
		const names = await this.#translations.docNames(draft.id);
		const readmit = () => names.forEach((name) => this.bus.emit('document.access_changed', { name }));
		const move = async () => {
			// Frozen: the version is the text exactly as it stays (the documents are sealed while it is taken and the
			// status changes; writers are then dropped and come back as readers).
			// Again under the seal: what was confirmed is what is frozen.
			const pending = to === 'frozen' ? await this.#confirmedFreeze(draft.id, names, opts) : 0;
			const snapshot = to === 'frozen' ? await this.#versions.snapshot(draft.id) : null;
			const translations = to === 'frozen' ? await this.#translations.freezing(draft.id, !!opts.outdatedConfirmed) : [];
			await this.db.transaction().execute(async (trx) => {
				// From the status this decision was made on: two stewards moving it at once cannot both succeed.
				if (!(await repo.moveDraftStatus(trx, draft.id, draft.status, to as DraftStatus, now))) throw new DomainError('conflict', 'moved meanwhile');
				const announced = draftMoveEvent(to);
				if (announced) await recordWebhookEvent(trx, announced, draft.id, now);
				if (!snapshot) return;
				const number = await repo.insertVersion(trx, { draft_id: draft.id, name: '', auto: 1, created_by: auth!.actor.id, created_at: now, ...snapshot });
				if (pending) {
					await insertAudit(trx, { actor_id: auth!.actor.id, action: 'draft.frozen_with_suggestions', subject_type: 'draft', subject_id: String(draft.id), data: { version: number, suggestions: pending }, created_at: now });
				}
				if (!translations.length) return;
				const version = (await repo.findVersion(trx, draft.id, number))!;
				for (const t of translations) await insertTranslationVersion(trx, { version_id: version.id, lang: t.lang, outdated: t.outdated, ...t.snapshot });
				const outdated = Object.fromEntries(translations.filter((t) => t.outdated > 0).map((t) => [t.lang, t.outdated]));
				if (Object.keys(outdated).length) {
					await insertAudit(trx, { actor_id: auth!.actor.id, action: 'draft.frozen_outdated', subject_type: 'draft', subject_id: String(draft.id), data: { version: number, outdated }, created_at: now });
				}
			});
			// Watchers hear of it first (then leave the room to be re-authorised), then editors are re-admitted.
			this.bus.emit('draft.changed', { draftId: draft.id });
			this.bus.emit('draft.status_changed', { draftId: draft.id, to });
			readmit();
		};
		const sealedAll = (rest: string[]): Promise<void> => (rest.length ? this.documents.sealed(rest[0], () => sealedAll(rest.slice(1))) : move());
		// Asked first without sealing anything: a refusal leaves every editor connected.
		if (to === 'frozen') await this.#confirmedFreeze(draft.id, names, opts);
		try {
			if (to === 'frozen') await sealedAll(names);
			else await move();
		} catch (error) {
			// Writers whose changes the seal dropped reconnect and send them again.
			if (to === 'frozen') readmit();
			throw error;
		}
	}

	/**
	 * What a freeze needs the steward to have confirmed, refused with every item at once (the page lists them in one
	 * form): translations with paragraphs to update, suggestions waiting for review. Returns how many suggestions wait.
	 */
	async #confirmedFreeze(draftId: number, names: string[], opts: { outdatedConfirmed?: boolean; suggestionsConfirmed?: boolean }): Promise<number> {
		const pending = await this.#suggestions.pending(names);
		const toConfirm: Record<string, string> = {};
		if (!opts.outdatedConfirmed && freezeProblem(await this.#translations.toUpdate(draftId), false)) toConfirm.translations = 'outdated';
		if (pending && !opts.suggestionsConfirmed) toConfirm.suggestions = String(pending);
		if (Object.keys(toConfirm).length) throw new DomainError('invalid_input', 'freezing needs a confirmation', toConfirm);
		return pending;
	}

	/** Takes back a freeze whose vote could not be made (MinutesApproval): see DraftOutcomes. */
	unfreeze = (id: number, to: 'drafting' | 'review'): Promise<boolean> => this.#outcomes.unfreeze(id, to);

	/** The outcome of a vote on a whole version (VotesService, as the vote closes): see DraftOutcomes. */
	decideByVote = (voteId: number, versionId: number, outcome: Outcome): Promise<'adopted' | 'rejected' | null> => this.#outcomes.decideByVote(voteId, versionId, outcome);

	/**
	 * Sets who may see the draft (its stewards), and its debate thread's floor with it, in one transaction. Narrowed
	 * to members, visitors and applicants reading the draft or its thread lose them at once, on every open page,
	 * socket room and document connection (access.changed).
	 */
	async setVisibility(auth: Authenticated | null, id: number, visibility: string): Promise<void> {
		const { draft, facts } = await this.#readable(auth, id);
		if (!canManageDraft(auth?.actor ?? null, facts)) throw new DomainError('forbidden');
		if (visibility !== 'public' && visibility !== 'members') throw new DomainError('invalid_input', 'no such visibility', { visibility: 'required' });
		const threadId = await this.db.transaction().execute(async (trx) => {
			if (!(await repo.setDraftVisibility(trx, draft.id, visibility, this.clock()))) return undefined;
			// The thread as linked now, in this transaction (create links it after opening it).
			const linked = (await repo.findDraft(trx, draft.id))?.thread_id ?? null;
			if (linked !== null) await setThreadFloor(trx, linked, visibility === 'members');
			return linked;
		});
		if (threadId === undefined) return;
		this.bus.emit('draft.changed', { draftId: draft.id });
		this.bus.emit('access.changed', { draftId: draft.id });
		if (threadId !== null) this.bus.emit('access.changed', { threadId });
	}

	// The parts, under the names routes, handlers and other services have always called.

	saveVersion: DraftVersions['save'] = (auth, id, name) => this.#versions.save(auth, id, name);
	restoreVersion: DraftVersions['restore'] = (auth, id, number) => this.#versions.restore(auth, id, number);
	versions: DraftVersions['list'] = (auth, id, page) => this.#versions.list(auth, id, page);
	versionHtml: DraftVersions['html'] = (auth, id, number) => this.#versions.html(auth, id, number);
	currentHtml: DraftVersions['currentHtml'] = (auth, id) => this.#versions.currentHtml(auth, id);
	diff: DraftVersions['diff'] = (auth, id, from, to) => this.#versions.diff(auth, id, from, to);
	comments: DraftComments['list'] = (auth, id) => this.#comments.list(auth, id);
	comment: DraftComments['add'] = (auth, id, input) => this.#comments.add(auth, id, input);
	resolveComment: DraftComments['resolve'] = (auth, id, commentId, resolved) => this.#comments.resolve(auth, id, commentId, resolved);
	amendments: DraftAmendments['list'] = (auth, id) => this.#amendments.list(auth, id);
	amendmentAlternatives: DraftAmendments['alternatives'] = (auth, id, amendmentId) => this.#amendments.alternatives(auth, id, amendmentId);
	propose: DraftAmendments['propose'] = (auth, id, input) => this.#amendments.propose(auth, id, input);
	withdraw: DraftAmendments['withdraw'] = (auth, id, amendmentId) => this.#amendments.withdraw(auth, id, amendmentId);
	decideAmendment: DraftAmendments['decide'] = (amendmentId, adopted, voteId) => this.#amendments.decide(amendmentId, adopted, voteId);
	suggestionToAmendment: DraftSuggestions['toAmendment'] = (auth, id, input) => this.#suggestions.toAmendment(auth, id, input);
	languages: DraftTranslations['view'] = (auth, id) => this.#translations.view(auth, id);
	addTranslation: DraftTranslations['add'] = (auth, id, lang) => this.#translations.add(auth, id, lang);
	confirmTranslation: DraftTranslations['confirm'] = (auth, id, lang, blockId) => this.#translations.confirm(auth, id, lang, blockId);
	translationRows: DraftTranslations['rows'] = (auth, id, lang) => this.#translations.rows(auth, id, lang);
	translationConfirmations: DraftTranslations['confirmations'] = (auth, id, lang) => this.#translations.confirmations(auth, id, lang);
	versionLanguages: DraftTranslations['versionLanguages'] = (draftId, versionId) => this.#translations.versionLanguages(draftId, versionId);
	/** Access to a translation's document (`draft-lang:<draft>-<lang>`): as to the draft's own. */
	translationAccess = (auth: Authenticated | null, id: string) => this.#translations.documentAccess(id, (draftId) => this.documentAccess(auth, draftId));
	export: DraftExports['file'] = (auth, id, format, versionNumber, lang, address, text, beside) => this.#exports.file(auth, id, format, versionNumber, lang, address, text, beside);
}
