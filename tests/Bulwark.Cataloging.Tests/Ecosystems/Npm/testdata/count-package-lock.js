// Independent count for package-lock.json v2/v3 (used to write the exact numbers in PackageLockCatalogerTests):
// distinct name@version (root included when named), and the number of distinct dependency edges between them,
// resolving each dependency the way Node does (nearest node_modules folder upward).
// Usage: node count-package-lock.js path/to/package-lock.json
const d = require(require("path").resolve(process.argv[2]));
const P = d.packages;
const id = (k) => {
  let v = P[k];
  if (v && v.link) { k = v.resolved; v = P[k]; }
  if (!v) return null;
  const n = k === "" ? (v.name || d.name) : (v.name || k.slice(k.lastIndexOf("node_modules/") + 13));
  return n ? n + "@" + (v.version || "") : null;
};
const ids = new Set(), edges = new Set(), scope = {};
for (const [k, v] of Object.entries(P)) {
  if (v.link) continue;
  const me = id(k);
  if (!me) continue;
  ids.add(me);
  // "dev" (with or without "optional") is dev; "optional" or "devOptional" is optional; the stronger sighting wins
  const sc = v.dev ? 2 : (v.optional || v.devOptional) ? 1 : 0;
  scope[me] = Math.min(scope[me] ?? 9, sc);
  const deps = Object.keys({ ...v.dependencies, ...v.optionalDependencies, ...v.peerDependencies, ...(k === "" ? v.devDependencies : {}) });
  for (const dep of deps) {
    let dir = k;
    for (;;) {
      const cand = (dir ? dir + "/" : "") + "node_modules/" + dep;
      if (P[cand]) { const t = id(cand); if (t && t !== me) edges.add(me + " -> " + t); break; }
      if (!dir) break;
      const parts = dir.split("/"); parts.pop();
      while (parts.length && (parts[parts.length - 1] === "node_modules" || (parts[parts.length - 1].startsWith("@") && parts[parts.length - 2] === "node_modules"))) parts.pop();
      dir = parts.join("/");
    }
  }
}
const counts = [0, 0, 0];
for (const s of Object.values(scope)) counts[s]++;
console.log("packages", ids.size, "edges", edges.size, "required/optional/dev", counts.join("/"));
