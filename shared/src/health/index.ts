export { consumerState } from './consumer-state.js';
export { kafkaReachable, type KafkaReachable } from './kafka-reachable.js';
export { READINESS_CHECK_TIMEOUT_MS, readinessProbe, type ReadinessCheck, type ReadinessReport } from './readiness.js';
export { redisAnswers } from './redis-answers.js';
