/** What a proxy is given for: a meeting or a vote. */
export type ProxyScope = { meetingId: number } | { voteId: number };

/** The proxies of a meeting or a vote as one member sees them: the one they gave, those they hold, the cap. */
export interface ProxiesView {
	given: { id: number; holder: string } | null;
	held: { id: number; giver: string }[];
	cap: number;
	/** Still open to giving and revoking (before the vote opens, before the meeting ends). */
	open: boolean;
	/** Whether the viewer votes here, and so has a proxy to give. */
	eligible: boolean;
	/** A vote of one ballot per organisation: no proxies at all. */
	organisations: boolean;
	/** Whom the viewer may pick as holder: the body's active members but themselves, by name. */
	candidates: { id: number; name: string }[];
}
