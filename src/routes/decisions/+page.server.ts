import { appContext } from '$lib/server/context';
import { localDateTime } from '$lib/votes/form';
import type { PageServerLoad } from './$types';

/** A date from the filter (yyyy-mm-dd), as the start of that day in the network's time zone. */
const day = (v: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? localDateTime(`${v}T00:00`) : null);

export const load: PageServerLoad = async ({ locals, url }) => {
	const filter = { group: url.searchParams.get('group') ?? '', meeting: url.searchParams.get('meeting') ?? '', from: url.searchParams.get('from') ?? '', to: url.searchParams.get('to') ?? '' };
	const from = day(filter.from);
	const until = day(filter.to);
	// "To" includes the whole day it names.
	const to = until === null || Number.isNaN(until) ? undefined : until + 86_400_000 - 1;
	const { decisions, groups, meetings } = await appContext().services.votes.decisions(locals.auth, {
		group: filter.group || undefined,
		meeting: /^\d{1,12}$/.test(filter.meeting) ? Number(filter.meeting) : undefined,
		from: from === null || Number.isNaN(from) ? undefined : from,
		to
	});
	return { decisions, groups, meetings, filter };
};
