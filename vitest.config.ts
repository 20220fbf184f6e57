import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // lowdb's presets keep data in memory under NODE_ENV=test; the store must really write files.
    env: { NODE_ENV: 'development' },
    testTimeout: 20000,
    hookTimeout: 30000,
  },
});
