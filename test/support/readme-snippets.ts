import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

/** How a user's TypeScript app is compiled: strict, Node16 modules, the project's @types for Node. */
export function userAppCompilerOptions(): ts.CompilerOptions {
  return {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    esModuleInterop: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
  };
}

function tsBlocks(file: string): string[] {
  return [...fs.readFileSync(file, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** The ```ts blocks of the README, in order: what a user copies. */
export function readmeSnippets(): string[] {
  return tsBlocks(path.join(ROOT, 'README.md'));
}

/** A ```ts block of the README or of a page under docs/. */
export interface DocSnippet {
  /** `README snippet 3` or `docs/detection.md snippet 0`. */
  readonly name: string;
  /** A file name for it, unique among all snippets. */
  readonly fileName: string;
  readonly code: string;
}

/** The README's ```ts blocks, then those of every docs/*.md page, each page in name order. */
export function docSnippets(): DocSnippet[] {
  const readme = readmeSnippets().map((code, i) => ({ name: `README snippet ${i}`, fileName: `snippet${i}.ts`, code }));
  const docsDir = path.join(ROOT, 'docs');
  const pages = fs.existsSync(docsDir) ? fs.readdirSync(docsDir).filter((f) => f.endsWith('.md')).sort() : [];
  const fromDocs = pages.flatMap((page) => tsBlocks(path.join(docsDir, page)).map((code, i) => ({
    name: `docs/${page} snippet ${i}`,
    fileName: `docs-${page.replace(/\.md$/, '')}-${i}.ts`,
    code,
  })));
  return [...readme, ...fromDocs];
}
