/**
 * The read API's response shapes (server/http/api), declared once: the server serialises every answer through
 * these schemas (unknown keys dropped), and the OpenAPI document (./openapi.ts) is generated from the same ones.
 */
import { z } from 'zod';
import { GROUP_KINDS } from '../types.js';
import { METHODS, RESULTS_VISIBILITIES, THRESHOLDS } from '../votes.js';

/** Every schema with an `id` here becomes a component of the OpenAPI document. */
export const apiRegistry = z.registry<{ id: string; description?: string }>();

const named = <T extends z.ZodType>(schema: T, id: string, description?: string): T => {
	apiRegistry.add(schema, { id, description });
	return schema;
};

const id = z.int().positive();
const instant = z.iso.datetime().describe('A point in time, ISO 8601 in UTC');
const OUTCOMES = ['passed', 'failed', 'no_quorum', 'elected', 'tie', 'no_votes', 'blocked'] as const;

export const GroupRef = named(z.object({ slug: z.string(), name: z.string() }), 'GroupRef', 'A group of the network, by its address and name.');
export const AuthorRef = named(
	z.object({ id: id, name: z.string().nullable().describe('null for a deleted account (a former member)') }),
	'AuthorRef',
	'Who wrote something.'
);
const Visibility = z.enum(['public', 'members']);

export const VoteResult = named(
	z.object({
		method: z.enum(METHODS),
		participants: z.int().nonnegative(),
		eligible: z.int().nonnegative(),
		quorum: z.object({ reached: z.boolean(), needed: z.number().nonnegative() }),
		outcome: z.enum(OUTCOMES),
		reason: z.string().describe('Why the motion passed or not, as a code (e.g. "threshold_met")'),
		winners: z.array(z.int()).describe('Option ids that won (choice methods)'),
		counts: z.record(z.string(), z.number()).describe('Counts by choice or option id'),
		rounds: z
			.array(
				z.object({
					counts: z.record(z.string(), z.number()),
					exhausted: z.int().nonnegative(),
					eliminated: z.int().nullable(),
					tieBreak: z.enum(['first_preferences', 'earlier_rounds', 'ballot_order']).nullable()
				})
			)
			.optional()
			.describe('Ranked choice: the instant-runoff rounds'),
		averages: z.record(z.string(), z.number()).optional().describe('Score votes: the average score by option id')
	}),
	'VoteResult',
	'The result of a closed vote, recomputable from its ballots.'
);

const VoteOption = z.object({ id: z.int(), label: z.string() });

export const Decision = named(
	z.object({
		id: id,
		title: z.string(),
		outcome: z.enum(OUTCOMES),
		decidedAt: instant,
		visibility: Visibility,
		group: GroupRef.nullable(),
		voteId: id,
		options: z.array(VoteOption),
		result: VoteResult,
		threadId: id.nullable(),
		draft: z
			.object({ id: id, title: z.string(), version: z.int().nullable(), hash: z.string().nullable() })
			.nullable()
			.describe('The draft version decided on, when the reader may read the draft'),
		amendmentId: id.nullable(),
		meeting: z.object({ id: id, title: z.string() }).nullable()
	}),
	'Decision',
	'An entry of the register of decisions: what a closed vote decided.'
);

const MeetingBase = {
	id: id,
	title: z.string(),
	startsAt: instant,
	endsAt: instant,
	place: z.string(),
	onlineUrl: z.string(),
	group: GroupRef.nullable(),
	visibility: Visibility,
	status: z.enum(['scheduled', 'live', 'ended'])
};
export const MeetingSummary = named(z.object(MeetingBase), 'MeetingSummary', 'A meeting as lists show it.');

const VoteStatus = z.enum(['scheduled', 'open', 'closed', 'cancelled']);
export const AgendaItem = named(
	z.object({
		id: id,
		position: z.int(),
		title: z.string(),
		notes: z.string(),
		status: z.enum(['pending', 'current', 'done']),
		thread: z.object({ id: id, title: z.string() }).nullable(),
		draft: z.object({ id: id, title: z.string() }).nullable(),
		votes: z.array(z.object({ id: id, title: z.string(), method: z.enum(METHODS), status: VoteStatus, secret: z.boolean(), outcome: z.enum(OUTCOMES).nullable() }))
	}),
	'AgendaItem',
	'One item of a meeting agenda, with what it carries.'
);

export const Meeting = named(
	z.object({
		...MeetingBase,
		description: z.string(),
		quorum: z.object({ kind: z.enum(['none', 'count', 'share']), value: z.number() }),
		chairs: z.array(z.object({ id: id, name: z.string() })),
		agenda: z.array(AgendaItem),
		minutesDraftId: id.nullable()
	}),
	'Meeting',
	'A meeting with its agenda.'
);

const VoteBase = {
	id: id,
	title: z.string(),
	method: z.enum(METHODS),
	status: VoteStatus,
	secret: z.boolean(),
	eligibility: z.enum(['members', 'group', 'organisations']),
	group: GroupRef.nullable(),
	opensAt: instant.nullable(),
	closesAt: instant.nullable(),
	participants: z.int().nonnegative(),
	eligible: z.int().nonnegative(),
	outcome: z.enum(OUTCOMES).nullable().describe('Set once the vote is closed')
};
export const VoteSummary = named(z.object(VoteBase), 'VoteSummary', 'A vote as lists show it.');

export const Vote = named(
	z.object({
		...VoteBase,
		description: z.string(),
		options: z.array(VoteOption),
		visibility: Visibility,
		results: z.enum(RESULTS_VISIBILITIES).describe('When the vote shows its results'),
		quorum: z.object({ kind: z.enum(['none', 'count', 'share']), value: z.number() }),
		threshold: z.enum(THRESHOLDS),
		openedAt: instant.nullable(),
		closedAt: instant.nullable(),
		result: VoteResult.nullable().describe('Only after closing; never a ballot'),
		decisionId: id.nullable()
	}),
	'Vote',
	'A vote and, once it is closed, its result.'
);

export const Space = named(
	z.object({
		slug: z.string(),
		kind: z.enum(['field', 'group']),
		field: z.string().nullable().describe('The field of action (slug) of a field space'),
		group: GroupRef.nullable(),
		visibility: z.enum(['public', 'members', 'group']),
		archived: z.boolean(),
		threadCount: z.int().nonnegative(),
		postCount: z.int().nonnegative(),
		lastPostAt: instant.nullable()
	}),
	'Space',
	'A forum space (a field of action or a group) the reader may read.'
);

export const ThreadSummary = named(
	z.object({
		id: id,
		title: z.string(),
		tags: z.array(z.string()),
		pinned: z.boolean(),
		locked: z.boolean(),
		archived: z.boolean(),
		postCount: z.int().nonnegative(),
		createdAt: instant,
		lastPostAt: instant,
		author: AuthorRef
	}),
	'ThreadSummary',
	'A forum thread as lists show it.'
);

export const Thread = named(z.object({ ...ThreadSummary.shape, space: z.string().describe('The slug of its space') }), 'Thread', 'A forum thread.');

export const Post = named(
	z.object({
		id: id,
		threadId: id,
		parentId: id.nullable(),
		author: AuthorRef,
		state: z.enum(['visible', 'deleted', 'hidden']),
		html: z.string().nullable().describe('Sanitised HTML; null when deleted or hidden'),
		createdAt: instant,
		editedAt: instant.nullable()
	}),
	'Post',
	'A post of a thread (the opening post first).'
);

const DraftBase = {
	id: id,
	title: z.string(),
	summary: z.string(),
	status: z.enum(['drafting', 'review', 'frozen', 'adopted', 'rejected', 'archived']),
	visibility: Visibility,
	group: GroupRef.nullable(),
	author: AuthorRef,
	updatedAt: instant
};
export const DraftSummary = named(z.object(DraftBase), 'DraftSummary', 'A policy draft as lists show it.');
export const Draft = named(z.object({ ...DraftBase, threadId: id.nullable(), createdAt: instant }), 'Draft', 'A policy draft.');

export const DraftVersion = named(
	z.object({
		number: z.int().positive(),
		name: z.string(),
		auto: z.enum(['frozen']).nullable().describe('Why the version was saved automatically, if it was'),
		hash: z.string().describe('The content hash a vote on this version records'),
		createdAt: instant,
		author: AuthorRef.nullable()
	}),
	'DraftVersion',
	'A named version of a draft.'
);
export const DraftVersionText = named(
	z.object({ ...DraftVersion.shape, draftId: id, html: z.string().describe("The version's text as sanitised HTML") }),
	'DraftVersionText',
	'A version of a draft with its text.'
);

export const OrganisationSummary = named(
	z.object({ slug: z.string(), name: z.string(), city: z.string().nullable(), description: z.string() }),
	'OrganisationSummary',
	'A member organisation as lists show it.'
);
export const Organisation = named(
	z.object({
		slug: z.string(),
		name: z.string(),
		description: z.string(),
		city: z.string().nullable(),
		website: z.string().nullable(),
		fields: z.array(z.string()).describe('Fields of action (slugs)'),
		groups: z.array(z.object({ slug: z.string(), name: z.string(), kind: z.enum(GROUP_KINDS) })),
		representatives: z
			.array(z.object({ id: id, name: z.string(), city: z.string().nullable() }))
			.nullable()
			.describe('Only members of the network see who represents an organisation (null otherwise)')
	}),
	'Organisation',
	'A member organisation.'
);

export const Group = named(
	z.object({ slug: z.string(), name: z.string(), kind: z.enum(GROUP_KINDS), city: z.string().nullable(), description: z.string(), memberCount: z.int().nonnegative() }),
	'Group',
	'A group of the network.'
);
export const Field = named(z.object({ slug: z.string(), name: z.string() }), 'Field', 'A field of action, named in the language asked for.');

export const Problem = named(
	z.object({
		type: z.string().describe('A URI naming the kind of problem'),
		title: z.string(),
		status: z.int(),
		detail: z.string()
	}),
	'Problem',
	'An error, as RFC 9457 problem details (application/problem+json).'
);

/** A page of a list: the items and the opaque cursor of the next page (null on the last). */
export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
	named(z.object({ data: z.array(item), next: z.string().nullable().describe('Pass as the cursor parameter for the next page; null on the last page') }), id, `A page of ${id.replace(/Page$/, '')} items.`);
