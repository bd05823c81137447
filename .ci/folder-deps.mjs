#!/usr/bin/env node
// Which folder of src/ imports which, and whether folders import each other in a cycle.
// Usage: node .ci/folder-deps.mjs [--depth N] [--files]
//   --depth N  how many path segments below src/ name a folder (default 1: app, domain, http, …)
//   --files    list, for each folder edge, the importing file and what it imports
// Reads import/export-from specifiers with the TypeScript scanner (type-only imports count:
// they are a dependency of the design too). Exits 1 when there is a cycle between folders.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
const depth = Number(args[args.indexOf('--depth') + 1]) || 1;
const showFiles = args.includes('--files');
const root = resolve(dirname(new URL(import.meta.url).pathname), '..', 'src');

function listTs(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listTs(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The folder a src/ file belongs to: its first `depth` directory segments, or "(root)". */
function folderOf(file) {
  const parts = relative(root, file).split(sep).slice(0, -1);
  return parts.length === 0 ? '(root)' : parts.slice(0, depth).join('/');
}

const edges = new Map(); // "from -> to" => [file: specifier]
for (const file of listTs(root)) {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  for (const { fileName } of info.importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const target = resolve(dirname(file), fileName).replace(/\.js$/, '.ts');
    const from = folderOf(file);
    const to = folderOf(target);
    if (from === to) continue;
    const key = `${from} -> ${to}`;
    if (!edges.has(key)) edges.set(key, []);
    edges.get(key).push(`${relative(root, file)}: ${fileName}`);
  }
}

const graph = new Map();
for (const key of edges.keys()) {
  const [from, to] = key.split(' -> ');
  if (!graph.has(from)) graph.set(from, new Set());
  graph.get(from).add(to);
}
for (const from of [...graph.keys()].sort()) {
  console.log(`${from} -> ${[...graph.get(from)].sort().join(', ')}`);
  if (showFiles) {
    for (const to of [...graph.get(from)].sort()) {
      for (const line of edges.get(`${from} -> ${to}`)) console.log(`    [${to}] ${line}`);
    }
  }
}

// Tarjan's strongly connected components: any component of two or more folders is a cycle.
let index = 0;
const stack = [];
const meta = new Map();
const cycles = [];
function connect(node) {
  meta.set(node, { index, low: index, onStack: true });
  index += 1;
  stack.push(node);
  for (const next of graph.get(node) ?? []) {
    if (!meta.has(next)) {
      connect(next);
      meta.get(node).low = Math.min(meta.get(node).low, meta.get(next).low);
    } else if (meta.get(next).onStack) {
      meta.get(node).low = Math.min(meta.get(node).low, meta.get(next).index);
    }
  }
  if (meta.get(node).low === meta.get(node).index) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      meta.get(member).onStack = false;
      component.push(member);
    } while (member !== node);
    if (component.length > 1) cycles.push(component.sort());
  }
}
for (const node of graph.keys()) if (!meta.has(node)) connect(node);

if (cycles.length === 0) {
  console.log('\nno import cycle between folders');
} else {
  console.log('\nimport cycles between folders (each line: folders that reach each other):');
  for (const component of cycles) {
    const pairs = [];
    for (const a of component) for (const b of component) if (graph.get(a)?.has(b)) pairs.push(`${a} -> ${b}`);
    console.log(`  ${component.join(' <-> ')}   via ${pairs.join('; ')}`);
  }
  process.exitCode = 1;
}
