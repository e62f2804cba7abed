// The セキュリティ対策推進枠 in GoRules ZEN (security.jdm.json, a decision graph as its users
// write one) over the applicants kijun generated, against kijun's own results for them:
// the totals must agree, and the time per applicant is compared.
//
//   node zen_bench.js applicants.jsonl kijun-results.jsonl kijun-seconds
const fs = require('fs');
const path = require('path');
const { ZenEngine } = require('@gorules/zen-engine');

const [applicantsFile, kijunFile, kijunSeconds] = process.argv.slice(2);
const applicants = fs.readFileSync(applicantsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const kijun = fs.readFileSync(kijunFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

// Rates arrive as exact text ("0.035" or "1/3"); ZEN takes numbers.
const rate = (v) => (typeof v === 'string' && v.includes('/') ? Number(v.split('/')[0]) / Number(v.split('/')[1]) : Number(v));
for (const a of applicants)
  for (const k of ['productivity_growth_rate', 'wage_growth_rate_plan']) if (a[k] !== undefined) a[k] = rate(a[k]);

(async () => {
  const engine = new ZenEngine();
  const decision = engine.createDecision(fs.readFileSync(path.join(__dirname, 'security.jdm.json')));
  const start = process.hrtime.bigint();
  const results = [];
  for (const a of applicants) results.push((await decision.evaluate(a)).result);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  engine.dispose();

  // Compare on the applicants kijun decided (it reports overflow and dates before the
  // ruleset's first version as errors, where ZEN computes on).
  let compared = 0, skipped = 0, mismatches = 0;
  const totals = { kijun: { eligible: 0, amount: 0, score: 0 }, zen: { eligible: 0, amount: 0, score: 0 } };
  kijun.forEach((k, i) => {
    if (k.error) return skipped++;
    const z = results[i];
    compared++;
    totals.kijun.eligible += k.eligible ? 1 : 0, totals.kijun.amount += k.amount_yen, totals.kijun.score += k.score;
    totals.zen.eligible += z.eligible ? 1 : 0, totals.zen.amount += Number(z.amount_yen), totals.zen.score += Number(z.score);
    if (k.eligible !== z.eligible || k.amount_yen !== Number(z.amount_yen) || k.score !== Number(z.score)) {
      if (mismatches++ < 3) console.log('mismatch', k.id, JSON.stringify({ kijun: [k.eligible, k.amount_yen, k.score], zen: [z.eligible, z.amount_yen, z.score] }));
    }
  });
  const n = applicants.length;
  console.log(`compared ${compared} applicants (${skipped} kijun error lines left out), ${mismatches} mismatches`);
  console.log(`totals kijun ${JSON.stringify(totals.kijun)}`);
  console.log(`totals zen   ${JSON.stringify(totals.zen)}`);
  console.log(`zen (node, one applicant per evaluate): ${(seconds * 1e9 / n).toFixed(0)} ns/applicant, ${Math.round(n / seconds)} applicants/s`);
  const ks = Number(kijunSeconds);
  console.log(`kijun eval (JSON Lines in and out, JIT, one thread): ${(ks * 1e9 / n).toFixed(0)} ns/applicant, ${Math.round(n / ks)} applicants/s`);
  console.log(`kijun eval is ${(seconds / ks).toFixed(1)}x the speed of ZEN's evaluation alone`);
  process.exitCode = mismatches ? 1 : 0;
})();
