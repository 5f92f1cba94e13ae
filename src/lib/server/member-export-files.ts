import { createHash } from 'node:crypto';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { formatDateTime } from '$lib/i18n/format';
import { languageName } from '$lib/i18n/labels';
import { isLocale } from '$lib/shared/types';
import { ballotText, statusName } from '$lib/votes/labels';
import { EXPORT_SECTIONS, type ExportSection, type ExportedSections } from '$lib/shared/member-export';
import type { AmendmentStatus } from '$lib/shared/drafts';
import type { MemberExport } from '../../../server/services/member-export.service.js';

/**
 * A member's export as a stream of text, written a page of rows at a time while the reader downloads it.
 *
 * The writing runs from `start`, inside the request's context, and waits for the reader between pages: messages,
 * dates and zones are read from that context (AsyncLocalStorage), which a `pull` called later by the server would
 * no longer be in.
 */
function streamOf(chunks: () => AsyncGenerator<string>): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	let wanted: (() => void) | null = null;
	let cancelled = false;
	return new ReadableStream<Uint8Array>(
		{
			start(controller) {
				void (async () => {
					try {
						for await (const chunk of chunks()) {
							if (cancelled) return;
							controller.enqueue(encoder.encode(chunk));
							if ((controller.desiredSize ?? 1) <= 0) await new Promise<void>((resolve) => (wanted = resolve));
						}
						if (!cancelled) controller.close();
					} catch (error) {
						if (!cancelled) controller.error(error);
					}
				})();
			},
			pull() {
				const resume = wanted;
				wanted = null;
				resume?.();
			},
			cancel() {
				cancelled = true;
				const resume = wanted;
				wanted = null;
				resume?.();
			}
		},
		// About 64 KB queued ahead of the reader at most.
		{ highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength }
	);
}

/** The JSON file: the account's part as one object, then each section as an array filled page by page. */
export function exportJson(data: MemberExport): ReadableStream<Uint8Array> {
	return streamOf(async function* () {
		const head = JSON.stringify(data.about, null, '\t');
		yield head.slice(0, head.lastIndexOf('}')).trimEnd();
		for (const section of EXPORT_SECTIONS) {
			yield `,\n\t${JSON.stringify(section)}: [`;
			let first = true;
			for await (const rows of data.pages[section]()) {
				for (const row of rows) {
					yield `${first ? '' : ','}\n\t\t${JSON.stringify(row)}`;
					first = false;
				}
			}
			yield first ? ']' : '\n\t]';
		}
		yield '\n}\n';
	});
}

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);
}

const STYLE = `
body { font: 16px/1.5 system-ui, sans-serif; color: #111; background: #fff; max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.6em; margin: 0 0 .3rem; line-height: 1.2; }
h2 { margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 1px solid #bbb; }
h3 { font-size: 1rem; margin: 0; }
article { margin: 0 0 1rem; padding: .6rem .8rem; border: 1px solid #ccc; border-radius: 6px; }
.meta, .note { color: #444; font-size: .9em; margin: .2rem 0; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; margin: .4rem 0 0; }
blockquote { margin: .4rem 0; padding-left: .8rem; border-left: 3px solid #999; color: #333; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
`.trim();

/** The only style the file may apply, named by its hash: nothing else (no script, no remote load) runs in it. */
const STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`;

/** The policy for the file, in its own head and on the download. */
export const EXPORT_HTML_CSP = `default-src 'none'; style-src '${STYLE_HASH}'; img-src 'none'; form-action 'none'; base-uri 'none'`;

const AMENDMENT_STATUS: Record<AmendmentStatus, () => string> = {
	proposed: m.amendment_proposed,
	withdrawn: m.amendment_withdrawn,
	adopted: m.amendment_adopted,
	rejected: m.amendment_rejected
};

const text = (body: string) => `<p class="text">${escapeHtml(body)}</p>`;
const meta = (parts: (string | false | null)[]) => `<p class="meta">${parts.filter(Boolean).map((p) => escapeHtml(p as string)).join(' · ')}</p>`;

/** Each section's rows as HTML articles; every value the member or others wrote is escaped. */
const ROW: { [K in ExportSection]: (row: ExportedSections[K]) => string } = {
	posts: (p) =>
		`<article><h3>${escapeHtml(m.export_file_in_thread({ thread: p.threadTitle }))}</h3>${meta([
			m.export_file_post_ref({ id: String(p.id) }),
			formatDateTime(p.createdAt),
			p.replyTo !== null && m.export_file_reply_to({ id: String(p.replyTo) }),
			p.editedAt !== null && m.export_file_edited({ date: formatDateTime(p.editedAt) }),
			p.deletedAt !== null && m.export_file_deleted({ date: formatDateTime(p.deletedAt) }),
			p.hiddenAt !== null && m.export_file_hidden()
		])}${text(p.body)}</article>`,
	postRevisions: (r) =>
		`<article><h3>${escapeHtml(m.export_file_post_ref({ id: String(r.postId) }))}</h3>${meta([formatDateTime(r.createdAt), !r.byMe && m.export_file_edit_by_moderator()])}${text(r.body)}</article>`,
	draftComments: (c) =>
		`<article><h3>${escapeHtml(m.export_file_on_draft({ draft: c.draftTitle }))}</h3>${meta([
			formatDateTime(c.createdAt),
			c.replyTo !== null && m.export_file_reply_to({ id: String(c.replyTo) }),
			c.language !== null && m.export_file_on_translation({ language: isLocale(c.language) ? languageName(c.language) : c.language }),
			c.resolvedAt !== null && m.export_file_resolved()
		])}${c.quote ? `<blockquote>${escapeHtml(c.quote)}</blockquote>` : ''}${text(c.body)}</article>`,
	amendments: (a) =>
		`<article><h3>${escapeHtml(m.export_file_on_draft({ draft: a.draftTitle }))}</h3>${meta([formatDateTime(a.createdAt), (AMENDMENT_STATUS[a.status as AmendmentStatus] ?? (() => a.status))()])}` +
		`<dl><dt>${escapeHtml(m.export_file_original())}</dt><dd>${escapeHtml(a.original)}</dd><dt>${escapeHtml(m.export_file_replacement())}</dt><dd>${escapeHtml(a.replacement)}</dd>` +
		`<dt>${escapeHtml(m.export_file_reason())}</dt><dd>${escapeHtml(a.reason)}</dd></dl></article>`,
	reactions: (r) => `<article><h3>${escapeHtml(m.export_file_in_thread({ thread: r.threadTitle }))}</h3>${meta([m.export_file_post_ref({ id: String(r.postId) }), formatDateTime(r.createdAt)])}${text(r.emoji)}</article>`,
	openBallots: (b) =>
		`<article><h3>${escapeHtml(b.voteTitle)}</h3>${meta([statusName(b.status), m.export_file_receipt({ code: b.receipt })])}${text(m.export_file_choice({ choice: ballotText(b.ballot, b.options) }))}</article>`
};

const HEADING: Record<ExportSection, () => string> = {
	posts: m.export_file_posts,
	postRevisions: m.export_file_revisions,
	draftComments: m.export_file_comments,
	amendments: m.export_file_amendments,
	reactions: m.export_file_reactions,
	openBallots: m.export_file_ballots
};

interface AboutAccount {
	display_name: string;
	email: string;
	city: string | null;
	bio: string | null;
	created_at: number;
}

/**
 * A self-contained page to read in any browser, in the member's language (`names`: the network's and the fields'
 * in it): no script, one style named by its hash.
 */
export function exportHtml(data: MemberExport, names: { network: string; fields: Record<string, string> }): ReadableStream<Uint8Array> {
	return streamOf(async function* () {
		const about = data.about as { account: AboutAccount; exportedAt: string; fieldsOfAction: string[]; organisations: { name: string }[]; groups: { slug: string; name: string }[] };
		const title = escapeHtml(m.export_file_title({ network: names.network }));
		const row = (label: string, value: string | null) => (value ? `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>` : '');
		const list = (items: string[]) => (items.length ? `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>` : `<p class="note">${escapeHtml(m.export_file_none())}</p>`);
		yield [
			'<!doctype html>',
			`<html lang="${escapeHtml(getLocale())}">`,
			'<head>',
			'<meta charset="utf-8">',
			`<meta http-equiv="Content-Security-Policy" content="${EXPORT_HTML_CSP}">`,
			'<meta name="viewport" content="width=device-width, initial-scale=1">',
			`<title>${title}</title>`,
			`<style>${STYLE}</style>`,
			'</head>',
			'<body>',
			'<main>',
			`<h1>${title}</h1>`,
			`<p class="note">${escapeHtml(m.export_file_exported({ date: formatDateTime(Date.parse(about.exportedAt)) }))}</p>`,
			`<h2>${escapeHtml(m.export_file_account())}</h2>`,
			'<dl>',
			row(m.export_file_name(), about.account.display_name),
			row(m.export_file_email(), about.account.email),
			row(m.export_file_city(), about.account.city),
			row(m.export_file_bio(), about.account.bio),
			row(m.export_file_since(), formatDateTime(about.account.created_at)),
			row(m.export_file_fields(), about.fieldsOfAction.map((slug) => names.fields[slug] ?? slug).join(', ')),
			'</dl>',
			`<h2>${escapeHtml(m.export_file_organisations())}</h2>`,
			list(about.organisations.map((o) => o.name)),
			`<h2>${escapeHtml(m.export_file_groups())}</h2>`,
			list(about.groups.map((g) => g.name)),
			`<p class="note">${escapeHtml(m.export_file_more_in_json())}</p>`,
			''
		].join('\n');
		for (const section of EXPORT_SECTIONS) {
			yield `<section>\n<h2>${escapeHtml(HEADING[section]())}</h2>\n`;
			if (section === 'openBallots') yield `<p class="note">${escapeHtml(m.export_file_secret_note())}</p>\n`;
			let any = false;
			for await (const rows of data.pages[section]()) {
				const render = ROW[section] as (row: ExportedSections[typeof section]) => string;
				yield rows.map((r) => render(r as ExportedSections[typeof section])).join('\n') + '\n';
				any = true;
			}
			if (!any) yield `<p class="note">${escapeHtml(m.export_file_none())}</p>\n`;
			yield '</section>\n';
		}
		yield '</main>\n</body>\n</html>\n';
	});
}
