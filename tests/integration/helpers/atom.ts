import { execFileSync } from 'node:child_process';

/**
 * Parses an Atom document with a strict XML parser (Python's expat, through ElementTree: any malformed markup, an
 * undefined entity or a character XML forbids is an error) and checks what RFC 4287 requires of a feed and its
 * entries (section 4.1: id, title, updated, an author, an alternate link per entry; RFC 3339 dates). No JavaScript
 * XML parser is installed here (fast-xml-parser or saxes would do; no new dependency was added for tests).
 */
const SCRIPT = String.raw`
import sys, json, re, xml.etree.ElementTree as ET
A = '{http://www.w3.org/2005/Atom}'
XML = '{http://www.w3.org/XML/1998/namespace}'
DATE = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$')
problems = []
try:
    root = ET.fromstring(sys.stdin.buffer.read())
except ET.ParseError as e:
    print(json.dumps({'error': str(e)})); sys.exit(0)
def text(el, name):
    found = el.findall(A + name)
    if len(found) != 1: problems.append(f'{el.tag} has {len(found)} <{name}>'); return None
    return found[0].text or ''
def links(el):
    return [{'rel': l.get('rel', 'alternate'), 'href': l.get('href'), 'type': l.get('type')} for l in el.findall(A + 'link')]
def dated(el, name):
    v = text(el, name)
    if v is not None and not DATE.match(v): problems.append(f'{name} {v!r} is no RFC 3339 date')
    return v
if root.tag != A + 'feed': problems.append('root is ' + root.tag)
feed = {'id': text(root, 'id'), 'title': text(root, 'title'), 'updated': dated(root, 'updated'), 'lang': root.get(XML + 'lang'),
        'links': links(root), 'author': [a.findtext(A + 'name') for a in root.findall(A + 'author')], 'entries': []}
for e in root.findall(A + 'entry'):
    entry = {'id': text(e, 'id'), 'title': text(e, 'title'), 'updated': dated(e, 'updated'), 'links': links(e),
             'summary': e.findtext(A + 'summary'), 'author': e.findtext(A + 'author/' + A + 'name'),
             'categories': [c.get('term') for c in e.findall(A + 'category')]}
    if not any(l['rel'] == 'alternate' for l in entry['links']): problems.append(f'entry {entry["id"]} has no alternate link')
    if not feed['author'] and not e.findall(A + 'author'): problems.append(f'entry {entry["id"]} has no author')
    feed['entries'].append(entry)
ids = [e['id'] for e in feed['entries']]
if len(set(ids)) != len(ids): problems.append('entry ids repeat')
feed['problems'] = problems
print(json.dumps(feed))
`;

export interface AtomEntryParsed {
	id: string;
	title: string;
	updated: string;
	links: { rel: string; href: string; type: string | null }[];
	summary: string | null;
	author: string | null;
	categories: string[];
}

export interface AtomParsed {
	id: string;
	title: string;
	updated: string;
	lang: string | null;
	links: { rel: string; href: string; type: string | null }[];
	author: string[];
	entries: AtomEntryParsed[];
	problems: string[];
}

/** The parsed feed; throws when the XML is not well-formed. */
export function parseAtom(xml: string): AtomParsed {
	const out = JSON.parse(execFileSync('python3', ['-c', SCRIPT], { input: xml, encoding: 'utf8' })) as AtomParsed & { error?: string };
	if (out.error) throw new Error(`not well-formed XML: ${out.error}`);
	return out;
}
