import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { docSnippets, userAppCompilerOptions } from './support/readme-snippets';

const ROOT = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const docPages = fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f));

test('every TypeScript snippet in the README and the docs pages compiles', () => {
  // Each block compiles as its own module against the library's sources.
  const snippets = docSnippets();
  expect(snippets.filter((s) => s.name.startsWith('README')).length).toBeGreaterThan(1);
  expect(snippets.filter((s) => s.name.startsWith('docs/')).length).toBeGreaterThan(1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  const files = snippets.map((s) => {
    const file = path.join(dir, s.fileName);
    fs.writeFileSync(file, `${s.code}\nexport {};\n`);
    return file;
  });
  const program = ts.createProgram(files, {
    ...userAppCompilerOptions(),
    paths: { 'cdk-bedrock-least-privilege': [path.join(ROOT, 'lib', 'index.ts')], '*': [path.join(ROOT, 'node_modules', '*')] },
  });
  const errors = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  expect(errors).toEqual([]);
});

test('the first two `npm ci && ` commands of the README are the repository\'s own, as a fresh clone runs them', () => {
  // The newcomer check runs `grep -oE 'npm ci && [^`]+' README.md | head -2`.
  const commands = readme.split('\n').flatMap((line) => line.match(/npm ci && [^`]+/g) ?? []);
  expect(commands.slice(0, 2)).toEqual(['npm ci && npx cdk synth', 'npm ci && npm test']);
});

test('the quick start is the first section and goes install, front door, synth, deploy, configure, doctor', () => {
  const sections = readme.split(/^## /m).slice(1);
  const first = sections.find((s) => !s.startsWith('Contents'))!;
  expect(first.startsWith('Quick start\n')).toBe(true);
  const steps = ['npm install cdk-bedrock-least-privilege', 'new ClaudeCodeBedrockAccess(', 'npx cdk synth', 'npx cdk deploy',
    'npx cdk-bedrock-least-privilege configure', 'npx cdk-bedrock-least-privilege doctor'];
  const at = steps.map((s) => first.indexOf(s));
  expect(at.every((i) => i >= 0)).toBe(true);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  const text = markdown.replace(/```[\s\S]*?```/g, '');
  for (const [, heading] of text.matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    result.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return result;
}

test('every relative link of the README and the docs pages reaches a file, and every #fragment a heading there', () => {
  const broken: string[] = [];
  for (const page of ['README.md', ...docPages]) {
    const text = fs.readFileSync(path.join(ROOT, page), 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) {
        continue;
      }
      const [file, fragment] = target.split('#');
      const resolved = file ? path.join(path.dirname(page), file) : page;
      if (!fs.existsSync(path.join(ROOT, resolved))) {
        broken.push(`${page}: ${target} (no file ${resolved})`);
      } else if (fragment && resolved.endsWith('.md') && !anchors(fs.readFileSync(path.join(ROOT, resolved), 'utf8')).has(fragment)) {
        broken.push(`${page}: ${target} (no heading #${fragment} in ${resolved})`);
      }
    }
  }
  expect(broken).toEqual([]);
});

test('the anchor rule follows GitHub\'s: backticks, colons and apostrophes dropped, a repeated heading numbered', () => {
  expect([...anchors('## Checking a developer\'s machine: `doctor`\n## Cost\n### Cost\n')]).toEqual(['checking-a-developers-machine-doctor', 'cost', 'cost-1']);
});
