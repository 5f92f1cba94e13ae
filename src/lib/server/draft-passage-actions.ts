import type { RequestEvent } from '@sveltejs/kit';
import { appContext } from './context';
import { attempt, formValues } from './forms';

const num = (v: string) => Number(v) || 0;
const draftIdOf = (event: RequestEvent) => Number(event.params.id);

/**
 * The form actions on passages of a draft's text, shared by the draft's page and its side-by-side language page: a
 * comment (on the text in `lang`, the source when none) or a reply, resolving a thread, proposing an amendment.
 * The drafts service decides who may, and on which text.
 */
export const draftPassageActions = {
	comment: async (event: RequestEvent) => {
		const v = formValues(await event.request.formData(), ['body', 'parentId', 'anchorStart', 'anchorEnd', 'quote', 'lang']);
		return attempt(
			async () => ({ commented: await appContext().services.drafts.comment(event.locals.auth, draftIdOf(event), { ...v, parentId: v.parentId ? num(v.parentId) : null }) }),
			v,
			'comment'
		);
	},
	resolve: async (event: RequestEvent) => {
		const v = formValues(await event.request.formData(), ['commentId', 'on']);
		return attempt(async () => ({ resolved: await appContext().services.drafts.resolveComment(event.locals.auth, draftIdOf(event), num(v.commentId), v.on === '1') }));
	},
	propose: async (event: RequestEvent) => {
		const v = formValues(await event.request.formData(), ['anchorStart', 'anchorEnd', 'replacement', 'reason', 'lang']);
		return attempt(async () => ({ proposed: await appContext().services.drafts.propose(event.locals.auth, draftIdOf(event), v) }), v, 'propose');
	}
};
