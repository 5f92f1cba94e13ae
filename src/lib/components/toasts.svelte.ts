import type { ActionResult } from '@sveltejs/kit';

export interface Toast {
	id: number;
	text: string;
	tone: 'success' | 'danger' | 'info';
}

/** Short confirmations shown in a polite live region; one instance per page tree (see +layout.svelte). */
export class Toasts {
	items = $state<Toast[]>([]);
	#next = 1;

	show(text: string, tone: Toast['tone'] = 'success', ms = 5000): void {
		const id = this.#next++;
		this.items.push({ id, text, tone });
		setTimeout(() => this.dismiss(id), ms);
	}

	dismiss(id: number): void {
		this.items = this.items.filter((t) => t.id !== id);
	}
}

/**
 * Says a form's outcome where the eye is on a phone: in the toaster (a polite live region fixed to the bottom of the
 * screen) rather than in a notice at the top of a long page, far above the form that was sent. `said` turns true once
 * it did, so the page's own notice stays away; that notice remains for a form sent without JavaScript, whose answer is
 * a new page opened at its top.
 */
export class FormFlash {
	said = $state(false);

	constructor(private readonly toasts: Toasts) {}

	/** Shows `text(data)` of a successful result (nothing when it gives null). */
	say(result: ActionResult, text: (data: Record<string, unknown>) => string | null): void {
		if (result.type !== 'success') return;
		const shown = text(result.data ?? {});
		if (!shown) return;
		this.toasts.show(shown, 'success');
		this.said = true;
	}
}
