import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'vite';

/**
 * `npm run dev`: attaches Kuvend's realtime layer to Vite's http server. The server code is imported by a path
 * computed at run time, so Vite does not bundle it into the config (nor restart when the code it imports changes),
 * and `vite build` never opens the database.
 */
export function kuvendRealtime(): Plugin {
	return {
		name: 'kuvend-realtime',
		apply: 'serve',
		async configureServer(server) {
			if (!server.httpServer) return;
			const attach = pathToFileURL(path.resolve('server/dev/attach.ts')).href;
			const { attachRealtime } = (await import(/* @vite-ignore */ attach)) as typeof import('./attach.js');
			await attachRealtime(server.httpServer as import('node:http').Server, server.config.server.port ?? 5173);
		}
	};
}
