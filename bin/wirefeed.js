#!/usr/bin/env node
// The `wirefeed` command. The sources are TypeScript run through tsx: no build step, so a checkout
// works right after `npm install` (`npx wirefeed …`).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
