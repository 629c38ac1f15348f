// Copies what tsc does not: every non-TypeScript file under src/ (views, browser scripts, styles,
// data files) to the same place under dist/, so the built platform finds them beside its code.
import { cpSync } from 'node:fs';

cpSync('src', 'dist', {
  recursive: true,
  filter: (source) => !source.endsWith('.ts'),
});
