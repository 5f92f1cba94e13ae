import type { Plugin } from 'vite';

/**
 * `npm run dev`: the same context, Socket.IO and Yjs endpoint as production, attached to Vite's own http server.
 * Loaded lazily so that `vite build` never opens the database.
 */
export function kuvendRealtime(): Plugin {
	return {
		name: 'kuvend-realtime',
		apply: 'serve',
		async configureServer(server) {
			if (!server.httpServer) return;
			const { loadConfig } = await import('../config.js');
			const { createContext, publishContext } = await import('../context.js');
			const { attachSocketServer } = await import('../realtime/socket-server.js');
			const { YjsServer } = await import('../realtime/yjs/yjs-server.js');
			const ctx = await createContext(loadConfig({ ...process.env, NODE_ENV: 'development', PORT: String(server.config.server.port ?? 5173) }));
			publishContext(ctx);
			const io = attachSocketServer(server.httpServer as import('node:http').Server, ctx);
			const yjs = new YjsServer(ctx);
			// Vite's HMR socket shares this server: unknown upgrade paths are left alone here.
			server.httpServer.on('upgrade', (req, socket, head) => void yjs.handleUpgrade(req, socket, head));
			server.httpServer.once('close', () => {
				yjs.close();
				void io.close();
				void ctx.close();
			});
		}
	};
}
