import http from 'node:http';

/**
 * Posts a form as a browser on another machine would: the connection comes from `address` (any 127.x.y.z is this
 * host's loopback on Linux), so the server sees that client address without trusting any header.
 */
export function postFormFrom(
	baseUrl: string,
	path: string,
	body: Record<string, string>,
	address: string,
	headers: Record<string, string> = {}
): Promise<{ status: number; text: string }> {
	const url = new URL(path, baseUrl);
	const form = new URLSearchParams(body).toString();
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: url.hostname,
				port: url.port,
				path: url.pathname + url.search,
				method: 'POST',
				localAddress: address,
				agent: false,
				headers: { accept: 'text/html', origin: baseUrl, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(form), ...headers }
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => (text += chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
			}
		);
		req.on('error', reject);
		req.end(form);
	});
}
