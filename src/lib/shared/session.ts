/** The session cookie's name, shared by SvelteKit, Socket.IO and the Yjs endpoint. */
export const SESSION_COOKIE = 'kuvend_session';

/** Paraglide's language cookie; readable by the browser so client rendering agrees with the server. */
export const LOCALE_COOKIE = 'PARAGLIDE_LOCALE';
