import { ENDPOINTS, type Endpoint } from '$lib/shared/api/endpoints';
import { API_BASE, openApiDocument } from '$lib/shared/api/openapi';
import { exampleOf } from '$lib/shared/api/example';
import type { PageServerLoad } from './$types';

type Json = Record<string, unknown>;

/** The docs page: every endpoint as the OpenAPI document describes it, with an example of its answer. */
export const load: PageServerLoad = async () => {
	const doc = openApiDocument() as { paths: Record<string, { get: { parameters: Json[]; responses: Record<string, { content?: Record<string, { schema: Json }> }> } }>; components: { schemas: Record<string, Json> } };
	return {
		base: API_BASE,
		endpoints: (ENDPOINTS as readonly Endpoint[]).map((e) => {
			const op = doc.paths[e.path].get;
			return {
				id: e.id,
				path: API_BASE + e.path,
				parameters: op.parameters.map((p) => {
					const schema = p.schema as Json;
					const type = Array.isArray(schema.enum) ? (schema.enum as string[]).join(' | ') : String(schema.type ?? 'string');
					return { name: String(p.name), in: String(p.in), required: p.required === true, type, description: String(p.description ?? '') };
				}),
				example: JSON.stringify(exampleOf(op.responses['200'].content!['application/json'].schema, doc.components.schemas), null, 2)
			};
		})
	};
};
