import type { AppContext } from '../../../server/context.js';

const BRIDGE = Symbol.for('kuvend.app-context');

/**
 * The one application context of this process, created by the Node server (or the dev plugin) and published on
 * globalThis: SvelteKit's bundle has its own module graph and must never create a second one.
 */
export function appContext(): AppContext {
	const ctx = (globalThis as Record<symbol, AppContext | undefined>)[BRIDGE];
	if (!ctx) throw new Error('Kuvend application context is missing: run the app with "npm start" or "npm run dev".');
	return ctx;
}
