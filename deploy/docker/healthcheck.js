// The image's HEALTHCHECK: GET <path> (default /healthz; compose asks /readyz) on the private port of the one
// service this container runs. The ingress, dispatcher and downloader each serve /healthz and /readyz on their
// metrics port, read from the same variables and defaults as the services (README, Configuration). Plain
// JavaScript, run as it is: the image has no TypeScript at run time.
'use strict';

const path = process.argv[2] || '/healthz';
const bound = process.env.METRICS_HOST || '127.0.0.1';
const host = bound === '0.0.0.0' || bound === '::' ? '127.0.0.1' : bound;
const ports = [
  process.env.INGRESS_METRICS_PORT || '9100',
  process.env.DISPATCHER_METRICS_PORT || '9101',
  process.env.DOWNLOADER_METRICS_PORT || '9102',
];

async function main() {
  // One service per container: the first of its ports that answers is this container's.
  for (const port of ports) {
    let response;
    try {
      response = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`, { signal: AbortSignal.timeout(2500) });
    } catch {
      continue;
    }
    const body = await response.text().catch(() => '');
    process.stdout.write(`${response.status} ${body.slice(0, 500)}\n`);
    return response.status === 200 ? 0 : 1;
  }
  process.stdout.write(`no service answers ${path} on ${host} port ${ports.join(', ')}\n`);
  return 1;
}

main().then((code) => process.exit(code), () => process.exit(1));
