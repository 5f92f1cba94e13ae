import { defineCustomClientStrategy } from '$lib/paraglide/runtime';

/**
 * The page's language as the server chose it: a visitor whose browser asks for none of the three languages reads the
 * network's primary language (src/hooks.server.ts, 'custom-network'), and the browser must agree when it hydrates.
 */
defineCustomClientStrategy('custom-network', {
	getLocale: () => document.documentElement.lang || undefined,
	setLocale: () => {}
});
