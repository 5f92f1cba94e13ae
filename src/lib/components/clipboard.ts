/** Puts `text` on the clipboard; false when the browser has none or refuses (the page then says so). */
export async function copyText(text: string): Promise<boolean> {
	if (!globalThis.navigator?.clipboard) return false;
	try {
		await navigator.clipboard.writeText(text);
		return true;
	} catch {
		return false;
	}
}
