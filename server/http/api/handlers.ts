import type { Services } from '../../context.js';
import type { Authenticated } from '../../services/auth.service.js';
import type { EndpointId } from '../../../src/lib/shared/api/endpoints.js';
import type { Locale } from '../../../src/lib/shared/types.js';
import { DomainError } from '../../../src/lib/shared/errors.js';
import { decodeCursor, isNumber, isPair, keysetPage, pageAfter } from './paging.js';

/** What one request of the API carries to its handler, parameters already validated by the endpoint's schemas. */
export interface ApiCall {
	auth: Authenticated | null;
	params: Record<string, unknown>;
	query: Record<string, unknown>;
	locale: Locale;
}

type Handler = (services: Services, call: ApiCall) => Promise<unknown>;

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
const num = (v: unknown) => v as number;
const str = (v: unknown) => v as string;
const limitOf = (call: ApiCall) => num(call.query.limit);
const cursorOf = (call: ApiCall) => call.query.cursor as string | undefined;
/** The position the request's cursor names, checked by `valid` (a 400 when it is not one of this list's). */
const positionOf = <T>(call: ApiCall, valid: (v: unknown) => v is T) => decodeCursor(cursorOf(call), valid);
/** What a service is asked for: the page and one row more, which tells whether a next page exists. */
const pageAndOne = (call: ApiCall) => limitOf(call) + 1;
/** A short list the service gives whole, paged by its position there, keyed by a field that identifies each item. */
const inOrder = <T>(call: ApiCall, items: T[], key: (item: T) => string | number) => pageAfter(items, key, cursorOf(call), limitOf(call));

/**
 * Each endpoint: the same service call the page makes (the service authorises, as for the page), its view mapped to
 * the API's shape. Times become ISO 8601; what only a page needs (what the reader may do there) is left out.
 */
export const HANDLERS: Record<EndpointId, Handler> = {
	async listDecisions(s, call) {
		const after = positionOf(call, isPair);
		const rows = await s.votes.decisionEntries(call.auth, { group: call.query.group as string | undefined, before: after && { decidedAt: after[0], id: after[1] }, limit: pageAndOne(call) });
		return keysetPage(rows, limitOf(call), (d) => [d.decidedAt, d.id], decision);
	},
	async getDecision(s, call) {
		const [found] = await s.votes.decisionEntries(call.auth, { id: num(call.params.id), limit: 1 });
		if (!found) throw new DomainError('not_found');
		return decision(found);
	},
	// Meetings, votes and drafts are read from the cursor's position on, in the list's order, by the same query as
	// their pages: a page costs its own rows, and a cursor whose row has gone since (deleted, or no longer readable)
	// still names a place in the order.
	async listMeetings(s, call) {
		const after = positionOf(call, isPair);
		const rows = await s.meetings.list(call.auth, { past: call.query.past === 'true', after: after && { startsAt: after[0], id: after[1] }, limit: pageAndOne(call) });
		return keysetPage(rows, limitOf(call), (m) => [m.startsAt, m.id], meetingSummary);
	},
	async getMeeting(s, call) {
		const m = await s.meetings.get(call.auth, num(call.params.id));
		return { ...meetingSummary(m), description: m.description, quorum: m.quorum, chairs: m.chairs, agenda: m.agenda, minutesDraftId: m.minutesDraftId };
	},
	async listVotes(s, call) {
		const rows = await s.votes.list(call.auth, { closed: call.query.closed === 'true', after: positionOf(call, isNumber), limit: pageAndOne(call) });
		return keysetPage(rows, limitOf(call), (v) => v.id, voteSummary);
	},
	async getVote(s, call) {
		const v = await s.votes.get(call.auth, num(call.params.id));
		return {
			...voteSummary(v),
			description: v.description,
			options: v.options,
			visibility: v.visibility,
			results: v.results,
			quorum: v.quorum,
			threshold: v.threshold,
			openedAt: isoOrNull(v.openedAt),
			closedAt: isoOrNull(v.closedAt),
			// Whatever the vote's own rule shows live or after voting, the API gives the result only once it is closed.
			result: v.status === 'closed' ? v.tally.result : null,
			decisionId: v.decisionId
		};
	},
	async listSpaces(s, call) {
		const spaces = (await s.forum.categories(call.auth)).map((c) => ({
			slug: c.slug,
			kind: c.kind,
			field: c.fieldSlug,
			group: c.groupSlug && c.groupName ? { slug: c.groupSlug, name: c.groupName } : null,
			visibility: c.visibility,
			archived: c.archived,
			threadCount: c.threadCount,
			postCount: c.postCount,
			lastPostAt: isoOrNull(c.lastPostAt)
		}));
		return inOrder(call, spaces, (c) => c.slug);
	},
	async listThreads(s, call) {
		// Keyed by where the page's last thread stands (pinned, latest activity, id): a thread bumped or pinned between
		// two pages is neither repeated nor pushes another past the reader.
		const after = positionOf(call, (v): v is [number, number, number] => Array.isArray(v) && v.length === 3 && v.every(Number.isSafeInteger));
		const rows = await s.forum.threadsAfter(call.auth, str(call.params.slug), after ? { pinned: after[0], lastPostAt: after[1], id: after[2] } : null, pageAndOne(call));
		return keysetPage(rows, limitOf(call), ({ key }) => [key.pinned, key.lastPostAt, key.id], (r) => threadSummary(r.thread));
	},
	async getThread(s, call) {
		const page = await s.forum.thread(call.auth, num(call.params.id), 1);
		return { ...threadSummary(page.thread), space: page.category.slug };
	},
	async listPosts(s, call) {
		const after = positionOf(call, (v): v is number => isNumber(v) && v >= 0) ?? 0;
		const posts = await s.forum.postsSince(call.auth, num(call.params.id), after);
		return keysetPage(posts, limitOf(call), (p) => p.id, (p) => ({
			id: p.id,
			threadId: p.threadId,
			parentId: p.parentId,
			author: p.author,
			state: p.state,
			html: p.html === null ? null : String(p.html),
			createdAt: iso(p.createdAt),
			editedAt: isoOrNull(p.editedAt)
		}));
	},
	async listDrafts(s, call) {
		const after = positionOf(call, isPair);
		const rows = await s.drafts.list(call.auth, { archived: call.query.archived === 'true', after: after && { updatedAt: after[0], id: after[1] }, limit: pageAndOne(call) });
		return keysetPage(rows, limitOf(call), (d) => [d.updatedAt, d.id], (d) => ({ ...d, updatedAt: iso(d.updatedAt) }));
	},
	async getDraft(s, call) {
		const d = await s.drafts.get(call.auth, num(call.params.id));
		return { ...d, updatedAt: iso(d.updatedAt), createdAt: iso(d.createdAt) };
	},
	async listDraftVersions(s, call) {
		const versions = await s.drafts.versions(call.auth, num(call.params.id), { after: positionOf(call, isNumber), limit: pageAndOne(call) });
		return keysetPage(versions, limitOf(call), (v) => v.number, (v) => ({ ...v, createdAt: iso(v.createdAt) }));
	},
	async getDraftVersion(s, call) {
		const { version, html } = await s.drafts.versionHtml(call.auth, num(call.params.id), num(call.params.number));
		return { ...version, createdAt: iso(version.createdAt), draftId: num(call.params.id), html };
	},
	async listOrganisations(s, call) {
		return inOrder(call, await s.organisations.list(), (o) => o.slug);
	},
	async getOrganisation(s, call) {
		return s.organisations.page(call.auth, str(call.params.slug));
	},
	async listGroups(s, call) {
		return inOrder(call, (await s.network.publicOverview(call.locale)).groups, (g) => g.slug);
	},
	async listFields(s, call) {
		const [{ fields }, names] = await Promise.all([s.network.publicOverview(call.locale), s.fields.names(call.locale)]);
		return inOrder(call, fields.map((slug) => ({ slug, name: names[slug] ?? slug })), (f) => f.slug);
	}
};

type DecisionEntry = Awaited<ReturnType<Services['votes']['decisionEntries']>>[number];
function decision(d: DecisionEntry) {
	return {
		...d,
		decidedAt: iso(d.decidedAt),
		draft: d.draft ? { id: d.draft.id, title: d.draft.title, version: d.draft.number, hash: d.draft.hash } : null
	};
}

type MeetingEntry = Awaited<ReturnType<Services['meetings']['list']>>[number];
const meetingSummary = (m: MeetingEntry) => ({ ...m, startsAt: iso(m.startsAt), endsAt: iso(m.endsAt) });

type VoteEntry = Awaited<ReturnType<Services['votes']['list']>>[number];
const voteSummary = (v: VoteEntry) => ({ ...v, opensAt: isoOrNull(v.opensAt), closesAt: isoOrNull(v.closesAt) });

type ThreadEntry = Awaited<ReturnType<Services['forum']['category']>>['threads'][number];
const threadSummary = (t: ThreadEntry) => ({ ...t, createdAt: iso(t.createdAt), lastPostAt: iso(t.lastPostAt) });
