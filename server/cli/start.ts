import { ensureBuild } from './ensure-build.js';

// `npm start`: build when needed, then run the server (which migrates and seeds on its way up).
ensureBuild();
await import('../index.js');
