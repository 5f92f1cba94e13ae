/**
 * A record id as the database makes them and as URLs must spell them: a positive whole number without sign, leading
 * zeros or exponent, within JavaScript's safe integers ("01", "1e0" or "+1" would be other URLs for the same record).
 */
export function isRecordId(text: string): boolean {
	return /^[1-9]\d{0,15}$/.test(text) && Number.isSafeInteger(Number(text));
}
