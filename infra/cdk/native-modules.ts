import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Packages with native addons (topology `nativeModules`: the OCR engine's onnxruntime-node,
 * sharp, @napi-rs/canvas, and the engine package that loads its ONNX models from files) cannot
 * be inlined by esbuild. They stay external and are copied, with every package they depend on
 * (dependencies and the optional ones installed, such as sharp's @img/sharp-linux-x64), from
 * the project's node_modules into the asset's node_modules/ — offline, from the lock file's
 * install, no `npm install` (and no Docker) at synth time.
 *
 * onnxruntime-node carries its runtime for every platform (~300 MB); only the function's own
 * (linux/x64 or linux/arm64, 25–46 MB) is kept, so the unzipped asset stays well inside
 * Lambda's 250 MB.
 */
export interface NativeCopy {
  /** Package name, e.g. `@img/sharp-linux-x64`. */
  readonly name: string;
  /** Its folder in the project's node_modules. */
  readonly from: string;
}

interface PackageJson {
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

/** Where Node would find package `name` required from `fromDir`: its node_modules, then each parent's, up to the project's. */
function resolvePackage(projectRoot: string, fromDir: string, name: string): string | undefined {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.relative(projectRoot, dir) === '' || path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The packages to ship: `roots` and, transitively, what they depend on (as Node resolves it:
 * nested node_modules first). Packages at the top of node_modules are copied; nested ones come
 * with the package that holds them, their own dependencies are followed all the same.
 */
export function nativeModuleClosure(projectRoot: string, roots: readonly string[]): NativeCopy[] {
  const top = path.join(projectRoot, 'node_modules');
  const copies = new Map<string, NativeCopy>();
  const visited = new Set<string>();
  const queue: { name: string; from: string }[] = roots.map((name) => ({ name, from: projectRoot }));
  while (queue.length) {
    const { name, from } = queue.shift()!;
    const dir = resolvePackage(projectRoot, from, name);
    if (dir === undefined) {
      // A root must be installed; a dependency not installed is an optional one for another platform.
      if (from === projectRoot && roots.includes(name)) throw new Error(`native module ${name} not found at ${path.join(top, name)} (is node_modules installed?)`);
      continue;
    }
    if (visited.has(dir)) continue;
    visited.add(dir);
    if (path.relative(top, dir) === name) copies.set(name, { name, from: dir });
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
    for (const dep of [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]) queue.push({ name: dep, from: dir });
  }
  return [...copies.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** onnxruntime-node's per-platform runtimes other than Lambda's (linux/<arch>), relative to the package. */
export function foreignRuntimes(projectRoot: string, arch: 'x64' | 'arm64'): string[] {
  const bin = path.join(projectRoot, 'node_modules', 'onnxruntime-node', 'bin');
  if (!existsSync(bin)) return [];
  const out: string[] = [];
  for (const napi of readdirSync(bin)) {
    for (const platform of readdirSync(path.join(bin, napi))) {
      if (platform !== 'linux') {
        out.push(path.join('bin', napi, platform));
        continue;
      }
      for (const a of readdirSync(path.join(bin, napi, platform))) if (a !== arch) out.push(path.join('bin', napi, platform, a));
    }
  }
  return out;
}

/**
 * Shell commands (CDK command hooks) that ship the closure into `<outputDir>/node_modules`,
 * without foreign runtimes. The closure is read from `projectRoot` when the app is built; the
 * commands copy from `inputDir`, the project as the bundler sees it (the same folder when
 * bundling locally).
 */
export function shipNativeModules(projectRoot: string, inputDir: string, roots: readonly string[], outputDir: string, arch: 'x64' | 'arm64'): string[] {
  if (roots.length === 0) return [];
  const target = path.join(outputDir, 'node_modules');
  const closure = nativeModuleClosure(projectRoot, roots);
  const copies = closure.map((c) => {
    const to = path.join(target, c.name);
    return `mkdir -p "${path.dirname(to)}" && cp -r "${path.join(inputDir, 'node_modules', c.name)}" "${to}"`;
  });
  const prune = closure.some((c) => c.name === 'onnxruntime-node') ? foreignRuntimes(projectRoot, arch).map((p) => `rm -rf "${path.join(target, 'onnxruntime-node', p)}"`) : [];
  return [...copies, ...prune];
}
