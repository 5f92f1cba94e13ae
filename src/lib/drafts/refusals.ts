import type { WebsocketProvider } from 'y-websocket';
import { m } from '$lib/paraglide/messages';
import { YJS_CLOSE } from '$lib/shared/realtime';

/** Refusals that pass: the change stays in this browser and is sent again on reconnect (see YJS_CLOSE). */
const PASSING: Record<number, () => string> = {
	[YJS_CLOSE.slow_down]: m.drafts_slow_down,
	[YJS_CLOSE.not_saved]: m.drafts_not_saved,
	[YJS_CLOSE.restarting]: m.drafts_restarting
};

/** Refusals about suggestions, by the reason the server gives (see UpdateRefused in shared-doc.ts). */
const ABOUT_SUGGESTIONS = new Map<string, () => string>([
	['suggestions_only', m.sug_refused],
	['suggestion_not_yours', m.sug_not_yours]
]);

/**
 * Follows, from the server's close codes, why this editor's changes were not taken: `show` gets the sentence, and
 * null once a passing refusal is over (synced again and not refused within a few seconds: what was held was taken).
 */
export function followRefusals(provider: WebsocketProvider, show: (text: string | null) => void): void {
	let passing = false;
	let clearing: ReturnType<typeof setTimeout> | undefined;
	provider.on('connection-close', (event: CloseEvent | null) => {
		clearTimeout(clearing);
		const text = event ? PASSING[event.code] : undefined;
		if (text) {
			passing = true;
			show(text());
		} else if (event?.code === YJS_CLOSE.refused) {
			passing = false;
			const aboutSuggestions = ABOUT_SUGGESTIONS.get(event.reason);
			show(aboutSuggestions ? aboutSuggestions() : event.reason.endsWith('too_large') ? m.drafts_refused_size() : m.drafts_refused_content());
		}
	});
	provider.on('sync', (isSynced: boolean) => {
		if (isSynced && passing) clearing = setTimeout(() => ((passing = false), show(null)), 3000);
	});
}
