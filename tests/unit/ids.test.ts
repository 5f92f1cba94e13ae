import { describe, expect, it } from 'vitest';
import { isRecordId } from '../../src/lib/shared/ids.js';

describe('record ids', () => {
	it('takes only the canonical spelling of a safe positive integer', () => {
		for (const ok of ['1', '42', '9007199254740991']) expect(isRecordId(ok), ok).toBe(true);
		for (const bad of ['', '0', '01', '-1', '+1', '1e0', '1.0', ' 1', '1 ', 'abc', '0x1', '9007199254740992', '12345678901234567']) expect(isRecordId(bad), bad).toBe(false);
	});
});
