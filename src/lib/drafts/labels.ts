import { m } from '$lib/paraglide/messages';
import type { DraftStatus, VersionView } from '$lib/shared/drafts';

const STATUS: Record<DraftStatus, () => string> = {
	drafting: m.draft_status_drafting,
	review: m.draft_status_review,
	frozen: m.draft_status_frozen,
	adopted: m.draft_status_adopted,
	rejected: m.draft_status_rejected,
	archived: m.draft_status_archived
};
export const statusName = (s: DraftStatus) => STATUS[s]();

/** The button that moves a draft to a status. */
const MOVE: Record<DraftStatus, () => string> = {
	drafting: m.draft_move_drafting,
	review: m.draft_move_review,
	frozen: m.draft_move_frozen,
	adopted: m.draft_move_adopted,
	rejected: m.draft_move_rejected,
	archived: m.draft_move_archived
};
export const moveName = (s: DraftStatus) => MOVE[s]();

const AUTO_NAME = { frozen: m.draft_version_frozen, proposed_on: m.chn_version_proposed_on, amended: m.chn_version_amended };
export const versionName = (v: Pick<VersionView, 'name' | 'auto' | 'number'>) => (v.auto ? AUTO_NAME[v.auto]() : v.name) || `v${v.number}`;
