import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import { EXPORT_FORMATS, type ExportFormat } from '$lib/shared/drafts';
import type { RequestHandler } from './$types';

/**
 * /drafts/<id>/export?format=md|html|pdf[&v=<version>][&text=<translation's language>[&beside=source]]: the draft as
 * a file to download; with `beside=source`, a PDF of the translation beside the source, paragraph by paragraph.
 */
export const GET: RequestHandler = async ({ locals, params, url, getClientAddress }) => {
	const format = url.searchParams.get('format') ?? 'pdf';
	if (!(EXPORT_FORMATS as readonly string[]).includes(format)) error(400, m.error_unexpected());
	const version = Number(url.searchParams.get('v')) || null;
	const file = await guarded(appContext().services.drafts.export(locals.auth, Number(params.id), format as ExportFormat, version, getLocale(), getClientAddress(), url.searchParams.get('text'), url.searchParams.get('beside')), url);
	return new Response(typeof file.body === 'string' ? file.body : new Uint8Array(file.body), {
		headers: {
			'content-type': file.contentType,
			'content-disposition': `attachment; filename="${file.filename.replace(/[^\w.\-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
			'cache-control': 'private, no-store'
		}
	});
};
