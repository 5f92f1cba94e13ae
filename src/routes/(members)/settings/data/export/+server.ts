import { json } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import type { RequestHandler } from './$types';

/** Everything Kuvend holds about the signed-in member, as a JSON download. */
export const GET: RequestHandler = async ({ locals }) => {
	const data = await guarded(appContext().services.account.exportData(locals.auth));
	return json(data, {
		headers: { 'content-disposition': 'attachment; filename="kuvend-export.json"', 'cache-control': 'no-store' }
	});
};
