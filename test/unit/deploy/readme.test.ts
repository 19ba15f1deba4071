import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema as cliConfigSchema } from '../../../cli/src/config.js';
import { repoRoot, serviceConfigs } from '../../helpers/service-configs.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

describe('README.md', () => {
  it('when read, then its configuration table names every variable of every service with its default', () => {
    for (const { name, configSchema } of [...serviceConfigs(), { name: 'dyte-bridge CLI', configSchema: cliConfigSchema }]) {
      for (const setting of Object.values(configSchema)) {
        const row = readme.split('\n').find((line) => line.startsWith(`| \`${setting.env}\` |`));
        assert.ok(row, `README has a row for ${setting.env} (${name})`);
        if (setting.default !== undefined) {
          const shown = Array.isArray(setting.default) ? setting.default.join(',') : String(setting.default);
          assert.ok(row.includes(`\`${shown}\``), `README shows ${setting.env}'s default ${shown}`);
        }
      }
    }
  });

  it('when read, then it gives the two commands', () => {
    assert.match(readme, /make run/);
    assert.match(readme, /make test/);
  });
});
