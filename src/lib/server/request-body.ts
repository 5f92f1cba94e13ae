const FORMS = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

/**
 * The status to refuse a request with when its body cannot be read by what SvelteKit will hand it to, or null.
 * Form actions read their form and endpoints their JSON without a guard, and a parse failure there is a 500: the
 * body is tried here on a copy (bodies are small; adapter-node caps them), so a broken one is the client's 400.
 */
export async function unreadableBody(request: Request): Promise<400 | 415 | null> {
	if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return null;
	const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	try {
		if (FORMS.has(type)) await request.clone().formData();
		else if (type === 'application/json') JSON.parse(await request.clone().text());
		else return 415;
	} catch {
		return 400;
	}
	return null;
}
