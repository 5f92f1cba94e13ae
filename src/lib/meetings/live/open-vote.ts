/** The fields of the live room's compact "open a vote" form, named as parseVoteForm reads them. */
export const OPEN_VOTE_FIELDS = ['itemId', 'title', 'method', 'options', 'secret', 'results', 'threshold', 'quorumKind', 'quorumValue', 'minApprovals', 'maxApprovals', 'chambers', 'orgThreshold', 'seats'] as const;
export type OpenVoteValues = Record<(typeof OPEN_VOTE_FIELDS)[number], string>;
