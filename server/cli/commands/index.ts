import { backupCommand } from './backup.js';
import { checkCommand } from './check.js';
import { coordinatorAdd } from './coordinator.js';
import { migrateToPostgresCommand } from './migrate-to-postgres.js';
import { passwordReset } from './password.js';
import { restoreCommand } from './restore.js';
import type { Command } from './types.js';

/** Every admin command; each lives in its own module beside this one. */
export const COMMANDS: Command[] = [coordinatorAdd, passwordReset, backupCommand, restoreCommand, checkCommand, migrateToPostgresCommand];
