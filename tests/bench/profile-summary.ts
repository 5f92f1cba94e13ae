/**
 * `node --import tsx tests/bench/profile-summary.ts <file.cpuprofile> [top]`: where a CPU profile's time went, as
 * text — self time by function and by package or source folder, and inclusive time of the functions most often on
 * the stack. For comparing a profile before and after a change without opening DevTools.
 */
import fs from 'node:fs';

interface Node {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}
interface Profile {
	nodes: Node[];
	samples: number[];
	timeDeltas: number[];
	startTime: number;
	endTime: number;
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
	console.error('usage: profile-summary.ts <file.cpuprofile> [top]');
	process.exit(2);
}
const top = Number(topArg) || 25;
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

/** Where code lives: a package under node_modules, else the project folder, else what V8 calls it. */
function place(url: string): string {
	if (!url) return '(native)';
	const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
	if (m) return m[1];
	const local = url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '');
	return local.startsWith('node:') ? 'node' : local.split('/').slice(0, 2).join('/');
}
const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(process.cwd() + '/', '')}:${n.callFrame.lineNumber + 1}`;

const self = new Map<string, number>();
const places = new Map<string, number>();
const inclusive = new Map<string, number>();
// Percentages are of the time the thread was busy: (idle) is waiting for events, shown but not counted.
let total = 0;
let idle = 0;
profile.samples.forEach((id, i) => {
	const dt = (profile.timeDeltas[i] ?? 0) / 1000;
	const node = byId.get(id)!;
	if (node.callFrame.functionName === '(idle)') {
		idle += dt;
		return;
	}
	total += dt;
	self.set(label(node), (self.get(label(node)) ?? 0) + dt);
	places.set(place(node.callFrame.url), (places.get(place(node.callFrame.url)) ?? 0) + dt);
	const seen = new Set<string>();
	for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
		const l = label(byId.get(at)!);
		if (seen.has(l)) continue;
		seen.add(l);
		inclusive.set(l, (inclusive.get(l) ?? 0) + dt);
	}
});

const show = (title: string, map: Map<string, number>, n: number) => {
	console.log(`\n${title}`);
	for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${v.toFixed(0).padStart(8)} ms ${((v / total) * 100).toFixed(1).padStart(5)} %  ${k}`);
};
console.log(`${file}: ${total.toFixed(0)} ms busy, ${idle.toFixed(0)} ms idle`);
show('self time by place', places, top);
show('self time by function', self, top);
show('inclusive time by function', inclusive, top * 2);
