// Jest on Node 20 cannot require() an ES module, but @fastify/static (which serves the Swagger UI)
// requires content-disposition 3, which ships ESM only. This compiles that real library to CommonJS
// once per run, and jest.config.js maps the package to the compiled copy. Nothing is stubbed.
import { transformFileSync } from '@swc/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CJS_CACHE = fileURLToPath(new URL('../../node_modules/.cache/jest-cjs/', import.meta.url));
export const ESM_ONLY = ['content-disposition'];

export default function globalSetup() {
  const staticRequire = createRequire(createRequire(import.meta.url).resolve('@fastify/static'));
  for (const name of ESM_ONLY) {
    const { code } = transformFileSync(staticRequire.resolve(name), { module: { type: 'commonjs' }, jsc: { target: 'es2022' } });
    mkdirSync(dirname(CJS_CACHE + name), { recursive: true });
    writeFileSync(`${CJS_CACHE}${name}.cjs`, code);
  }
}
