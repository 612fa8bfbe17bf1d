// Test-only S3 emulator: s3rver on 127.0.0.1 (free port), its object events forwarded to a webhook
// as S3 event notifications, the way S3 invokes a Lambda.
// usage: node s3-emulator.mjs DIRECTORY BUCKET|- [WEBHOOK_URL]; prints "listening PORT"; exits when stdin closes.
// S3RVER_PORT picks the port (a restart on the same endpoint); a free one otherwise.
// Conditional writes as S3 enforces them (PutObject with If-None-Match: *), which s3rver 3.7.1
// ignores: 412 PreconditionFailed when the key exists, 409 ConditionalRequestConflict while another
// write of the key is in flight (S3 answers so for concurrent conditional writes; the client retries).
// And writes are atomic, as on S3: a GET or HEAD of a key being written waits for the write to end,
// since s3rver writes the object's file in place.
// S3RVER_CALL_LOG, a file: every request is appended to it as one JSON line (method, url, the
// User-Agent, x-amz-copy-source, the status answered), so tests can check each call against the
// permissions the stack grants its caller.
import { appendFileSync, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3rver from 's3rver';

const [directory, bucket, webhook] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(process.env.S3RVER_PORT ?? 0),
  silent: true,
  directory,
  // '-': no bucket yet (a deploy makes it with CreateBucket)
  configureBuckets: bucket === '-' ? [] : [{ name: bucket, configs: [] }],
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

// s3rver writes an object's file in place and, for a buffered body, answers before the file is
// flushed: a reader could see it empty or cut short. Here the body goes to a file beside it, fully
// written before it is renamed into place, and only then is the metadata written and the PUT
// answered, so a write is whole when it ends (S3 never shows part of an object).
let staged = 0;
server.store.putObject = async function putObjectWhole(object) {
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  await mkdir(dirname(objectPath), { recursive: true });
  const temporary = `${objectPath}.triad-${process.pid}-${staged++}`;
  const md5 = createHash('md5');
  let size = 0;
  const content = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
  await pipeline(
    content,
    new Transform({
      transform(chunk, encoding, callback) {
        md5.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    }),
    createWriteStream(temporary),
  ).catch(async err => {
    await rm(temporary, { force: true }); // a body cut off leaves nothing behind
    throw err;
  });
  const digest = md5.digest('hex');
  await rename(temporary, objectPath);
  await this.putMetadata(object.bucket, object.key, object.metadata, digest);
  return { size, md5: digest };
};

// keys being written now: how many writes of each are in flight, and a promise settled when the last ends
const writing = new Map();
const s3Error = async (ctx, status, code, message) => {
  // the body is read first: a client still sending it would otherwise wait on the connection
  for await (const chunk of ctx.req) void chunk;
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>` +
    `<Condition>If-None-Match</Condition></Error>`;
};
const startWrite = key => {
  let entry = writing.get(key);
  if (!entry) {
    let settle;
    entry = { count: 0, settled: new Promise(resolve => { settle = resolve; }) };
    entry.settle = settle;
    writing.set(key, entry);
  }
  entry.count += 1;
  return () => {
    entry.count -= 1;
    if (entry.count === 0) {
      writing.delete(key);
      entry.settle();
    }
  };
};
const atomicWrites = async (ctx, next) => {
  const [, bucketName, ...rest] = ctx.path.split('/');
  if (!bucketName || rest.length === 0 || rest.join('/') === '') return next();
  const objectKey = decodeURIComponent(rest.join('/'));
  const key = `${bucketName}/${objectKey}`;
  if (ctx.method === 'GET' || ctx.method === 'HEAD') {
    // s3rver writes an object in place; S3 never shows half of one, so a read waits for the write
    while (writing.has(key)) await writing.get(key).settled;
    return next();
  }
  const isObjectPut = ctx.method === 'PUT' && !ctx.headers['x-amz-copy-source'] && !ctx.query.partNumber;
  if (!isObjectPut) return next();
  const conditional = ctx.headers['if-none-match'] === '*';
  if (conditional && writing.has(key)) {
    return s3Error(ctx, 409, 'ConditionalRequestConflict',
      'A conflicting conditional operation is currently in progress against this resource.');
  }
  // marked before anything is awaited, so no other request slips in between the check and the write
  const done = startWrite(key);
  if (conditional && await server.store.existsObject(bucketName, objectKey)) {
    done();
    return s3Error(ctx, 412, 'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold');
  }
  try {
    await next();
  } finally {
    done();
  }
};
// before the router (the last middleware), after the virtual-host rewrite, so paths are path-style
server.middleware.splice(server.middleware.length - 1, 0, atomicWrites);

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
