import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { readmeSnippets, userAppCompilerOptions } from './support/readme-snippets';

const ROOT = path.join(__dirname, '..');

test('every TypeScript snippet in the README compiles', () => {
  // Each block compiles as its own module against the library's sources.
  const blocks = readmeSnippets();
  expect(blocks.length).toBeGreaterThan(1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  const files = blocks.map((code, i) => {
    const file = path.join(dir, `snippet${i}.ts`);
    fs.writeFileSync(file, `${code}\nexport {};\n`);
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
