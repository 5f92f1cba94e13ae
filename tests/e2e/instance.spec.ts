import { DESKTOP, PHONE, expect, expectAccessible, screenshot, signIn, test } from './helpers.js';
import { readMail } from './mail-server.js';

// Issue #15 points 8 and 9: a coordinator reads the instance panel and sends themselves a test mail.
test('a coordinator sees the instance and sends a test mail through the real SMTP server', async ({ page }) => {
	await page.setViewportSize(DESKTOP);
	await signIn(page, 'coordinator@demo.test');
	await page.goto('/coordination');
	await page.getByRole('link', { name: 'Instalimi' }).click();
	await expect(page).toHaveURL(/\/coordination\/instance$/);
	await expect(page.getByText('Versioni')).toBeVisible();
	await expect(page.getByText('Dërgohet përmes serverit SMTP.')).toBeVisible();
	await expectAccessible(page);

	const before = readMail().filter((m) => m.subject === 'Email prove nga Kuvend').length;
	await page.getByRole('button', { name: 'Dërgo një email prove' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'U dërgua' })).toContainText('U dërgua: serveri SMTP e pranoi emailin e provës për coordinator@demo.test.');
	await expect.poll(() => readMail().filter((m) => m.subject === 'Email prove nga Kuvend' && m.to.some((t) => t.includes('coordinator@demo.test'))).length).toBe(before + 1);
	await screenshot(page, 'instance-desktop');
	await page.setViewportSize(PHONE);
	await screenshot(page, 'instance-phone');
});
