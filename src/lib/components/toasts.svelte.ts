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
