import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../helpers/service-configs.js';

// promtool runs the rule tests (make test-alerts); this checks that they cover every alert both ways.
interface RuleTests {
  rule_files: string[];
  tests: { name: string; alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
}

const read = (path: string) => parse(readFileSync(join(repoRoot, 'deploy/prometheus', path), 'utf8')) as unknown;
const alerts = (read('alerts.yml') as { groups: { rules: { alert?: string }[] }[] }).groups.flatMap((group) => group.rules.flatMap((rule) => (rule.alert ? [rule.alert] : [])));
const ruleTests = read('alerts.test.yml') as RuleTests;
const checks = ruleTests.tests.flatMap((test) => test.alert_rule_test ?? []);

describe('the alert rule tests (deploy/prometheus/alerts.test.yml)', () => {
  it('when read, then they test alerts.yml, and every alert in it both firing and not firing', () => {
    assert.deepEqual(ruleTests.rule_files, ['alerts.yml']);
    const firing = new Set(checks.filter((check) => (check.exp_alerts ?? []).length > 0).map((check) => check.alertname));
    const silent = new Set(checks.filter((check) => (check.exp_alerts ?? []).length === 0).map((check) => check.alertname));
    assert.deepEqual(alerts.filter((alert) => !firing.has(alert)), [], 'alerts without a firing test');
    assert.deepEqual(alerts.filter((alert) => !silent.has(alert)), [], 'alerts without a not-firing test');
  });

  it('when read, then they name no alert that alerts.yml lacks', () => {
    assert.deepEqual(checks.map((check) => check.alertname).filter((name) => !alerts.includes(name)), []);
  });
});
