import { appContext } from '$lib/server/context';
import { attempt, formValues } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import type { Actions, PageServerLoad } from './$types';

const NAME_KEYS = ['name_sq', 'name_en', 'name_el'] as const;
const nameOf = (v: Record<(typeof NAME_KEYS)[number], string>) => ({ sq: v.name_sq, en: v.name_en, el: v.name_el });

export const load: PageServerLoad = async ({ locals, url }) => ({ fields: await guarded(appContext().services.fields.manage(locals.auth), url) });

export const actions: Actions = {
	add: async ({ request, locals }) => {
		const values = formValues(await request.formData(), NAME_KEYS);
		const slug = await attempt(() => appContext().services.fields.add(locals.auth, nameOf(values)), values, 'add');
		return typeof slug === 'string' ? { done: 'added', slug } : slug;
	},
	rename: async ({ request, locals }) => {
		const values = formValues(await request.formData(), ['slug', ...NAME_KEYS]);
		const done = await attempt(() => appContext().services.fields.rename(locals.auth, values.slug, nameOf(values)), values, `rename-${values.slug}`);
		return done ?? { done: 'renamed', slug: values.slug };
	},
	move: async ({ request, locals }) => {
		const values = formValues(await request.formData(), ['slug', 'direction']);
		const done = await attempt(() => appContext().services.fields.move(locals.auth, values.slug, values.direction), values);
		return done ?? { done: 'moved', slug: values.slug };
	},
	archive: async ({ request, locals }) => {
		const values = formValues(await request.formData(), ['slug']);
		const done = await attempt(() => appContext().services.fields.setArchived(locals.auth, values.slug, true), values);
		return done ?? { done: 'archived', slug: values.slug };
	},
	unarchive: async ({ request, locals }) => {
		const values = formValues(await request.formData(), ['slug']);
		const done = await attempt(() => appContext().services.fields.setArchived(locals.auth, values.slug, false), values);
		return done ?? { done: 'unarchived', slug: values.slug };
	},
	merge: async ({ request, locals }) => {
		const values = formValues(await request.formData(), ['slug', 'into']);
		const moved = await attempt(() => appContext().services.fields.merge(locals.auth, values.slug, values.into), values, `merge-${values.slug}`);
		return typeof moved === 'number' ? { done: 'merged', slug: values.into } : moved;
	}
};
