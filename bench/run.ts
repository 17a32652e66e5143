import * as fs from 'fs';
import * as path from 'path';
import { measureLambdas } from './lambdas';
import { measurePolicySize } from './policy-size';
import { renderTerminal, Section, spliceMarkdown, writeMarkdown } from './report';
import { measureSpendBeforeStop } from './spend-before-stop';
import { measureStackSet } from './stack-set';
import { nowMs } from './stats';
import { measureSynthTime } from './synth-time';

const STEPS: Array<[string, string, () => Section | Promise<Section>]> = [
  ['synth', 'synth time', measureSynthTime],
  ['policy', 'invoke policy size', measurePolicySize],
  ['lambdas', 'Lambda handlers', measureLambdas],
  ['stackset', 'forwarder StackSet', measureStackSet],
  ['spend', 'spend before the stop', measureSpendBeforeStop],
];

async function main(): Promise<void> {
  const file = path.join(__dirname, '..', 'BENCHMARKS.md');
  const only = process.argv.find((a) => a.startsWith('--only'))?.split('=')[1] ?? process.argv[process.argv.indexOf('--only') + 1];
  if (process.argv.some((a) => a.startsWith('--only'))) {
    // One section alone: rewrite its part of BENCHMARKS.md, keep the rest as the last full run wrote it.
    const step = STEPS.find(([key]) => key === only);
    if (!step) {
      throw new Error(`--only ${only}: give one of ${STEPS.map(([key]) => key).join(', ')}`);
    }
    const section = await step[2]();
    process.stdout.write(`${renderTerminal([section])}\n`);
    fs.writeFileSync(file, spliceMarkdown(fs.readFileSync(file, 'utf8'), section));
    process.stdout.write(`\nrewrote "${section.title}" in ${file}\n`);
    return;
  }
  const startedAt = new Date();
  const start = nowMs();
  const steps = STEPS.map(([, name, step]) => [name, step] as const);
  const sections: Section[] = [];
  for (const [name, step] of steps) {
    const t = nowMs();
    process.stderr.write(`bench: ${name}...\n`);
    sections.push(await step());
    process.stderr.write(`bench: ${name} done in ${((nowMs() - t) / 1000).toFixed(1)} s\n`);
  }
  const seconds = (nowMs() - start) / 1000;
  process.stdout.write(`${renderTerminal(sections)}\n`);
  writeMarkdown(file, sections, { startedAt, seconds });
  process.stdout.write(`\nwrote ${file} (${seconds.toFixed(0)} s)\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
