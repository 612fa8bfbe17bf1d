// Test-only S3 emulator: s3rver on 127.0.0.1 (free port), its object events forwarded to a webhook
// as S3 event notifications, the way S3 invokes a Lambda.
// usage: node s3-emulator.mjs DIRECTORY BUCKET [WEBHOOK_URL]; prints "listening PORT"; exits when stdin closes.
// S3RVER_PORT picks the port (a restart on the same endpoint); a free one otherwise.
// S3RVER_CALL_LOG, a file: every request is appended to it as one JSON line (method, url, the
// User-Agent, x-amz-copy-source, the status answered), so tests can check each call against the
// permissions the stack grants its caller.
import { appendFileSync } from 'node:fs';
import S3rver from 's3rver';

const [directory, bucket, webhook] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(process.env.S3RVER_PORT ?? 0),
  silent: true,
  directory,
  configureBuckets: [{ name: bucket, configs: [] }],
});

// s3rver puts the raw key in its events; S3 form-encodes it (%XX, '+' for a space, '/' kept)
const s3Key = key => encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');

if (webhook) {
  server.on('event', event => {
    for (const record of event.Records) {
      record.s3.object.key = s3Key(record.s3.object.key);
    }
    fetch(webhook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) })
      .catch(err => console.error(`forwarding an S3 event to ${webhook} failed: ${err}`));
  });
}

const { port } = await server.run();
const callLog = process.env.S3RVER_CALL_LOG;
if (callLog) {
  server.httpServer.on('request', (req, res) => {
    res.on('finish', () => appendFileSync(callLog, JSON.stringify({
      method: req.method,
      url: req.url,
      userAgent: req.headers['user-agent'] ?? '',
      copySource: req.headers['x-amz-copy-source'] ?? null,
      status: res.statusCode,
    }) + '\n'));
  });
}
console.log(`listening ${port}`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await server.close();
  process.exit(0);
});
