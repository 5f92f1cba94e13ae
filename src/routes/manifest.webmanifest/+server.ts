import { getLocale } from '$lib/paraglide/runtime';
import { isLocale } from '$lib/shared/types';
import { appContext } from '$lib/server/context';
import type { RequestHandler } from './$types';

/** The app's icons in static/icons, drawn by server/dev/render-icons.ts. */
const ICONS = [
	{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
	{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
	{ src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' }
];

/**
 * The web app manifest that makes Kuvend installable on a phone, named after the network in the page's language.
 * The page links it with `?lang=` because browsers fetch a manifest without cookies: the address, not the cookie,
 * says the language. The colours are the light scheme's; the pages' theme-color meta tags follow the dark one.
 */
export const GET: RequestHandler = ({ url }) => {
	const asked = url.searchParams.get('lang');
	const lang = isLocale(asked) ? asked : getLocale();
	const network = appContext().services.profile.view(lang);
	const manifest = {
		id: '/',
		name: network.name,
		short_name: network.shortName,
		...(network.tagline ? { description: network.tagline } : {}),
		lang,
		dir: 'ltr',
		start_url: '/',
		scope: '/',
		display: 'standalone',
		background_color: '#f7f5f1',
		theme_color: '#23305e',
		icons: ICONS
	};
	return new Response(JSON.stringify(manifest), {
		headers: { 'content-type': 'application/manifest+json; charset=utf-8', 'cache-control': 'no-cache' }
	});
};
