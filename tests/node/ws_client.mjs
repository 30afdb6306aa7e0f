// A WebSocket client for Tide's phpt tests, built on the npm `ws` module (a real,
// independent implementation of RFC 6455 and RFC 7692).
//
//   node tests/node/ws_client.mjs '<json spec>'
//
// The spec:
//   {
//     "url": "ws://127.0.0.1:PORT/path",
//     "deflate": false | {clientNoContextTakeover, serverNoContextTakeover,
//                         serverMaxWindowBits, clientMaxWindowBits, threshold},
//     "timeout": 20,                     // seconds for the whole run (then exit 2)
//     "steps": [
//       {"send": "text"|"binary", "size": N, "kind": "random"|"repeat"|"blocks",
//        "fragments": [n1, n2, ...],     // optional: sent as frames of these sizes (the
//                                        // rest in a last one), fin only on the last
//        "reply": "echo"|"none"},        // default "echo": waits for the server's echo
//       {"send": "text", "data": "literal", "reply": "none"|"echo"},
//       {"ping": "payload"},             // waits for the pong
//       {"close": 4000, "reason": "bye"},// closes and waits for the server's close
//       {"waitClose": true}              // waits for a close the server starts
//     ]
//   }
//
// It prints one JSON object per line:
//   {"ev":"open","ext":"<Sec-WebSocket-Extensions of the 101>","extensions":"<ws.extensions>",
//    "params":{...the permessage-deflate parameters ws accepted}}
//   {"ev":"echo","type":"text","len":N,"ok":true,"rsv1":true,"wire":W,"frames":F}
//       ok: the echo has the type and bytes that were sent; rsv1, wire (bytes of its frames
//       on the wire, headers included) and frames come from reading the socket's bytes
//       (the server's frames are not masked, so their headers are easy to follow)
//   {"ev":"pong","data":"payload"}
//   {"ev":"close","code":C,"reason":"..."}
//   {"ev":"error","message":"..."} or {"ev":"timeout","step":i}  (then exit 1 or 2)
// and exits 0 when every step is done.
import { createHash, randomBytes } from 'node:crypto';
import WebSocket from 'ws';

const spec = JSON.parse(process.argv[2] ?? '{}');
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const sha1 = (b) => createHash('sha1').update(b).digest('hex');
let stepNo = -1;

const timer = setTimeout(() => {
    out({ ev: 'timeout', step: stepNo });
    process.exit(2);
}, (spec.timeout ?? 20) * 1000);

// Valid UTF-8 of exactly `size` bytes.
function text(size, kind) {
    if (kind === 'repeat') {
        const unit = Buffer.from('Tide ✓ WebSocket héllo wörld 😀 0123456789 ');
        const b = Buffer.alloc(size, 'x');
        for (let i = 0; i + unit.length <= size; i += unit.length) unit.copy(b, i);
        return b;
    }
    const abc = Buffer.from('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .');
    const b = randomBytes(size);
    for (let i = 0; i < size; i++) b[i] = abc[b[i] & 63];
    const euro = Buffer.from('€'); // 3 bytes, so that random text is not all ASCII
    for (let i = 17; i + 3 <= size; i += 97) euro.copy(b, i);
    return b;
}

function binary(size, kind) {
    if (kind === 'repeat') {
        const b = Buffer.alloc(size);
        for (let i = 0; i < size; i++) b[i] = i % 251;
        return b;
    }
    if (kind === 'blocks') {
        // A random 2000-byte block, repeated: a deflater with a 32 KiB window refers back
        // 2000 bytes, which an inflater limited to 1 KiB (window bits 10) cannot follow.
        const block = randomBytes(2000);
        const b = Buffer.alloc(size);
        for (let i = 0; i < size; i += block.length) block.copy(b, i);
        return b;
    }
    return randomBytes(size);
}

const options = { perMessageDeflate: false, maxPayload: 64 << 20, handshakeTimeout: 10000 };
if (spec.deflate) {
    options.perMessageDeflate = { threshold: 0, ...spec.deflate };
}
const ws = new WebSocket(spec.url, options);

// What the server's data frames looked like on the wire, one entry per whole message, in
// the order they came (ws's 'message' events come in the same order, after these).
const wire = [];
let raw = Buffer.alloc(0);
let cur = null;
function sniff(chunk) {
    raw = raw.length ? Buffer.concat([raw, chunk]) : chunk;
    for (;;) {
        if (raw.length < 2) return;
        let len = raw[1] & 0x7f, off = 2;
        if (raw[1] & 0x80) {
            out({ ev: 'error', message: 'the server sent a masked frame' });
            process.exit(1);
        }
        if (len === 126) {
            if (raw.length < 4) return;
            len = raw.readUInt16BE(2);
            off = 4;
        } else if (len === 127) {
            if (raw.length < 10) return;
            len = Number(raw.readBigUInt64BE(2));
            off = 10;
        }
        if (raw.length < off + len) return;
        const fin = (raw[0] & 0x80) !== 0, rsv1 = (raw[0] & 0x40) !== 0, op = raw[0] & 0x0f;
        if (op < 8) {
            if (op !== 0) cur = { rsv1, wire: 0, frames: 0 };
            if (cur) {
                cur.wire += off + len;
                cur.frames++;
                if (fin) {
                    wire.push(cur);
                    cur = null;
                }
            }
        }
        raw = raw.subarray(off + len);
    }
}

let answer = '';
ws.on('upgrade', (res) => {
    answer = res.headers['sec-websocket-extensions'] ?? '';
    res.socket.on('data', sniff);
});

// Whatever the current step waits for; the close event's code and reason.
let waiter = null;
let closed = null;
const wait = (fn) => new Promise((resolve) => { waiter = (ev, ...a) => fn(resolve, ev, ...a); });
const deliver = (ev, ...a) => {
    if (waiter) waiter(ev, ...a);
    else if (ev !== 'close') out({ ev: 'unexpected', what: ev, len: a[0]?.length });
};
ws.on('message', (data, isBinary) => deliver('message', data, isBinary));
ws.on('pong', (data) => deliver('pong', data));
ws.on('close', (code, reason) => {
    closed = { code, reason: reason.toString() };
    deliver('close');
});
ws.on('error', (e) => {
    out({ ev: 'error', message: e.message });
    process.exit(1);
});

async function run() {
    await new Promise((resolve) => ws.once('open', resolve));
    // params: what ws accepted from the answer (internal, but the only place it shows)
    const pmd = ws._extensions?.['permessage-deflate'];
    out({ ev: 'open', ext: answer, extensions: ws.extensions, params: pmd?.params ?? null });
    for (const [i, step] of spec.steps.entries()) {
        stepNo = i;
        if (step.send) {
            const isBinary = step.send === 'binary';
            const data = step.data !== undefined ? Buffer.from(step.data)
                : isBinary ? binary(step.size, step.kind) : text(step.size, step.kind);
            const reply = step.reply ?? 'echo';
            const got = reply === 'echo'
                ? wait((resolve, ev, d, b) => ev === 'message' && resolve([d, b])) : null;
            if (step.fragments) {
                let at = 0;
                for (const n of step.fragments) {
                    ws.send(data.subarray(at, at + n), { binary: isBinary, fin: false });
                    at += n;
                }
                ws.send(data.subarray(at), { binary: isBinary, fin: true });
            } else {
                ws.send(data, { binary: isBinary });
            }
            if (got) {
                const [d, b] = await got;
                const w = wire.shift() ?? {};
                out({
                    ev: 'echo', type: b ? 'binary' : 'text', len: d.length,
                    ok: b === isBinary && d.length === data.length && sha1(d) === sha1(data),
                    rsv1: w.rsv1, wire: w.wire, frames: w.frames,
                });
            }
        } else if (step.ping !== undefined) {
            const got = wait((resolve, ev, d) => ev === 'pong' && resolve(d));
            ws.ping(step.ping);
            out({ ev: 'pong', data: (await got).toString() });
        } else if (step.close !== undefined || step.waitClose) {
            const got = closed ? Promise.resolve() : wait((resolve, ev) => ev === 'close' && resolve());
            if (step.close !== undefined) ws.close(step.close, step.reason ?? '');
            await got;
            out({ ev: 'close', ...closed });
        }
        waiter = null;
    }
    clearTimeout(timer);
    if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
    process.exit(0);
}

run().catch((e) => {
    out({ ev: 'error', message: String(e?.stack ?? e) });
    process.exit(1);
});
