/** Says once, visibly, whether the PostgreSQL half of the registry suite runs. */
export default function setup(): void {
  const url = process.env['BPS_TEST_PG_URL'];
  if (url) {
    process.stderr.write(`[bps-ts tests] PostgreSQL registry tests: RUNNING against ${url}\n`);
  } else if (process.env['CI'] === 'true') {
    throw new Error('CI=true but BPS_TEST_PG_URL is not set: .ci/run must start PostgreSQL (scripts/dev-postgres.sh start).');
  } else {
    process.stderr.write('[bps-ts tests] PostgreSQL registry tests: SKIPPED (BPS_TEST_PG_URL not set; run `scripts/dev-postgres.sh start` and export the line it prints)\n');
  }
}
