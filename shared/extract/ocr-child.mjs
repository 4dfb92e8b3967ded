// Boot file of the OCR child process when running from source (npm start, tests): TypeScript
// is loaded through tsx inside the child. The Lambda bundle ships its own ocr-child.mjs (the
// child bundled by esbuild, see infra/cdk/function-defaults.ts) beside its index.mjs.
import { register } from 'tsx/esm/api';

register();
await import('./ocr-child.ts');
