// Trunk post-build hook (runs in Trunk's staging dir before it becomes dist/):
// 1. fills the service worker's precache list with this build's files and a build id, so a new
//    build installs a new cache;
// 2. writes .br and .gz beside every compressible file, which the server sends precompressed.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error("run by Trunk as a post_build hook: TRUNK_STAGING_DIR is not set");

const walk = (d) => readdirSync(d).flatMap((name) => (statSync(join(d, name)).isDirectory() ? walk(join(d, name)) : [join(d, name)]));
const files = walk(dir).filter((f) => !/\.(br|gz)$/.test(f));
const url = (f) => "/" + relative(dir, f).split("\\").join("/");

const shell = files.filter((f) => !f.endsWith("sw.js")).map(url).sort();
const build = createHash("sha256");
for (const f of files.filter((f) => !f.endsWith("sw.js")).sort()) build.update(url(f)).update(readFileSync(f));
const id = build.digest("hex").slice(0, 16);

const swPath = join(dir, "sw.js");
const sw = readFileSync(swPath, "utf8")
  .replace('"__LANE_BUILD__"', JSON.stringify(id))
  .replace('["__LANE_PRECACHE__"]', JSON.stringify(["/", ...shell]));
writeFileSync(swPath, sw);

for (const f of files.filter((f) => /\.(wasm|js|css|html|webmanifest|svg|json)$/.test(f))) {
  const raw = readFileSync(f);
  writeFileSync(f + ".br", brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }));
  writeFileSync(f + ".gz", gzipSync(raw, { level: 9 }));
}
console.log(`post-build: build ${id}, ${shell.length} files precached`);
