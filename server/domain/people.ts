/**
 * How people are named to others. A deleted account keeps its authorship, anonymised: its name is never shown
 * (DESIGN §1, account deletion), wherever a post, comment, revision, flag or notification names it.
 */
export function shownName(name: string | null, status: string | null): string | null {
	return status === 'deleted' ? null : name;
}

/** An author as pages show them: the id stays (for grouping), the name goes with the account. */
export function authorView(id: number, name: string | null, status: string | null): { id: number; name: string | null } {
	return { id, name: shownName(name, status) };
}

/** A first display name for an account made from an email alone: "ana.hoxha@x" is "Ana Hoxha" until they change it. */
export function nameFromEmail(email: string): string {
	const at = email.indexOf('@');
	const words = (at > 0 ? email.slice(0, at) : email).split(/[._+-]+/).filter(Boolean);
	return words.map((w) => w[0].toUpperCase() + w.slice(1)).join(' ').slice(0, 120) || email;
}
