import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({ viewer: locals.auth?.viewer ?? null });
