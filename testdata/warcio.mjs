// Reads and writes WARC files with warcio (npm), an implementation
// independent of newsx's, for the cross-check tests.
//
//   node warcio.mjs check FILE            every record parses, every digest matches
//   node warcio.mjs write OUT URL FILE...  one response record per URL and HTML file
//
// WARCIO names the directory whose node_modules holds warcio.
import { createHash } from "node:crypto";
import { createReadStream, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const dir = process.env.WARCIO;
const { WARCParser, WARCRecord, WARCSerializer } = await import(
  pathToFileURL(join(dir, "node_modules", "warcio", "dist", "index.js")).href
);

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
function base32(buf) {
  let bits = 0, value = 0, out = "";
  for (const b of buf) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8) out += "=";
  return out;
}

function digestOK(field, bytes) {
  const [algo, want] = field.split(":", 2);
  const sum = createHash(algo.toLowerCase().replace("-", "")).update(bytes).digest();
  return want.toUpperCase() === base32(sum) || want.toLowerCase() === sum.toString("hex");
}

const [cmd, file, ...rest] = process.argv.slice(2);
if (cmd === "check") {
  const parser = new WARCParser(createReadStream(file), { parseHttp: false });
  let n = 0, bad = 0;
  for await (const record of parser) {
    n++;
    const block = await record.readFully(false);
    const type = record.warcType;
    const bd = record.warcHeader("WARC-Block-Digest");
    if (bd && !digestOK(bd, block)) { bad++; console.log(`bad block digest: ${type} ${record.warcTargetURI}`); }
    const pd = record.warcHeader("WARC-Payload-Digest");
    if (pd && (type === "response" || type === "request")) {
      const i = Buffer.from(block).indexOf("\r\n\r\n");
      const payload = i < 0 ? Buffer.alloc(0) : Buffer.from(block).subarray(i + 4);
      if (!digestOK(pd, payload)) { bad++; console.log(`bad payload digest: ${type} ${record.warcTargetURI}`); }
    }
    if (!bd) { bad++; console.log(`no block digest: ${type} ${record.warcTargetURI}`); }
    console.log(`${type} ${record.warcTargetURI || ""}`);
  }
  console.log(`records ${n} bad ${bad}`);
  process.exit(bad ? 1 : 0);
} else if (cmd === "write") {
  const chunks = [];
  for (let i = 0; i < rest.length; i += 2) {
    const url = rest[i];
    const html = readFileSync(rest[i + 1]);
    async function* content() { yield html; }
    const record = WARCRecord.create({
      url, type: "response", date: "2024-03-25T08:00:00Z",
      statusline: "HTTP/1.1 200 OK",
      httpHeaders: { "Content-Type": "text/html; charset=utf-8" },
    }, content());
    chunks.push(await WARCSerializer.serialize(record, { gzip: true }));
  }
  writeFileSync(file, Buffer.concat(chunks.map((c) => Buffer.from(c))));
} else {
  console.error("usage: warcio.mjs check FILE | write OUT URL FILE...");
  process.exit(2);
}
