import { getLocale } from '$lib/paraglide/runtime';
import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import { networkView } from '$lib/server/network';
import { EXPORT_HTML_CSP, exportHtml, exportJson } from '$lib/server/member-export-files';
import type { RequestHandler } from './$types';

/**
 * Everything Kuvend holds about the signed-in member, as a download: JSON (the default) or, with `?format=html`, a
 * page to read. Written while it is sent, so a member who wrote for years gets it without the server holding it all.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	const data = await guarded(appContext().services.memberExport.open(locals.auth));
	const headers: Record<string, string> = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
	if (url.searchParams.get('format') === 'html') {
		const fields = await appContext().services.fields.names(getLocale());
		return new Response(exportHtml(data, { network: networkView().name, fields }), {
			headers: {
				...headers,
				'content-type': 'text/html; charset=utf-8',
				'content-disposition': 'attachment; filename="kuvend-export.html"',
				'content-security-policy': EXPORT_HTML_CSP
			}
		});
	}
	return new Response(exportJson(data), {
		headers: { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-disposition': 'attachment; filename="kuvend-export.json"' }
	});
};
