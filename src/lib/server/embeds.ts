import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { formatDateTime } from '$lib/i18n/format';
import { timeRange } from '$lib/meetings/labels';
import { outcomeName } from '$lib/votes/labels';
import { EMBED_CSP } from '$lib/shared/embed';
import type { FeedFilter } from '../../../server/services/feeds.service.js';
import { escapeMarkup as x } from '../../../server/render/atom.js';
import { appContext } from './context';
import { networkView } from './network';

/** The most items an embed lists: a site's sidebar, not an archive (the "All on ..." link leads there). */
const EMBED_ITEMS = 20;
const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** ?group= and ?field= as slugs; anything else narrows to nothing rather than being ignored. */
export function embedFilter(url: URL): FeedFilter & { invalid: boolean } {
	const group = url.searchParams.get('group') ?? '';
	const field = url.searchParams.get('field') ?? '';
	return { group: group || undefined, field: field || undefined, invalid: [group, field].some((v) => v !== '' && !SLUG.test(v)) };
}

/** A small page of its own (no app shell, no script): system fonts, the network's colours, links opening on top. */
function page(title: string, allHref: string, body: string): Response {
	const html = `<!doctype html>
<html lang="${x(getLocale())}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="strict-origin-when-cross-origin">
<title>${x(title)}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>
:root{color-scheme:light dark;--text:#1f1d24;--muted:#5b5764;--line:#d9d4ca;--link:#23305e;--ok:#1f6b45;--no:#a8231c;--bg:#fff}
@media (prefers-color-scheme:dark){:root{--text:#ecebf0;--muted:#a9a6b3;--line:#3a3e49;--link:#aab8f0;--ok:#7fd1a4;--no:#f2948e;--bg:#1b1e25}}
*{box-sizing:border-box}
body{margin:0;padding:12px 14px;font:15px/1.45 system-ui,-apple-system,'Segoe UI','Noto Sans','DejaVu Sans',sans-serif;color:var(--text);background:var(--bg)}
h1{font-size:1.05rem;margin:0 0 8px}
ul{list-style:none;margin:0;padding:0}
li{padding:8px 0;border-top:1px solid var(--line)}
a{color:var(--link)}
.t{font-weight:600;overflow-wrap:anywhere}
.m{color:var(--muted);font-size:.875rem}
.passed,.elected{color:var(--ok);font-weight:600}
.failed,.blocked,.no_quorum{color:var(--no);font-weight:600}
.all{display:inline-block;margin-top:8px;font-size:.875rem}
</style>
</head>
<body>
<h1>${x(title)}</h1>
${body}
<a class="all" href="${x(allHref)}" target="_blank" rel="noopener">${x(m.feed_embed_all({ network: networkView().shortName }))}</a>
</body>
</html>
`;
	return new Response(html, {
		headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': EMBED_CSP, 'cache-control': 'public, max-age=300', vary: 'Accept-Language' }
	});
}

const list = (items: string[], empty: string) => (items.length ? `<ul>\n${items.join('\n')}\n</ul>` : `<p class="m">${x(empty)}</p>`);

export async function decisionsEmbed(url: URL): Promise<Response> {
	const filter = embedFilter(url);
	const decisions = filter.invalid ? [] : (await appContext().services.feeds.decisions(filter)).slice(0, EMBED_ITEMS);
	const items = decisions.map(
		(d) =>
			`<li><a class="t" href="${x(`${url.origin}/decisions#decision-${d.id}`)}" target="_blank" rel="noopener">${x(d.title)}</a>` +
			`<div class="m"><span class="${x(d.outcome)}">${x(outcomeName(d.outcome, d.result.winners ?? [], d.options))}</span> · ${x(m.feed_embed_decided({ date: formatDateTime(d.decidedAt) }))} · ${x(d.group ? d.group.name : m.votes_whole_network())}</div></li>`
	);
	return page(m.feed_embed_decisions_title({ network: networkView().shortName }), `${url.origin}/decisions`, list(items, m.feed_embed_no_decisions()));
}

export async function meetingsEmbed(url: URL): Promise<Response> {
	const filter = embedFilter(url);
	const meetings = filter.invalid ? [] : (await appContext().services.feeds.meetingsList({ ...filter, upcoming: true })).slice(0, EMBED_ITEMS);
	const items = meetings.map(
		(mt) =>
			`<li><a class="t" href="${x(`${url.origin}/meetings/${mt.id}`)}" target="_blank" rel="noopener">${x(mt.title)}</a>` +
			`<div class="m">${x([timeRange(mt.startsAt, mt.endsAt), mt.place || (mt.onlineUrl ? m.meetings_online() : ''), mt.group?.name ?? ''].filter(Boolean).join(' · '))}</div></li>`
	);
	return page(m.feed_embed_meetings_title({ network: networkView().shortName }), `${url.origin}/meetings`, list(items, m.feed_embed_no_meetings()));
}
