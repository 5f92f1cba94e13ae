import { watchRoom } from '$lib/realtime/watch-room';

/**
 * Follows a draft's room: the page reloads its data when the draft changes (status, versions, comments,
 * amendments, translations; the texts themselves travel over Yjs). Returns the stop, for an $effect to return.
 */
export function watchDraft(draftId: number): () => void {
	return watchRoom({
		join: (socket) => socket.emit('draft:watch', { draftId }, () => {}),
		leave: (socket) => socket.emit('draft:unwatch', { draftId }),
		reloadOn: { 'draft:changed': (e) => e.draftId === draftId }
	}).stop;
}
