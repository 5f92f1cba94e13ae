/**
 * A plain form sent with `use:enhance` (it works without script too): busy while its answer is awaited, so its button
 * is disabled and a double tap sends nothing twice; the page is updated with the answer.
 */
export class FormSending {
	busy = $state(false);
	readonly submit = () => {
		this.busy = true;
		return async ({ update }: { update: () => Promise<void> }) => {
			await update();
			this.busy = false;
		};
	};
}
