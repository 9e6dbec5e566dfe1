// Runs n8n's community-package scanner (the lint part of the publish gate) on a folder, locally:
// `node scan.mjs <dir> source|tarball` prints {"passed": …, "details": …} as JSON.
// An .mjs script because the scanner is an ES module and jest runs tests as CommonJS.
import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const [dir, kind] = process.argv.slice(2);
const patterns = kind === 'source' ? SOURCE_FILE_PATTERNS : ['**/*.js', 'package.json'];
const result = await analyzePackage(dir, patterns);
process.stdout.write(JSON.stringify({ passed: result.passed, message: result.message ?? null, details: result.details ?? null }));
