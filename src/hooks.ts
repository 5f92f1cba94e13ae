import '$lib/shared/zod-jitless';
import type { Transport } from '@sveltejs/kit';
import { ShownHtml, shownInDocument } from '$lib/shared/shown-html';

/** Custom types in page data (see ShownHtml: HTML already in the markup is sent by key only). */
export const transport: Transport = {
	ShownHtml: {
		encode: (value) => value instanceof ShownHtml && [value.key],
		decode: ([key]: [string]) => shownInDocument(key)
	}
};
