import { ConfigError, loadConfig } from '../config.js';
import { COMMANDS } from './commands/index.js';
import { CliError, type Command } from './commands/types.js';

// `npm run kuvend -- <command> [arguments]`: the operator's command line (issue #15, point 2).
// A command is found by its leading words; `--help` anywhere prints that command's help and changes nothing.

const out = (line: string) => process.stdout.write(`${line}\n`);
const fail = (line: string): never => {
	process.stderr.write(`${line}\n`);
	process.exit(1);
};

function overview(): string {
	const width = Math.max(...COMMANDS.map((c) => c.words.join(' ').length), 10);
	return [
		'Usage: npm run kuvend -- <command> [arguments]   (add --help to any command for its details)',
		'',
		...COMMANDS.map((c) => `  ${c.words.join(' ').padEnd(width)}  ${c.summary}`)
	].join('\n');
}

/** The command whose words begin `argv`, the longest match first. */
export function findCommand(argv: string[]): { command: Command; args: string[] } | null {
	const words = argv.filter((a) => a !== '--help' && a !== '-h');
	const matches = COMMANDS.filter((c) => c.words.every((w, i) => words[i] === w)).sort((a, b) => b.words.length - a.words.length);
	if (!matches.length) return null;
	const command = matches[0];
	return { command, args: argv.slice(command.words.length) };
}

const argv = process.argv.slice(2);
const wantsHelp = argv.includes('--help') || argv.includes('-h');
if (!argv.length || (wantsHelp && !findCommand(argv))) {
	out(overview());
	process.exit(argv.length && !wantsHelp ? 1 : 0);
}
const found = findCommand(argv);
if (!found) fail(`Unknown command "${argv.join(' ')}". Run "npm run kuvend -- --help" for the list.`);
const { command, args } = found!;
if (wantsHelp) {
	out(command.help);
	process.exit(0);
}
try {
	await command.run({ args, config: loadConfig(), out });
	process.exit(0);
} catch (error) {
	if (error instanceof CliError || error instanceof ConfigError) fail(error.message);
	fail(`${command.words.join(' ')} failed: ${(error as Error).message}`);
}
