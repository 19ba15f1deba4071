import { strict as assert } from 'node:assert';
import { ConfigError, fleetTopicSpecs } from '../../../shared/src/index.js';

describe('fleetTopicSpecs', () => {
  it('when min.insync.replicas is set, then every topic is created with it and the replication factor', () => {
    const specs = fleetTopicSpecs({ topicPrefix: 'dyte.', topicPartitions: 6, topicReplicationFactor: 3, topicMinInsyncReplicas: 2 });
    assert.ok(specs.length > 0);
    for (const spec of specs) {
      assert.equal(spec.replicationFactor, 3);
      assert.deepEqual(spec.configEntries?.filter((entry) => entry.name === 'min.insync.replicas'), [{ name: 'min.insync.replicas', value: '2' }], spec.topic);
    }
  });

  it("when min.insync.replicas is unset, then no topic overrides the broker's setting", () => {
    const specs = fleetTopicSpecs({ topicPrefix: 'dyte.', topicPartitions: 6, topicReplicationFactor: 1 });
    assert.ok(specs.every((spec) => !spec.configEntries?.some((entry) => entry.name === 'min.insync.replicas')));
  });

  it('when more in-sync replicas are required than there are replicas, then a ConfigError names both variables', () => {
    assert.throws(
      () => fleetTopicSpecs({ topicPrefix: 'dyte.', topicPartitions: 6, topicReplicationFactor: 1, topicMinInsyncReplicas: 2 }),
      (error: unknown) => error instanceof ConfigError && /TOPIC_MIN_INSYNC_REPLICAS.*TOPIC_REPLICATION_FACTOR/.test(error.message),
    );
  });
});
