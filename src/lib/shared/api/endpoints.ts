/**
 * The read API's endpoints, declared once: the server validates each request's parameters and serialises each
 * answer with these schemas (server/http/api), the OpenAPI document and the docs page at /api are generated from them.
 */
import { z } from 'zod';
import { LOCALES } from '../types.js';
import * as s from './schemas.js';

/** The most items one page may hold; the default when `limit` is not given. */
export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 25;

const recordId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).describe('A numeric id');
const slug = z.string().min(1).max(100).describe('An address part, e.g. "vlora-art"');
const flag = z.enum(['true', 'false']).optional();

/** `cursor` and `limit`, on every list. */
export const pageParams = {
	cursor: z.string().max(200).optional().describe('The value of next from the previous page'),
	limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE).describe(`Items per page (1–${MAX_PAGE})`)
};
const lang = { lang: z.enum(LOCALES).optional().describe('Language of network texts (names, descriptions): sq, en or el; default the member’s own, or the network’s') };

export interface Endpoint {
	/** The OpenAPI operationId; also names the endpoint's description on the docs page. */
	id: string;
	/** Under /api/v1, with {name} for path parameters. */
	path: string;
	summary: string;
	params?: z.ZodObject;
	query?: z.ZodObject;
	response: z.ZodType;
	/** Lists: cursor-paged, answering `{ data, next }`. */
	paged?: boolean;
}

const paged = <T extends z.ZodType>(item: T, name: string) => s.pageOf(item, name);

export const ENDPOINTS = [
	{ id: 'listDecisions', path: '/decisions', summary: 'The register of decisions, newest first', query: z.object({ ...pageParams, group: slug.optional().describe('Only this group’s decisions') }), response: paged(s.Decision, 'DecisionPage'), paged: true },
	{ id: 'getDecision', path: '/decisions/{id}', summary: 'One decision', params: z.object({ id: recordId }), response: s.Decision },
	{ id: 'listMeetings', path: '/meetings', summary: 'Upcoming meetings (soonest first), or past ones with past=true (latest first)', query: z.object({ ...pageParams, past: flag.describe('true: meetings that have ended') }), response: paged(s.MeetingSummary, 'MeetingPage'), paged: true },
	{ id: 'getMeeting', path: '/meetings/{id}', summary: 'A meeting with its agenda', params: z.object({ id: recordId }), response: s.Meeting },
	{ id: 'listVotes', path: '/votes', summary: 'Current votes (scheduled and open), or closed ones with closed=true; newest first', query: z.object({ ...pageParams, closed: flag.describe('true: closed votes') }), response: paged(s.VoteSummary, 'VotePage'), paged: true },
	{ id: 'getVote', path: '/votes/{id}', summary: 'A vote, with its result once closed', params: z.object({ id: recordId }), response: s.Vote },
	{ id: 'listSpaces', path: '/spaces', summary: 'The forum spaces the reader may read', query: z.object(pageParams), response: paged(s.Space, 'SpacePage'), paged: true },
	{ id: 'listThreads', path: '/spaces/{slug}/threads', summary: 'Threads of a space, pinned first, then by latest activity', params: z.object({ slug }), query: z.object(pageParams), response: paged(s.ThreadSummary, 'ThreadPage'), paged: true },
	{ id: 'getThread', path: '/threads/{id}', summary: 'A thread', params: z.object({ id: recordId }), response: s.Thread },
	{ id: 'listPosts', path: '/threads/{id}/posts', summary: 'The posts of a thread, oldest first (the opening post first)', params: z.object({ id: recordId }), query: z.object(pageParams), response: paged(s.Post, 'PostPage'), paged: true },
	{ id: 'listDrafts', path: '/drafts', summary: 'Policy drafts, or archived ones with archived=true; latest change first', query: z.object({ ...pageParams, archived: flag.describe('true: archived drafts') }), response: paged(s.DraftSummary, 'DraftPage'), paged: true },
	{ id: 'getDraft', path: '/drafts/{id}', summary: 'A policy draft', params: z.object({ id: recordId }), response: s.Draft },
	{ id: 'listDraftVersions', path: '/drafts/{id}/versions', summary: 'The versions of a draft, newest first', params: z.object({ id: recordId }), query: z.object(pageParams), response: paged(s.DraftVersion, 'DraftVersionPage'), paged: true },
	{ id: 'getDraftVersion', path: '/drafts/{id}/versions/{number}', summary: 'A version of a draft with its text and hash', params: z.object({ id: recordId, number: recordId }), response: s.DraftVersionText },
	{ id: 'listOrganisations', path: '/organisations', summary: 'Member organisations', query: z.object(pageParams), response: paged(s.OrganisationSummary, 'OrganisationPage'), paged: true },
	{ id: 'getOrganisation', path: '/organisations/{slug}', summary: 'A member organisation', params: z.object({ slug }), response: s.Organisation },
	{ id: 'listGroups', path: '/groups', summary: 'Groups of the network', query: z.object({ ...pageParams, ...lang }), response: paged(s.Group, 'GroupPage'), paged: true },
	{ id: 'listFields', path: '/fields', summary: 'Fields of action', query: z.object({ ...pageParams, ...lang }), response: paged(s.Field, 'FieldPage'), paged: true }
] as const satisfies readonly Endpoint[];

export type EndpointId = (typeof ENDPOINTS)[number]['id'];
