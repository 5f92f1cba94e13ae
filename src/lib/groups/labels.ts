import { m } from '$lib/paraglide/messages';
import type { GroupKind } from '$lib/shared/types';

// Not in $lib/i18n/labels.ts, which every page loads (the language switcher names the languages).

const GROUP_KIND: Record<GroupKind, () => string> = {
	city_cluster: m.group_kind_city_cluster,
	meta_cluster: m.group_kind_meta_cluster,
	alliance: m.group_kind_alliance,
	consortium: m.group_kind_consortium,
	research_community: m.group_kind_research_community,
	working_group: m.group_kind_working_group,
	other: m.group_kind_other
};
export const groupKindName = (kind: GroupKind) => GROUP_KIND[kind]();
