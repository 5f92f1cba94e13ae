import { isDomainError } from '../../../src/lib/shared/errors.js';

/** The code and form problems of what a call threw. */
export async function refusal(work: Promise<unknown>): Promise<{ code: string; fields: Record<string, string> }> {
	try {
		await work;
	} catch (e) {
		if (isDomainError(e)) return { code: e.code, fields: e.fields };
		throw e;
	}
	throw new Error('expected a refusal');
}
