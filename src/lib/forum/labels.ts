import { m } from '$lib/paraglide/messages';
import { fieldName } from '$lib/i18n/labels';
import type { AuthorView, CategoryView } from '$lib/shared/forum';

export const categoryName = (c: Pick<CategoryView, 'fieldSlug' | 'groupName'>) => (c.fieldSlug ? fieldName(c.fieldSlug) : (c.groupName ?? ''));
export const authorName = (a: AuthorView | null) => a?.name ?? m.former_member();

const VISIBILITY = { public: m.forum_visibility_public, members: m.forum_visibility_members, group: m.forum_visibility_group };
export const visibilityName = (v: CategoryView['visibility']) => VISIBILITY[v]();
