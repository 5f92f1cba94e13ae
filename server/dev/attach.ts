import type { Server } from 'node:http';
import { loadConfig } from '../config.js';
import { createContext, publishContext } from '../context.js';
import { attachSocketServer } from '../realtime/socket-server.js';
import { YjsServer } from '../realtime/yjs/yjs-server.js';

/** Attaches the same context, Socket.IO and Yjs endpoint as production to Vite's dev server. */
export async function attachRealtime(httpServer: Server, port: number): Promise<void> {
	const ctx = await createContext(loadConfig({ ...process.env, NODE_ENV: 'development', PORT: String(port) }));
	ctx.setListeningUrl(`http://localhost:${port}`);
	publishContext(ctx);
	const io = attachSocketServer(httpServer, ctx);
	const yjs = new YjsServer(ctx);
	// Vite's HMR socket shares this server: unknown upgrade paths are left alone here.
	httpServer.on('upgrade', (req, socket, head) => void yjs.handleUpgrade(req, socket, head));
	httpServer.once('close', () => {
		yjs.close();
		void io.close();
		void ctx.close();
	});
}
