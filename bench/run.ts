import * as path from 'path';
import { measureLambdas } from './lambdas';
import { measurePolicySize } from './policy-size';
import { renderTerminal, Section, writeMarkdown } from './report';
import { measureStackSet } from './stack-set';
import { nowMs } from './stats';
import { measureSynthTime } from './synth-time';

async function main(): Promise<void> {
  const startedAt = new Date();
  const start = nowMs();
  const steps: Array<[string, () => Section | Promise<Section>]> = [
    ['synth time', measureSynthTime],
    ['invoke policy size', measurePolicySize],
    ['Lambda handlers', measureLambdas],
    ['forwarder StackSet', measureStackSet],
  ];
  const sections: Section[] = [];
  for (const [name, step] of steps) {
    const t = nowMs();
    process.stderr.write(`bench: ${name}...\n`);
    sections.push(await step());
    process.stderr.write(`bench: ${name} done in ${((nowMs() - t) / 1000).toFixed(1)} s\n`);
  }
  const seconds = (nowMs() - start) / 1000;
  process.stdout.write(`${renderTerminal(sections)}\n`);
  const file = path.join(__dirname, '..', 'BENCHMARKS.md');
  writeMarkdown(file, sections, { startedAt, seconds });
  process.stdout.write(`\nwrote ${file} (${seconds.toFixed(0)} s)\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
