import type { ParamMatcher } from '@sveltejs/kit';
import { isRecordId } from '$lib/shared/ids';

/** `[id=id]` in a route: only a record id reaches the page; anything else is SvelteKit's 404. */
export const match: ParamMatcher = (param) => isRecordId(param);
