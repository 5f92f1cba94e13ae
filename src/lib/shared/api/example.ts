/** An example value for a JSON Schema of the API document, for the docs page (its shape, with placeholder values). */
type Json = Record<string, unknown>;

const SAMPLE_TIME = '2026-12-07T17:00:00.000Z';

export function exampleOf(schema: Json, components: Record<string, Json>, depth = 0): unknown {
	if (depth > 24) return null;
	const ref = schema.$ref;
	if (typeof ref === 'string') return exampleOf(components[ref.split('/').at(-1)!] ?? {}, components, depth + 1);
	if (Array.isArray(schema.anyOf)) {
		// A nullable value is shown with its value, not as null.
		const options = schema.anyOf as Json[];
		return exampleOf(options.find((o) => o.type !== 'null') ?? options[0], components, depth + 1);
	}
	if (Array.isArray(schema.enum)) return schema.enum[0];
	const type = Array.isArray(schema.type) ? (schema.type as string[]).find((t) => t !== 'null') : schema.type;
	switch (type) {
		case 'object': {
			const properties = (schema.properties ?? {}) as Record<string, Json>;
			return Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, exampleOf(s, components, depth + 1)]));
		}
		case 'array':
			return schema.items ? [exampleOf(schema.items as Json, components, depth + 1)] : [];
		case 'integer':
			return typeof schema.minimum === 'number' && schema.minimum > 1 ? schema.minimum : 1;
		case 'number':
			return 1;
		case 'boolean':
			return false;
		case 'string':
			return schema.format === 'date-time' ? SAMPLE_TIME : 'text';
		default:
			return null;
	}
}
