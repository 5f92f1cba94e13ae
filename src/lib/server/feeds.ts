import { createHash } from 'node:crypto';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { statusName as draftStatusName } from '$lib/drafts/labels';
import { meetingStatusName, timeRange } from '$lib/meetings/labels';
import { outcomeName, reasonText } from '$lib/votes/labels';
import { authorName } from '$lib/forum/labels';
import { atomXml, feedUpdated, type AtomEntry, type AtomFeed } from '../../../server/render/atom.js';
import { appContext } from './context';
import { networkView } from './network';

/**
 * The network's Atom feeds, in the reader's language where there are labels (titles and texts members wrote stay
 * as written). What they list is the feeds service's: what a visitor may read, whoever asks.
 */

type FeedParts = Omit<AtomFeed, 'lang' | 'author' | 'emptyUpdated'>;

function feedOf(parts: FeedParts): AtomFeed {
	// An empty feed still needs an `updated`: a fixed instant, so that its ETag and Last-Modified stay put.
	return { ...parts, lang: getLocale(), author: networkView().name, emptyUpdated: Date.UTC(2026, 0, 1) };
}

const joined = (...parts: (string | null | undefined | false)[]) => parts.filter(Boolean).join(' · ');

export async function decisionsFeed(origin: string, self: string): Promise<AtomFeed> {
	const decisions = await appContext().services.feeds.decisions();
	return feedOf({
		self,
		alternate: `${origin}/decisions`,
		title: m.feed_decisions_title({ network: networkView().shortName }),
		subtitle: m.decisions_intro(),
		entries: decisions.map(
			(d): AtomEntry => ({
				id: `${origin}/decisions#decision-${d.id}`,
				link: `${origin}/decisions#decision-${d.id}`,
				title: d.title,
				updated: d.decidedAt,
				published: d.decidedAt,
				categories: [d.group ? d.group.name : m.votes_whole_network()],
				summary: joined(outcomeName(d.outcome, d.result.winners ?? [], d.options), d.group ? d.group.name : m.votes_whole_network(), d.result.reason ? reasonText(d.result, d.options) : null)
			})
		)
	});
}

export async function meetingsFeed(origin: string, self: string): Promise<AtomFeed> {
	const meetings = await appContext().services.feeds.meetingsList();
	return feedOf({
		self,
		alternate: `${origin}/meetings`,
		title: m.feed_meetings_title({ network: networkView().shortName }),
		entries: meetings.map(
			(mt): AtomEntry => ({
				id: `${origin}/meetings/${mt.id}`,
				link: `${origin}/meetings/${mt.id}`,
				title: mt.title,
				updated: mt.changedAt,
				categories: mt.group ? [mt.group.name] : [],
				summary: joined(timeRange(mt.startsAt, mt.endsAt), mt.place || (mt.onlineUrl ? m.meetings_online() : null), mt.group?.name, meetingStatusName(mt.status))
			})
		)
	});
}

/** A public forum space's new and active threads; not_found (a DomainError) for any other space. */
export async function spaceFeed(origin: string, self: string, slug: string): Promise<AtomFeed> {
	const { feeds, fields } = appContext().services;
	const { category, threads } = await feeds.space(slug);
	const name = category.kind === 'field' ? ((await fields.names(getLocale()))[category.fieldSlug ?? ''] ?? category.slug) : (category.groupName ?? category.slug);
	return feedOf({
		self,
		alternate: `${origin}/forum/${encodeURIComponent(category.slug)}`,
		title: m.feed_space_title({ space: name, network: networkView().shortName }),
		entries: threads.map(
			(t): AtomEntry => ({
				id: `${origin}/forum/t/${t.id}`,
				link: `${origin}/forum/t/${t.id}`,
				title: t.title,
				updated: t.lastPostAt,
				published: t.createdAt,
				author: authorName(t.author),
				categories: t.tags,
				summary: m.feed_thread_summary({ count: t.postCount })
			})
		)
	});
}

export async function draftsFeed(origin: string, self: string): Promise<AtomFeed> {
	const drafts = await appContext().services.feeds.draftsList();
	return feedOf({
		self,
		alternate: `${origin}/drafts`,
		title: m.feed_drafts_title({ network: networkView().shortName }),
		entries: drafts.map(
			(d): AtomEntry => ({
				id: `${origin}/drafts/${d.id}`,
				link: `${origin}/drafts/${d.id}`,
				title: d.title,
				updated: d.updatedAt,
				author: authorName(d.author),
				categories: [d.group ? d.group.name : m.votes_whole_network()],
				summary: joined(draftStatusName(d.status), d.summary)
			})
		)
	});
}

/** HTTP dates have whole seconds. */
const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * The feed as a response, or 304 when the reader's copy is current: by ETag (the document's hash, so a change of
 * language or of any entry changes it) or, when no ETag was sent, by Last-Modified.
 */
export function atomResponse(request: Request, feed: AtomFeed): Response {
	const xml = atomXml(feed);
	const etag = `"${createHash('sha256').update(xml).digest('base64url').slice(0, 27)}"`;
	const updated = feedUpdated(feed);
	const headers = {
		'content-type': 'application/atom+xml; charset=utf-8',
		etag,
		'last-modified': new Date(seconds(updated) * 1000).toUTCString(),
		'cache-control': 'public, max-age=300',
		vary: 'Accept-Language, Cookie'
	};
	const ifNoneMatch = request.headers.get('if-none-match');
	const ifModifiedSince = Date.parse(request.headers.get('if-modified-since') ?? '');
	const current =
		ifNoneMatch !== null
			? ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*')
			: !Number.isNaN(ifModifiedSince) && seconds(updated) <= seconds(ifModifiedSince);
	return current ? new Response(null, { status: 304, headers }) : new Response(xml, { headers });
}
