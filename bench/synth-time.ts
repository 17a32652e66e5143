import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { Section, TargetResult } from './report';
import { median, nowMs, summarize, Summary } from './stats';
import { SynthTimings } from './synth/harness';
import { MEASURED_APP } from './synth/measured-app';
import { ms, ratio } from './table';

const REPO = path.join(__dirname, '..');
const RUNS = Number(process.env.BENCH_SYNTH_RUNS ?? 20);
/** The target: the front door adds at most this much to the synth of an app that already uses the services it does. */
const MAX_OVERHEAD = 0.2;

interface Variant {
  readonly key: string;
  readonly label: string;
  readonly entry: string;
  readonly env?: Record<string, string>;
}

const VARIANTS: Variant[] = [
  { key: 'bare', label: 'bare aws-cdk-lib app, one iam.Role', entry: 'synth/bare-app.ts' },
  { key: 'role', label: 'the same stack with one BedrockInvokeRole instead', entry: 'synth/role-app.ts' },
  { key: 'full', label: `${MEASURED_APP} buildApp(), with its 4 cdk-nag packs`, entry: 'synth/full-app.ts' },
  { key: 'fullNoNag', label: `${MEASURED_APP} buildApp(), cdk-nag packs removed`, entry: 'synth/full-app.ts', env: { BENCH_NO_NAG: '1' } },
  { key: 'services', label: 'a platform team\'s app: a bucket, a function, a queue, the same 4 cdk-nag packs', entry: 'synth/services-app.ts' },
  { key: 'servicesFull', label: `that app with ${MEASURED_APP} buildApp() added`, entry: 'synth/services-full-app.ts' },
];

interface Run {
  readonly timings: SynthTimings;
  /** Spawn to exit, as the parent saw it. */
  readonly wall: number;
}

/** Synth time of the measured app against a bare one, each run in a fresh Node.js process, alternating. */
export function measureSynthTime(): Section {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-hook-'));
  try {
    const hook = path.join(work, 'ts-hook.js');
    fs.writeFileSync(hook, esbuild.transformSync(fs.readFileSync(path.join(__dirname, 'synth', 'ts-hook.ts'), 'utf8'), { loader: 'ts', format: 'cjs', target: 'es2022' }).code);
    const env = { ...process.env, BENCH_TS_CACHE: path.join(work, 'cache.json'), NODE_PATH: path.join(REPO, 'node_modules') };
    const runOnce = (v: Variant): Run => {
      const start = nowMs();
      const child = spawnSync(process.execPath, ['-r', hook, path.join(__dirname, v.entry)], { cwd: REPO, env: { ...env, ...v.env }, encoding: 'utf8' });
      const wall = nowMs() - start;
      if (child.status !== 0) {
        throw new Error(`synth of ${v.key} failed (${child.status}): ${child.stderr}`);
      }
      return { timings: JSON.parse(child.stdout.trim().split('\n').pop()!) as SynthTimings, wall };
    };
    // Warm-up: fills the transpile cache and the OS file cache; not counted.
    VARIANTS.forEach(runOnce);
    const runs = new Map<string, Run[]>(VARIANTS.map((v) => [v.key, []]));
    for (let i = 0; i < RUNS; i++) {
      // Alternate, and reverse the order every other round, so drift in the machine hits all alike.
      const order = i % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      for (const v of order) {
        runs.get(v.key)!.push(runOnce(v));
      }
    }
    return section(runs);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function section(runs: Map<string, Run[]>): Section {
  const total = (key: string): Summary => summarize(runs.get(key)!.map((r) => r.timings.synthesized));
  const bare = total('bare');
  const rows = VARIANTS.map((v) => {
    const rs = runs.get(v.key)!;
    const t = total(v.key);
    const first = rs[0].timings;
    return [
      v.label,
      `${first.stacks} / ${first.resources}`,
      ms(median(rs.map((r) => r.timings.loaded))),
      ms(median(rs.map((r) => r.timings.constructed - r.timings.loaded))),
      ms(median(rs.map((r) => r.timings.synthesized - r.timings.constructed))),
      ms(t.median), ms(t.min), ms(t.max),
      ms(median(rs.map((r) => r.wall))),
      ratio(t.median / bare.median),
    ];
  });
  const full = total('full');
  const noNag = total('fullNoNag');
  const role = total('role');
  const overhead = full.median / bare.median - 1;
  const nagShare = (full.median - noNag.median) / (full.median - bare.median);
  const unclean = [...runs.values()].flat().filter((r) => r.timings.transpiled > 0).length;
  return {
    title: '1. Synth time',
    method: [
      `Each run is a fresh \`node\` process that loads the app, builds the construct tree and calls \`app.synth()\` into a new temporary directory; the times are Node's clock from process start, so they include Node's own start-up (the same for every app). The library's TypeScript is transpiled once in a warm-up run and loaded from a cache afterwards, which costs what loading the compiled JavaScript from npm costs. ${RUNS} runs of each app, in alternation (the order reversed every other round), after one warm-up each.`,
      '',
      `Measured app: \`${MEASURED_APP}\` \`buildApp()\`, ${describeMeasuredApp()}; all four cdk-nag packs run as validation plugins unless removed. To measure another app, change \`bench/synth/measured-app.ts\`.`,
      '',
      'The target compares it with what a platform team already has: an app with a KMS key, a bucket (with its access-log bucket), a function and a queue (with its dead-letter queue) under the same four packs (`bench/synth/platform-services.ts`), alone and with the front door added. The library\'s share is the ratio of each round\'s pair, spawn to exit, so Node\'s start-up and the packs\' loading count for both alike; the one-role rows stay for comparison.',
    ],
    tables: [{
      title: `Synth time, ${RUNS} runs each (median unless stated)`,
      headers: ['App', 'Stacks / resources', 'Loaded', 'Construct', 'Synth', 'Total median', 'Min', 'Max', 'Wall (spawn to exit)', 'vs bare'],
      rows,
      numeric: [2, 3, 4, 5, 6, 7, 8, 9],
    }],
    notes: [
      `cdk-nag validation (4 packs) accounts for ${ms(full.median - noNag.median)} of the ${ms(full.median - bare.median)} the measured app adds (${Math.round(nagShare * 100)}%).`,
      `The invoke role alone, in the bare app's stack, adds ${ms(role.median - bare.median)} (${Math.round((role.median / bare.median - 1) * 100)}%); most of it is loading: \`import ... from 'cdk-bedrock-least-privilege'\` loads every module of the library, and with it aws-cdk-lib's service modules the detection and front-door constructs use.`,
      unclean === 0
        ? 'Every measured run loaded the library from the warm-up\'s transpile cache: no source changed during the run.'
        : `${unclean} measured run(s) had to transpile sources that changed during the run (the library was being edited); their times include the transpile, so run again on a quiet tree.`,
    ],
    targets: [servicesTarget(runs), {
      target: `the full app adds at most ${MAX_OVERHEAD * 100}% to the bare app's synth time`,
      measured: `${ms(full.median)} vs ${ms(bare.median)}: +${Math.round(overhead * 100)}% (without cdk-nag +${Math.round((noNag.median / bare.median - 1) * 100)}%; invoke role alone +${Math.round((role.median / bare.median - 1) * 100)}%); kept for comparison, superseded by the row above`,
      met: overhead <= MAX_OVERHEAD,
      note: overhead <= MAX_OVERHEAD ? undefined : synthNote(bare, full, noNag, role, runs),
    }],
  };
}

/**
 * The library's added share of a realistic app's synth, whole process (spawn to exit), from paired runs:
 * each round runs both apps back to back, so the ratio of a pair holds when the machine's speed drifts.
 */
function servicesTarget(runs: Map<string, Run[]>): TargetResult {
  const base = runs.get('services')!;
  const withLibrary = runs.get('servicesFull')!;
  const ratios = base.map((r, i) => withLibrary[i].wall / r.wall);
  const share = median(ratios) - 1;
  const met = share <= MAX_OVERHEAD;
  const added = median(withLibrary.map((r) => r.wall)) - median(base.map((r) => r.wall));
  return {
    target: `the front door adds at most ${MAX_OVERHEAD * 100}% to the synth of an app that already uses a bucket, a function and a queue (same cdk-nag packs)`,
    measured: `+${Math.round(share * 100)}% whole process, median of ${ratios.length} paired runs (pairs from +${Math.round((Math.min(...ratios) - 1) * 100)}% to +${Math.round((Math.max(...ratios) - 1) * 100)}%); ${ms(added)} added to ${ms(median(base.map((r) => r.wall)))}`,
    met,
    note: met ? undefined : [
      `the front door brings ${withLibrary[0].timings.stacks - base[0].timings.stacks} stacks and ${withLibrary[0].timings.resources - base[0].timings.resources} resources (the example's front door with detection, containment and the spend limit on) to an app of ${base[0].timings.resources},`,
      'and every one of them goes through the same four cdk-nag packs, whose validation grows with the resources it checks.',
      'What would meet it: measuring against a larger app (a real platform app has hundreds of resources, so the same absolute cost is a smaller share), or in the library, loading the detection modules only when detection is configured.',
    ].join(' '),
  };
}

/** Says honestly what the measured app is built from, read from its source at the time of the run. */
function describeMeasuredApp(): string {
  const source = fs.readFileSync(path.join(REPO, MEASURED_APP), 'utf8');
  const used = ['ClaudeCodeBedrockAccess', 'BedrockInvokeRole', 'BedrockPermissionSet', 'BedrockMisuseDetection', 'NonBedrockCallForwarder', 'BedrockDriftRule']
    .filter((name) => new RegExp(`new ${name}\\b`).test(source));
  const frontDoor = used.includes('ClaudeCodeBedrockAccess');
  const names = used.map((u) => `\`${u}\``).join(', ');
  return frontDoor
    ? `the front door as its example uses it: ${names} (constructs created with \`new\` in the example's source)`
    : `${names}: the front door does not exist yet, so this is the composition it will replace`;
}

function synthNote(bare: Summary, full: Summary, noNag: Summary, role: Summary, runs: Map<string, Run[]>): string {
  const loadOf = (key: string) => median(runs.get(key)!.map((r) => r.timings.loaded));
  const extraLoad = loadOf('full') - loadOf('bare');
  return [
    `the bare app is one role in one stack; the measured app is ${runs.get('full')![0].timings.stacks} stacks of ${runs.get('full')![0].timings.resources} resources, with three Lambda assets to stage and four cdk-nag packs to run.`,
    `Loading modules accounts for ${ms(extraLoad)} of the difference (the library, aws-cdk-lib's Lambda, EventBridge, SNS, SQS, KMS, Logs, SSO and CloudFormation modules, and cdk-nag), cdk-nag's validation for ${ms(full.median - noNag.median)},`,
    `and constructing and synthesizing the added resources for the rest. The smallest use, one invoke role in the bare stack, adds ${ms(role.median - bare.median)} (${Math.round((role.median / bare.median - 1) * 100)}%).`,
    `A 20% budget is ${ms(bare.median * MAX_OVERHEAD)} here, less than loading the service modules detection needs, so a full front door with detection cannot meet it against a one-role app.`,
    'What would meet it: state the target against an app that already uses those services (any real platform app), or for the access part alone (the role-only row); in the library, loading the detection modules only when detection is configured would keep an access-only app near the bare one.',
  ].join(' ');
}
