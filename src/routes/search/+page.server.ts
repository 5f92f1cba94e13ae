import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

const day = (value: string | null, end = false): number | undefined => {
	if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
	const t = Date.parse(`${value}T00:00:00Z`);
	return Number.isNaN(t) ? undefined : t + (end ? 86_400_000 : 0);
};

export const load: PageServerLoad = async ({ locals, url }) => {
	const { search, forum } = appContext().services;
	const q = (url.searchParams.get('q') ?? '').slice(0, 200);
	const filter = {
		q,
		category: url.searchParams.get('category') ?? '',
		from: url.searchParams.get('from') ?? '',
		to: url.searchParams.get('to') ?? ''
	};
	const [results, categories] = await Promise.all([
		search.search(locals.auth, {
			q,
			category: filter.category || undefined,
			from: day(filter.from),
			to: day(filter.to, true),
			page: Number(url.searchParams.get('page') ?? 1)
		}),
		forum.categories(locals.auth)
	]);
	return { ...results, filter, categories: categories.map((c) => ({ slug: c.slug, fieldSlug: c.fieldSlug, groupName: c.groupName })) };
};
