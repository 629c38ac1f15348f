// Where the plugins shipped with OMNICore are: compiled into dist/builtin-plugins/ beside this folder.
import { fileURLToPath } from 'node:url';

export const BUILTIN_PLUGINS_DIR = fileURLToPath(new URL('../builtin-plugins/', import.meta.url));
