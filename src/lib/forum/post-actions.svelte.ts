import type { SubmitFunction } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { failureText, problemText } from '$lib/i18n/problems';
import type { Toasts } from '$lib/components/toasts.svelte';

export type PostMode = 'read' | 'reply' | 'edit' | 'flag';

/**
 * What one post's reader is doing with it: reading, or writing in one of its inline forms (reply, edit, flag), with
 * the text being written and why the server refused it. A refused form stays open with what was typed.
 */
export class PostActions {
	mode = $state<PostMode>('read');
	draft = $state('');
	/** Why the open inline form was refused. */
	problem = $state<string | null>(null);

	constructor(
		private readonly postId: () => number,
		/** Where a sent flag is confirmed: in sight on a phone, not at the top of a long thread. */
		private readonly toasts?: Toasts
	) {}

	open(next: PostMode): void {
		this.mode = next;
		this.problem = null;
	}

	/** Opens a form, or closes it when it is the one open. */
	toggle(next: PostMode): void {
		this.open(this.mode === next ? 'read' : next);
	}

	/** Quotes what the reader sees (the page carries HTML only, not the Markdown source). */
	quote(author: string, shownText: string): void {
		this.draft = `> **${author}:**\n${shownText
			.trim()
			.split('\n')
			.map((line) => `> ${line}`)
			.join('\n')}\n\n`;
		this.open('reply');
	}

	/** Fetches the post's Markdown source (only its author or a moderator gets it) and opens the edit form. */
	async edit(): Promise<void> {
		const res = await fetch(`/forum/p/${this.postId()}/source`);
		if (!res.ok) return;
		this.draft = ((await res.json()) as { body: string }).body;
		this.open('edit');
	}

	/** The inline forms' enhance: a refusal is shown in the form, a success closes it and reloads the page's data. */
	readonly done: SubmitFunction = () => async ({ result, update }) => {
		if (result.type === 'failure') {
			const { code, fields } = (result.data ?? {}) as { code?: string; fields?: Record<string, string> };
			this.problem = problemText(fields?.body) ?? failureText(code, fields?.retryAfter);
			return;
		}
		if (result.type === 'error') {
			this.problem = m.error_unexpected();
			return;
		}
		if (this.mode === 'flag' && this.toasts) {
			// Nothing on the page changes: the confirmation is said where the eye is, and the form closes.
			this.toasts.show(m.forum_flag_sent());
		} else {
			await update();
		}
		this.open('read');
		this.draft = '';
	};
}
