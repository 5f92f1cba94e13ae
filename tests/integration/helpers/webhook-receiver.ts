import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP receiver on loopback: answers `status`, or never answers (`hang`). Keeps what it was sent. */
export interface Receiver {
	url: string;
	got: { headers: http.IncomingHttpHeaders; body: string }[];
	close(): Promise<void>;
}

export async function receiver(answer: number | 'hang'): Promise<Receiver> {
	const got: Receiver['got'] = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.setEncoding('utf8');
		req.on('data', (c: string) => (body += c));
		req.on('end', () => {
			got.push({ headers: req.headers, body });
			if (answer !== 'hang') res.writeHead(answer).end('ok');
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
		got,
		close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r())))
	};
}
