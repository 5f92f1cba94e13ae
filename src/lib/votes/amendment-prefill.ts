import { m } from '$lib/paraglide/messages';
import type { AmendmentProposal } from '$lib/shared/drafts';

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The new-vote form's fields for "put to a vote" on an amendment, in the steward's language: one amendment is a
 * yes/no vote; overlapping ones are one single-choice vote between the text as it is (option 1) and each alternative
 * in order (server/services/amendment-votes.service.ts maps options to amendments by that order). The rules are the
 * network's defaults (VOTE_DEFAULTS), for the draft's group and with its visibility; the steward confirms or changes.
 */
export function amendmentVoteValues(p: AmendmentProposal): Record<string, string> {
	const [first] = p.alternatives;
	const many = p.alternatives.length > 1;
	const change = (a: AmendmentProposal['alternatives'][number]) =>
		m.chn_vote_change({ id: a.id, original: a.original, replacement: a.replacement || m.drafts_amendment_delete(), reason: a.reason });
	return {
		title: clip(many ? m.chn_vote_title_alternatives({ draft: p.draftTitle }) : m.chn_vote_title_amendment({ id: first.id, draft: p.draftTitle }), 200),
		description: clip(p.alternatives.map(change).join('\n\n'), 5000),
		method: many ? 'single' : 'yes_no',
		options: many ? [m.chn_option_keep(), ...p.alternatives.map((a) => clip(m.chn_option_amendment({ id: a.id, text: a.replacement || m.drafts_amendment_delete() }), 200))].join('\n') : '',
		eligibility: p.groupId !== null ? 'group' : 'members',
		group: p.groupId !== null ? String(p.groupId) : '',
		visibility: p.visibility,
		openNow: '1'
	};
}
