// The npm registry reachable from Firebreak's build machines has at times served only the Linux binaries of
// packages that ship one optional package per platform (Biome's CLI, resvg's renderer), so `npm install`
// wrote a lock file without the others, and `npm ci` then refused it as out of sync with the parent's
// optionalDependencies. This adds any missing platform entry (never installed on Linux: npm skips optional
// packages whose os/cpu do not match). Run it after `npm install` changes the lock file.
import { readFileSync, writeFileSync } from "node:fs";

/** Packages whose optionalDependencies are per-platform binaries, and the prefix before each platform. */
const PARENTS = {
  "@biomejs/biome": "@biomejs/cli-",
  "@resvg/resvg-js": "@resvg/resvg-js-",
};

/** os, cpu and libc from a platform suffix such as `linux-arm64-musl`, `win32-x64-msvc`, `darwin-arm64`. */
function platformOf(suffix) {
  const [os, cpu] = suffix.split("-");
  if (!["android", "darwin", "linux", "win32"].includes(os) || !cpu) return undefined;
  const libc = os === "linux" ? (suffix.includes("musl") ? "musl" : "glibc") : undefined;
  return { os, cpu, libc };
}

const lockPath = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, "utf8"));

let added = 0;
for (const [parentName, prefix] of Object.entries(PARENTS)) {
  const parent = lock.packages[`node_modules/${parentName}`];
  for (const [name, version] of Object.entries(parent?.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const platform = name.startsWith(prefix) ? platformOf(name.slice(prefix.length)) : undefined;
    if (lock.packages[key] || !platform) continue;
    lock.packages[key] = {
      version,
      cpu: [platform.cpu],
      ...(parent.dev && { dev: true }),
      ...(platform.libc && { libc: [platform.libc] }),
      license: parent.license,
      optional: true,
      os: [platform.os],
      engines: parent.engines,
    };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} missing platform entr${added === 1 ? "y" : "ies"}`);
