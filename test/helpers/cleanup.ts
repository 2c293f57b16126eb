// Vitest setup file (vitest.config.ts): after each test file, the temporary directories it made go.
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp.js';

afterAll(removeTempDirs);
