// Pre-compressed copies (<file>.gz) of the console and reference page: gateway/static.lua
// serves them to browsers that accept gzip (all do), so the bytes on the wire are the
// compressed ones and no answer outgrows Envoy's 1 MiB per-connection buffer.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "build", "static");
const COMPRESSIBLE = /\.(js|mjs|css|html|json|svg|txt)$/;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (COMPRESSIBLE.test(name)) writeFileSync(`${path}.gz`, gzipSync(readFileSync(path), { level: 9 }));
  }
}

for (const part of ["console", "reference"]) walk(join(root, part));
console.log(`compress: .gz copies written under ${root}`);
