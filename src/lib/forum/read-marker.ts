import { untrack } from 'svelte';

/**
 * Tells the thread page's `read` action that the reader has seen the thread, once the page is mounted and visible:
 * a load never marks anything read, as a preload on hover would. A page opened in a background tab waits until it
 * is looked at. Returns the cleanup for `$effect`.
 */
export function markReadWhenSeen(threadId: number, upTo: () => number): () => void {
	const send = () => {
		const body = new FormData();
		// Untracked: posts arriving live later do not make the effect mark the thread read again.
		body.set('upTo', String(untrack(upTo)));
		// An unsent mark leaves the thread unread, which the next visit corrects: worth a warning, not an error page.
		// The answer is read to its end: an unread body keeps the request open in the browser (a page that never
		// settles, and a connection held for nothing).
		void fetch(`/forum/t/${threadId}?/read`, { method: 'POST', body, headers: { 'x-sveltekit-action': 'true' } })
			.then((res) => res.arrayBuffer())
			.catch((error: unknown) => console.warn('the thread was not marked read', error));
	};
	if (document.visibilityState === 'visible') {
		send();
		return () => {};
	}
	const onVisible = () => {
		if (document.visibilityState !== 'visible') return;
		document.removeEventListener('visibilitychange', onVisible);
		send();
	};
	document.addEventListener('visibilitychange', onVisible);
	return () => document.removeEventListener('visibilitychange', onVisible);
}
