import { describe, expect, it } from 'vitest';
import { meetingsCalendar } from '../../server/services/calendar.js';

const HOSTILE = 'Mbledhje; buxheti, 2027\\n\nBEGIN:VEVENT\r\nSUMMARY:E rreme\rEND:VEVENT';

/** The calendar's lines with folding undone (RFC 5545 §3.1), so each property is one line. */
const unfolded = (ics: string) => ics.replace(/\r\n[ \t]/g, '').split('\r\n');

describe('meetingsCalendar', () => {
	// Before the calendar name was escaped, it came out as written: "BEGIN:VEVENT" on a line of its own.
	it('escapes every text property, the calendar name included, so nothing can add lines or events', () => {
		const meeting = { id: 7, title: HOSTILE, description: HOSTILE, place: HOSTILE, onlineUrl: null, startsAt: '2026-12-01T10:00:00Z', endsAt: '2026-12-01T11:00:00Z' };
		const lines = unfolded(meetingsCalendar(`Takimet\nBEGIN:VEVENT;a,b\u0007`, [meeting as never], 'https://kuvend.example'));
		expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
		expect(lines.filter((l) => l === 'END:VEVENT')).toHaveLength(1);
		expect(lines.filter((l) => l.startsWith('SUMMARY'))).toHaveLength(1);
		expect(lines).toContain('X-WR-CALNAME:Takimet\\nBEGIN:VEVENT\\;a\\,b');
		const escaped = 'Mbledhje\\; buxheti\\, 2027\\\\n\\nBEGIN:VEVENT\\nSUMMARY:E rreme\\nEND:VEVENT';
		expect(lines).toContain(`SUMMARY:${escaped}`);
		expect(lines).toContain(`LOCATION:${escaped}`);
		expect(lines.find((l) => l.startsWith('DESCRIPTION:'))).toBe(`DESCRIPTION:${escaped}\\n\\nhttps://kuvend.example/meetings/7`);
	});
});
