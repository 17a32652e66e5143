// Placeholder: the benchmark suite lands here.
process.stdout.write('no benchmarks yet\n');
