import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vite';
import { kuvendRealtime } from './server/dev/vite-plugin.js';

export default defineConfig({
	plugins: [
		// Keep this strategy in step with the "prepare" script in package.json.
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['custom-member', 'cookie', 'preferredLanguage', 'custom-network', 'baseLocale'],
			emitTsDeclarations: true
		}),
		sveltekit(),
		kuvendRealtime()
	],
	server: { fs: { allow: ['server'] } },
	// The plugin timing report is noise on a 2-core machine.
	build: { rolldownOptions: { checks: { pluginTimings: false } } }
});
