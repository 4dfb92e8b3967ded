// Boot file of the extraction worker when running from source (npm start, tests): TypeScript
// is loaded through tsx inside the worker. The Lambda bundle ships its own extract-worker.mjs
// (the worker bundled by esbuild, see infra/cdk/function-defaults.ts) beside its index.mjs.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
