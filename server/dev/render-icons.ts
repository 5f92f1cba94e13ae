import fs from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';

/**
 * Draws Kuvend's app icons (static/icons/*.png, named in src/routes/manifest.webmanifest/+server.ts): an assembly's
 * half-round of seats around the chair, white on the brand's terracotta. Run it again after changing the drawing:
 * `node --import tsx server/dev/render-icons.ts`. Chromium draws them, as no image tool is installed on the build
 * machines.
 */

const ACCENT = '#b4441f';

/** Three rows of seats on half circles facing the chair, on half circles about (16, 21), in a 32-unit box. */
function seats(): string {
	const rows = [
		{ radius: 5, count: 4 },
		{ radius: 8.5, count: 6 },
		{ radius: 12, count: 8 }
	];
	const dots = rows.flatMap(({ radius, count }) =>
		Array.from({ length: count }, (_, i) => {
			const angle = Math.PI - (Math.PI * i) / (count - 1);
			return `<circle cx="${(16 + radius * Math.cos(angle)).toFixed(2)}" cy="${(21 - radius * Math.sin(angle)).toFixed(2)}" r="1.3"/>`;
		})
	);
	return `<g fill="#fff">${dots.join('')}<rect x="12.5" y="24" width="7" height="2.2" rx="1.1"/></g>`;
}

/**
 * A square icon. `bleed`: the colour fills the whole square (maskable icons and Apple's, which the system crops to its
 * own shape; the drawing then keeps within the middle 80% circle the maskable format promises to show), else a
 * rounded square.
 */
function icon(size: number, bleed: boolean): string {
	const ground = bleed ? `<rect width="32" height="32" fill="${ACCENT}"/>` : `<rect width="32" height="32" rx="7" fill="${ACCENT}"/>`;
	// The seats and the chair span 26 units by 19: centred on the square's middle, a little smaller where the system crops.
	const drawing = `<g transform="translate(16 16) scale(${bleed ? 0.82 : 0.92}) translate(-16 -16.5)">${seats()}</g>`;
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 32 32">${ground}${drawing}</svg>`;
}

const ICONS = [
	{ file: 'icon-192.png', size: 192, bleed: false },
	{ file: 'icon-512.png', size: 512, bleed: false },
	{ file: 'icon-maskable-512.png', size: 512, bleed: true },
	{ file: 'apple-touch-icon.png', size: 180, bleed: true }
];

const out = path.resolve('static/icons');
fs.mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
	for (const { file, size, bleed } of ICONS) {
		const page = await browser.newPage({ viewport: { width: size, height: size } });
		await page.setContent(`<html><body style="margin:0;background:transparent">${icon(size, bleed)}</body></html>`);
		await page.locator('svg').screenshot({ path: path.join(out, file), omitBackground: true });
		await page.close();
	}
	fs.writeFileSync(path.join(out, 'icon.svg'), icon(512, false) + '\n');
} finally {
	await browser.close();
}
